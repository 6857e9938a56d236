"""Settings shared by every deployment of Safeguard.

Environment-specific modules (demo, test, production) import from here and
change only what differs. Values come from the environment through
django-environ; nothing secret is committed.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent.parent

env = environ.Env()

SECRET_KEY = env("SAFEGUARD_SECRET_KEY", default="insecure-development-key-not-for-production")
DEBUG = env.bool("SAFEGUARD_DEBUG", default=False)
ALLOWED_HOSTS = env.list("SAFEGUARD_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "safeguard.workforce",
    "safeguard.people",
    "safeguard.events",
    "safeguard.offenders",
    "safeguard.meetings",
    "safeguard.referrals",
    "safeguard.actions",
    "safeguard.triage",
    "safeguard.orders",
    "safeguard.oversight",
    "safeguard.pathways",
    "safeguard.assessments",
    "safeguard.audit",
    "safeguard.access",
    "safeguard.accounts",
    "safeguard.web",
    "safeguard.api",
    "safeguard.calculators",
    "safeguard.demo",
    "safeguard.oidc",
    "safeguard.jobs",
    "safeguard.matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safeguard.web.session_middleware.RenewingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safeguard.web.middleware.SecondFactorMiddleware",
    "safeguard.web.middleware.SessionTimeoutMiddleware",
    "safeguard.web.middleware.RequireVerifiedUserMiddleware",
    "safeguard.web.middleware.NoStoreMiddleware",
    "safeguard.web.purpose_middleware.PurposeFollowsPageMiddleware",
    "safeguard.access.middleware.AccessRefusedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguard.web.context_processors.safeguard",
            ],
            # Dates as a person reads them ("6 December 2026") in every template without a {% load %}.
            "builtins": ["safeguard.web.templatetags.govuk"],
        },
    },
]

# Django's form renderer, a select's options written without a template each (web/form_renderer.py).
FORM_RENDERER = "safeguard.web.form_renderer.SelectFirst"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'safeguard.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL: readers run beside the one writer. IMMEDIATE: a transaction takes the write lock when it
    # begins and waits for it (up to the busy time-out), rather than failing with "database is locked"
    # when it first writes after another connection's commit. Reads (GET) run outside a request-wide
    # transaction, so they take no lock until they write (safeguard.handlers); the two switches are
    # settings only so that the load test can measure the alternatives (docs/benchmarks.md).
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": env.int("SAFEGUARD_SQLITE_BUSY_SECONDS", default=20),
            "transaction_mode": env("SAFEGUARD_SQLITE_TRANSACTION_MODE", default="IMMEDIATE"),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # What the planner takes a random page read to cost, against a sequential one. PostgreSQL's default (4)
    # is for spinning disks; for SSD storage with the working set mostly in memory the usual setting is 1.1.
    # With 4, on the national world, the referrals list's scope read all 986,611 people into a hash to find
    # the 2,169 referred (667 ms) rather than looking each up by key (21 ms with 1.1). Set on every connection
    # Safeguard opens; a server on spinning disks sets SAFEGUARD_PG_RANDOM_PAGE_COST=4 (docs/deploy.md).
    #
    # Server-side binding and prepared statements (psycopg 3): the values travel apart from the SQL, and a
    # statement a connection has run 5 times (psycopg's prepare_threshold) is prepared on the server and then run
    # by name. PostgreSQL parses it once and, where its generic plan is estimated no dearer than the plans made
    # for each call's values (plan_cache_mode auto, PostgreSQL's default), plans it once too; where it is dearer
    # (on the national world, the my work lists' ORDER BY ... LIMIT) it goes on planning each call. Measured on
    # the national world: PostgreSQL's CPU a page of the load mix down by a third (docs/deploy.md). Django
    # leaves prepared statements off unless asked: a connection pooler in transaction mode (PgBouncer before
    # 1.21) cannot keep them, and behind one SAFEGUARD_PG_PREPARE_THRESHOLD is set empty. SQL with nowhere for
    # a bound value (DDL) writes its values in with connection.ops.compose_sql (audit/partitions.py).
    # SAFEGUARD_PG_PLAN_CACHE_MODE=force_custom_plan plans every call for its values: the way back should a
    # generic plan ever serve some values badly, at the cost of most of the saving (planning is what it saves).
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c random_page_cost={env.float('SAFEGUARD_PG_RANDOM_PAGE_COST', default=1.1)}"
        f" -c plan_cache_mode={env('SAFEGUARD_PG_PLAN_CACHE_MODE', default='auto')}"
    )
    if env.bool("SAFEGUARD_PG_SERVER_SIDE_BINDING", default=True):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
        prepare_threshold = env("SAFEGUARD_PG_PREPARE_THRESHOLD", default="5")
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(prepare_threshold) if prepare_threshold else None
SAFEGUARD_SQLITE_READS_OUTSIDE_TRANSACTIONS = env.bool("SAFEGUARD_SQLITE_READS_OUTSIDE_TRANSACTIONS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "workforce.Staff"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Signs no one in: loads the signed-in member of staff with their agency, area and team (accounts/backends.py).
    "safeguard.accounts.backends.SignedInStaff",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"

# Background work (django-tasks): a database queue, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Sessions in the database; each request's session row read with SQL written once (web/session_store.py).
SESSION_ENGINE = "safeguard.web.session_store"
# Sessions: an idle time-out (the session's age in the store, renewed by the requests) and an
# absolute time-out (enforced by SessionTimeoutMiddleware from sign-in time).
SESSION_COOKIE_AGE = env.int("SAFEGUARD_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# ...written to the store at most once a minute (web/session_middleware.py): a session idle for the time-out less
# up to this many seconds has ended, never one idle for longer.
SAFEGUARD_SESSION_RENEW_SECONDS = env.int("SAFEGUARD_SESSION_RENEW_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SAFEGUARD_SESSION_ABSOLUTE_SECONDS = env.int("SAFEGUARD_SESSION_ABSOLUTE_SECONDS", default=10 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): everything from Safeguard's own origin, no inline script or style.
# A script that must be inline carries the request's nonce (`request.csp_nonce`); styles never do.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of Safeguard uses are switched off (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Multi-factor authentication: password plus TOTP for every role. Only the
# demo may relax it, and then every page says so.
SAFEGUARD_REQUIRE_MFA = env.bool("SAFEGUARD_REQUIRE_MFA", default=True)
# safeguard.prepared: the SQL of the hottest page queries written once a shape a process (off: the ORM builds
# every query afresh). The check mode (on in the tests) builds the ORM's query as well and compares.
SAFEGUARD_PREPARED_QUERIES = env.bool("SAFEGUARD_PREPARED_QUERIES", default=True)
SAFEGUARD_PREPARED_QUERIES_CHECK = env.bool("SAFEGUARD_PREPARED_QUERIES_CHECK", default=False)
OTP_TOTP_ISSUER = "Safeguard"
# The admin never shows an authenticator's key or QR code after enrolment.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Lock-out after repeated failures, keyed on the username and the address
# together (django-axes 8).
AXES_FAILURE_LIMIT = env.int("SAFEGUARD_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = env.float("SAFEGUARD_LOCKOUT_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("SAFEGUARD_PROXY_COUNT", default=0)
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Failed sign-ins from one address across every username, within the lock-out period, before that
# address is refused (429) until the period has passed. An office behind one address shares the count.
SAFEGUARD_SIGN_IN_FAILURES_PER_ADDRESS = env.int("SAFEGUARD_SIGN_IN_FAILURES_PER_ADDRESS", default=30)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "safeguard.api.schema.SafeguardAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "safeguard.api.pagination.ApiPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "safeguard.api.errors.exception_handler",
    # Per-user limits (safeguard.api.throttles): every request, and tighter for searches and pages of lists.
    "DEFAULT_THROTTLE_CLASSES": [
        "safeguard.api.throttles.UserThrottle",
        "safeguard.api.throttles.SearchThrottle",
        "safeguard.api.throttles.BulkReadThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "api-user": env("SAFEGUARD_API_RATE", default="600/minute"),
        "api-search": env("SAFEGUARD_API_SEARCH_RATE", default="30/minute"),
        "api-bulk-read": env("SAFEGUARD_API_LIST_RATE", default="120/minute"),
    },
    # Decimals are JSON numbers (capacity_percent: 100.0), as a client reading JSON expects.
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguard API",
    "DESCRIPTION": (
        "Multi-agency public protection records. Every endpoint that returns or "
        "changes a personal record passes the access gate and writes an audit event. "
        "Marking: OFFICIAL-SENSITIVE."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safeguard.api.schema.version_required_in_patches",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind": each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "AddressKindEnum": "safeguard.people.models.Address.Kind",
        "AliasKindEnum": "safeguard.people.models.Alias.Kind",
        "ConvictionKindEnum": "safeguard.events.models.Conviction.Kind",
        "RelationshipKindEnum": "safeguard.people.models.RELATIONSHIP_KINDS",
        "PersonalConnectionEnum": "safeguard.people.models.PERSONAL_CONNECTIONS",
        "NominalStatusEnum": "safeguard.offenders.models.Nominal.Status",
        "InterventionStatusEnum": "safeguard.pathways.models.REFERRAL_STATUSES",
        "PathwayItemStatusEnum": "safeguard.pathways.models.ITEM_STATUSES",
        "IomStreamEnum": "safeguard.pathways.models.STREAMS",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Largest upload or form body accepted; oversized input is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

SAFEGUARD_MARKING = "OFFICIAL-SENSITIVE"
SAFEGUARD_DEMO = False
# The load test's ceiling endpoints (a plain view, a key lookup with its audit insert): on in
# safeguard.settings.load only, never in production.
SAFEGUARD_LOAD_CEILING = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Request logging would write URLs with record ids; personal data belongs in
    # the audit store only, so request warnings are not echoed with their paths.
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # The hourly audit seal's hash (no personal data): a copy of the chain's head outside the database.
        "safeguard.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# The audit store's actor index carries extra columns (INCLUDE) so that "what did this user look at" reads the
# index alone on PostgreSQL; SQLite (the demo) has no such indexes and keeps the key columns only, which is
# what this warning says. Nothing else is silenced.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
