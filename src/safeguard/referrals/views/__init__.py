"""Referral pages, one module a page: the coordinator's list (``lists``), a referral with its decisions
(``detail``), the forms for each kind (``new``), the MATAC ranking (``matac``); ``referrals.urls`` is their URL
table."""
