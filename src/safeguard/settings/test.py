"""Tests: the database comes from DATABASE_URL (SQLite when unset)."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SAFEGUARD_REQUIRE_MFA = True
# Every cached query of safeguard.prepared is compared with the ORM's own (SQL and parameters) in every test.
SAFEGUARD_PREPARED_QUERIES_CHECK = True
AXES_ENABLED = True
# The API's per-user limits are far above what any test sends (tests/api/test_throttles.py sets its own low rates
# to check them): the same user ids recur from test to test, and the cache would carry their counts over.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {scope: "100000/minute" for scope in ("api-user", "api-search", "api-bulk-read")},
}
# Tasks run at once, in the test's transaction, so a test sees what a task did. The worker that a browser test
# starts (tests/browser/test_background_jobs.py) takes its queue from the database, as in production.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if env("SAFEGUARD_TEST_TASKS", default="immediate") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Static files come from the app folders here (runserver, or the test client);
# WhiteNoise serves the collected files in production only.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]

# On PostgreSQL, Django's backend with a cheaper flush between transactional tests (DELETE, not TRUNCATE: see
# safeguard/testing/postgresql/base.py); nothing else differs.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "safeguard.testing.postgresql"  # noqa: F405

# On SQLite the test database is a file, not memory: Django shares one in-memory connection between the
# test thread and the live server's threads, so concurrent browser requests (each in its own atomic
# request) could break each other's transactions. A file gives each thread its own connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (PROJECT_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": env("SAFEGUARD_SQLITE_TEST_DB", default=str(PROJECT_DIR / "var" / "test-safeguard.sqlite3"))  # noqa: F405
    }
