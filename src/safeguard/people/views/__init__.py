"""Person pages, one module a page: the record (``record``), the parts added to it (``parts``), its history.

Thin views: the page layer (``safeguard.web.pages``) loads and gates the record, the services change it.
"""
