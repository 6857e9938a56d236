"""The demo server as `make demo` runs it: the service's own error pages, and every asset its pages ask for there.

The demo's settings module is read as it is (no environment set); the requests then go through the demo's
middleware (WhiteNoise serving the app folders' static files) with DEBUG off, as runserver serves it.
"""

from __future__ import annotations

import importlib
import re
from pathlib import PurePosixPath

import pytest
from django.test import Client, RequestFactory

from safeguard.web import errors
from tests.conftest import verified_client

DEMO_ENV = ("SAFEGUARD_DEBUG", "SAFEGUARD_REQUIRE_MFA")
STYLESHEETS = ("/static/vendor/govuk/govuk-frontend.min.css", "/static/vendor/moj/moj-frontend.min.css")
CSS_URL = re.compile(r"""url\(["']?([^"')]+)["']?\)""")


@pytest.fixture
def demo_settings(monkeypatch):
    for name in DEMO_ENV:
        monkeypatch.delenv(name, raising=False)
    return importlib.reload(importlib.import_module("safeguard.settings.demo"))


@pytest.fixture
def demo_client(demo_settings, settings):
    settings.DEBUG = demo_settings.DEBUG
    settings.MIDDLEWARE = demo_settings.MIDDLEWARE
    settings.STORAGES = demo_settings.STORAGES
    settings.STATIC_ROOT = demo_settings.STATIC_ROOT
    settings.WHITENOISE_USE_FINDERS = demo_settings.WHITENOISE_USE_FINDERS
    settings.WHITENOISE_AUTOREFRESH = demo_settings.WHITENOISE_AUTOREFRESH
    settings.SAFEGUARD_REQUIRE_MFA = demo_settings.SAFEGUARD_REQUIRE_MFA
    return Client(raise_request_exception=False)


def test_the_demo_runs_without_debug_and_serves_static_files_itself(demo_settings):
    assert demo_settings.DEBUG is False
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in demo_settings.MIDDLEWARE
    assert demo_settings.WHITENOISE_USE_FINDERS is True
    assert demo_settings.SAFEGUARD_DEMO is True and demo_settings.SAFEGUARD_REQUIRE_MFA is False


def test_a_missing_page_is_the_services_own_404(demo_client, world):
    verified_client(demo_client, world.users.om)
    for path in ("/nominals/987654321/", "/no-such-page/", "/static/vendor/govuk/no-such-file.css"):
        response = demo_client.get(path)
        assert response.status_code == 404, path
        body = response.content.decode()
        if not path.startswith("/static/"):
            assert "Page not found" in body and "OFFICIAL-SENSITIVE" in body, path
        assert "URLconf" not in body and "DEBUG = True" not in body and "Traceback" not in body, path


def _asset_urls(css_path: str, css: str) -> set[str]:
    """The URLs a stylesheet asks for, resolved against the stylesheet's own URL as a browser would."""
    base = PurePosixPath(css_path).parent
    found = set()
    for url in CSS_URL.findall(css):
        if url.startswith("data:"):
            continue
        found.add(url if url.startswith("/") else str(base / url))
    return found


def test_every_asset_the_stylesheets_ask_for_is_there_and_no_font_is_asked_for(demo_client, db):
    for path in STYLESHEETS:
        response = demo_client.get(path)
        assert response.status_code == 200, path
        css = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert "@font-face" not in css and "GDS Transport" not in css, path
        for url in _asset_urls(path, css):
            asset = demo_client.get(url)
            assert asset.status_code == 200, f"{path} asks for {url}: {asset.status_code}"


def test_a_server_error_is_the_services_own_page_and_never_a_traceback(world, monkeypatch):
    request = RequestFactory().get("/")
    request.user = world.users.om
    response = errors.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500 and "Sorry, there is a problem with the service" in body
    assert "OFFICIAL-SENSITIVE" in body

    def broken(*args, **kwargs):
        raise RuntimeError("the database has gone")

    monkeypatch.setattr(errors, "render", broken)
    response = errors.server_error(request)
    assert response.status_code == 500 and b"Sorry, there is a problem with the service" in response.content
    assert b"database" not in response.content


def test_bad_request_and_permission_denied_use_the_layout(world):
    request = RequestFactory().get("/")
    request.user = world.users.om
    assert b"Sorry, Safeguard could not read that request" in errors.bad_request(request).content
    forbidden = errors.permission_denied(request)
    assert forbidden.status_code == 403 and b"You cannot do that" in forbidden.content
