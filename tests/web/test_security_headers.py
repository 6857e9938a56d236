"""Security headers on every page, and no template that would need 'unsafe-inline' under the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _check_page(response):
    csp = _directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # The one inline script carries this response's nonce; every other script is a file.
    html = response.content.decode()
    nonce = next(s for s in csp["script-src"] if s.startswith("'nonce-"))[len("'nonce-") : -1]
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [f' nonce="{nonce}"'], inline


def test_the_sign_in_page_has_the_headers(client):
    _check_page(client.get(reverse("web:sign-in")))


def test_signed_in_pages_have_the_headers_with_a_fresh_nonce(world, client):
    verified_client(client, world.users.om)
    first, second = client.get(reverse("web:home")), client.get(reverse("web:search"))
    _check_page(first)
    _check_page(second)
    assert _directives(first)["script-src"] != _directives(second)["script-src"]


def test_api_answers_have_the_policy_too(world, client):
    response = verified_client(client, world.users.om).get(reverse("api-nominal-list"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["']""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def _web_templates():
    for path in sorted(SRC.rglob("templates/**/*.html")):
        # The minutes as PDF are rendered by WeasyPrint, never served to a browser: they carry their own styles.
        if path.match("*/minutes/pdf.html"):
            continue
        yield path


def test_no_template_needs_unsafe_inline():
    offending = []
    for path in _web_templates():
        text = re.sub(r"{% comment %}.*?{% endcomment %}", "", path.read_text(), flags=re.DOTALL)
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("style attribute", STYLE_ATTRIBUTE),
            ("event handler", EVENT_HANDLER),
            ("style element", STYLE_ELEMENT),
        ):
            if pattern.search(text):
                offending.append(f"{path.relative_to(SRC)}: {name}")
    assert len(list(_web_templates())) > 50
    assert offending == []
