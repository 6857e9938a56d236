"""Schemathesis over every operation of the live schema, as a signed-in coordinator, through the WSGI app.

Every request it generates, valid or not, must get an answer the schema
documents: no server error, no undocumented status code, no response that
breaks its documented shape, and no schema-valid request refused without a
documented reason. The run is bounded (a few examples per operation and
mode, no shrinking) and deterministic (derandomized), so it fails the same
way every time.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tests.conftest import verified_client
from tests.helpers import incident

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 5


@pytest.fixture
def signed_in(world, client):
    """The session and CSRF cookies of a coordinator who may read and change the area's records."""
    incident(world)
    verified_client(client, world.users.coordinator)
    token = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
        "client": client,
    }


def documented_reasons(case) -> set[str]:
    """The fields the operation's 400 names (in backticks) as reasons to refuse a request that matches the schema."""
    description = case.operation.definition.raw.get("responses", {}).get("400", {}).get("description", "")
    _, _, reasons = description.partition("still refused when:")
    return set(re.findall(r"`([a-z_]+)`", reasons))


@schemathesis.check
def schema_valid_requests_refused_only_for_documented_reasons(ctx, response, case):
    """A schema-valid request is accepted, or refused with a 400 keyed only by fields the 400 documents a reason for.

    (Schemathesis's own positive_data_acceptance refuses every 400; the API has rules the schema cannot say, such as
    "a person you may see", and documents them on the 400.)
    """
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    body = response.json()
    undocumented = sorted(set(body) - documented_reasons(case)) if isinstance(body, dict) else ["(not an object)"]
    if undocumented:
        raise AssertionError(f"Schema-valid request refused for an undocumented reason: {undocumented}: {body}")
    return None


def _run(operation, mode, signed_in, app) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        case.call_and_validate(
            base_url="http://localhost",
            app=app,
            cookies=signed_in["cookies"],
            headers=signed_in["headers"],
            # The session cookie is sent as is; signing out is tested apart (every URL as an anonymous caller: 403).
            excluded_checks=[positive_data_acceptance, ignored_auth],
            additional_checks=[schema_valid_requests_refused_only_for_documented_reasons],
        )

    check()


@contextmanager
def wsgi_app():
    """Django's WSGI app in this thread, on the test's database connection (kept open, as the test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_documented(signed_in):
    response = signed_in["client"].get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.config.generation.update(with_security_parameters=False)
    failures, unsatisfiable = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    with wsgi_app() as app:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _run(operation, mode, signed_in, app)
                except Unsatisfiable:
                    # No request of this mode can be sent (e.g. a negative id in a path that holds only an integer).
                    unsatisfiable.append(f"{operation.label} ({mode.value})")
                except BaseException as exc:  # every operation is tried; all failures are reported together
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
    # Only a few operations have no invalid request to send, and never in positive mode.
    assert all("(negative)" in label for label in unsatisfiable), unsatisfiable
    assert len(unsatisfiable) < len(operations) / 4, unsatisfiable


def test_every_operation_refuses_a_caller_who_is_not_signed_in(world, api, client):
    schema = api(world.users.coordinator).get("/api/schema/", {"format": "json"}).json()
    client.logout()
    answers = {}
    for path, operations in schema["paths"].items():
        url = path.replace("{id}", str(world.people.offender.pk))
        for method in operations:
            response = client.generic(method.upper(), url, "{}", content_type="application/json")
            answers[f"{method.upper()} {path}"] = response.status_code
    assert len(answers) > 20
    assert {label: code for label, code in answers.items() if code != 403} == {}
