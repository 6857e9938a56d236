"""The demo: SQLite, generated data, MFA relaxed and said so on every page.

DEBUG is off, as in production: with it on, Django answers a missing page with its own yellow page listing every
URL pattern, and an error with a traceback holding the request's records (the service's own 404 and 500 pages are
shown only when DEBUG is off; a handler cannot replace Django's debug pages). Static files are served by WhiteNoise
straight from the app folders (its finders), as runserver would with DEBUG on, so `make demo` needs no
collectstatic. SAFEGUARD_DEBUG=1 turns the debug pages back on for a developer.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("SAFEGUARD_DEBUG", default=False)
SAFEGUARD_DEMO = True
SAFEGUARD_REQUIRE_MFA = env.bool("SAFEGUARD_REQUIRE_MFA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing is collected: WhiteNoise would warn at every start that the folder is missing
WHITENOISE_AUTOREFRESH = DEBUG
