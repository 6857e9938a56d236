"""The demo: SQLite, generated data, MFA relaxed and said so on every page."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

DEBUG = env.bool("SAFEGUARD_DEBUG", default=True)
SAFEGUARD_DEMO = True
SAFEGUARD_REQUIRE_MFA = env.bool("SAFEGUARD_REQUIRE_MFA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the app folders here (runserver, or the test client);
# WhiteNoise serves the collected files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
