"""Triage pages, one module a page: the day's board and the previous days (``board``), a case with its forms
and Operation Encompass (``case``); ``triage.urls`` is their URL table."""
