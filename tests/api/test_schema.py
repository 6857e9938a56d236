"""The OpenAPI 3 schema and its documentation page, served without any CDN."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(world, api):
    response = api(world.users.om).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_and_docs_are_behind_sign_in(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 403
    assert "paths" not in response.content.decode()
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign-in"))
    assert client.get(reverse("api-docs") + "?script").status_code == 302


def test_schema_is_valid_openapi_3_and_lists_every_endpoint(world, api):
    response = api(world.users.om).get(reverse("api-schema"), {"format": "json"})
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


def test_docs_page_uses_the_bundled_swagger_ui_with_no_inline_script_or_style(world, api):
    client = api(world.users.om)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "the docs page must not load from the internet"
    assert "<style" not in html and " style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], "every script is a file"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_every_operation_documents_the_answers_it_may_give(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "403", "429"} <= codes, (method, path, codes)
            if "{" in path:
                assert "404" in codes, (method, path)
            assert codes & {"200", "201", "204"}, (method, path)


def test_patch_bodies_require_the_version_where_the_record_has_one(schema):
    versioned = {"/api/people/{id}/", "/api/nominals/{id}/", "/api/incidents/{id}/", "/api/convictions/{id}/"}
    for path in versioned:
        patch = schema["paths"][path]["patch"]
        ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert "version" in schema["components"]["schemas"][ref]["required"], path
        assert "409" in patch["responses"], path
    ref = schema["paths"]["/api/aliases/{id}/"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert "version" not in schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]].get("properties", {})


def test_decimals_are_numbers_in_the_schema(schema):
    answer = schema["components"]["schemas"]["WorkloadCapacityAnswer"]["properties"]
    assert answer["capacity_percent"]["type"] == "number"


def test_page_and_id_filters_are_bounded_integers(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/nominals/"]["get"]["parameters"]}
    for name in ("page", "local_area", "offender_manager"):
        assert parameters[name]["type"] == "integer", name
        assert parameters[name]["minimum"] == 1, name
        assert parameters[name]["maximum"] == 2**63 - 1, name


def test_schema_generates_without_warnings(tmp_path):
    """The deploy check fails on drf-spectacular warnings, so the suite does too."""
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
