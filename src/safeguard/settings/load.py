"""The load test (`make load`): production settings over plain HTTP on the loopback, plus the ceiling.

Only for a load test on 127.0.0.1: cookies without the Secure flag and no HTTPS redirect (no proxy
in front), and the two ceiling endpoints (``safeguard.web.load_ceiling``: a plain Django view and one
key lookup with its audit insert) switched on. Never deploy with these settings.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SAFEGUARD_LOAD_CEILING = True
