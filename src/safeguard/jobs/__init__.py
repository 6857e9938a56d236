"""Background jobs: long work started from a page, run by the django-tasks worker, with its progress."""
