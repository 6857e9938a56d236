"""WSGI entry point (gunicorn, and runserver through WSGI_APPLICATION): production settings by default."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.production")

from safeguard.handlers import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
