"""A real OpenID provider for the tests: django-oauth-toolkit in a process of its own, on 127.0.0.1.

Run as `python -m tests.oidc.provider` with its configuration (a JSON object)
in the environment variable OIDC_TEST_PROVIDER; it prints one JSON line,
{"url": ..., "issuer": ..., "subjects": {username: sub}}, once it answers,
then serves until it is stopped. It is its own Django project (its own
settings, URL conf in provider_app.py, SQLite database and users), signing ID
tokens with the RSA key the test generated.
"""

from __future__ import annotations

import json
import os
import sys

from django.conf import settings


def main() -> None:
    import django
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    config = json.loads(os.environ["OIDC_TEST_PROVIDER"])

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    url = f"http://127.0.0.1:{server.server_port}"
    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-provider-only",  # noqa: S106
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF="tests.oidc.provider_app",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": config["database"]}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        # Tables straight from the models: quicker than running every migration of a throw-away database.
        MIGRATION_MODULES={app: None for app in ("auth", "contenttypes", "sessions", "oauth2_provider")},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        USE_TZ=True,
        LOGIN_URL="/login/",
        SESSION_COOKIE_NAME="provider_session",
        CSRF_COOKIE_NAME="provider_csrf",
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": config["key"],
            "OIDC_ISS_ENDPOINT": f"{url}/o",
            "SCOPES": {"openid": "OpenID Connect", "profile": "Profile"},
            "PKCE_REQUIRED": True,
            "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
            "OAUTH2_VALIDATOR_CLASS": "tests.oidc.provider_app.ScriptedValidator",
        },
        PROVIDER_USERS=config["users"],
        PROVIDER_FORGER_KEY=config["forger_key"],
    )
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)

    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    Application.objects.create(
        name="Safeguard",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=config["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    subjects = {}
    for username in config["users"]:
        user = User.objects.create_user(username, password=config["password"])
        subjects[username] = str(user.pk)

    from django.core.wsgi import get_wsgi_application

    server.set_app(get_wsgi_application())
    print(json.dumps({"url": url, "issuer": f"{url}/o", "subjects": subjects}), flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        sys.stdout.flush()


if __name__ == "__main__":
    main()
