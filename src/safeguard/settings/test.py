"""Tests: the database comes from DATABASE_URL (SQLite when unset)."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SAFEGUARD_REQUIRE_MFA = True
AXES_ENABLED = True

# Static files come from the app folders here (runserver, or the test client);
# WhiteNoise serves the collected files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
