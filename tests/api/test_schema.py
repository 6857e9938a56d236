"""The OpenAPI 3 schema and its documentation page, served without any CDN."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3_and_lists_every_endpoint(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/people/",
        "/api/people/search/",
        "/api/people/{id}/",
        "/api/people/{id}/aliases/",
        "/api/people/{id}/addresses/",
        "/api/people/{id}/warning-markers/",
        "/api/people/{id}/relationships/",
        "/api/people/{id}/convictions/",
        "/api/incidents/",
        "/api/incidents/{id}/",
        "/api/nominals/",
        "/api/nominals/{id}/",
        "/api/nominals/{id}/history/",
        "/api/convictions/{id}/",
        "/api/aliases/{id}/",
        "/api/warning-markers/{id}/",
        "/api/relationships/{id}/",
    } <= set(schema["paths"])
    assert "patch" in schema["paths"]["/api/incidents/{id}/"]
    # Only session sign-in (with its CSRF token) is offered.
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth"}


def test_docs_page_uses_the_bundled_swagger_ui(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "the docs page must not load from the internet"


def test_schema_generates_without_warnings(tmp_path):
    """The deploy check fails on drf-spectacular warnings, so the suite does too."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
