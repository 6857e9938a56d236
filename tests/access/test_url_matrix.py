"""Every URL, as every role that may use it and at least one that may not."""

from __future__ import annotations

import importlib
import json as jsonlib
import pkgutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguard.audit.models import AuditEvent, Outcome
from tests.conftest import verified_client
from tests.url_matrix import PUBLIC_URLS, RoleCase

TESTS_DIR = Path(__file__).resolve().parent.parent
CHECKED_NAMESPACES = {
    "web",
    "people",
    "events",
    "offenders",
    "assessments",
    "calculators",
    "api",
    "workforce",
    "referrals",
    "meetings",
    "actions",
    "triage",
    "oidc",
    "jobs",
    "orders",
    "oversight",
    "pathways",
    None,
}


def collect_cases() -> list[RoleCase]:
    cases: list[RoleCase] = []
    for package in pkgutil.iter_modules([str(TESTS_DIR)]):
        if not package.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{package.name}.url_roles")
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases


CASES = collect_cases()


def named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                ns = p.namespace or namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                if namespace not in CHECKED_NAMESPACES:
                    continue
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_has_a_role_test():
    covered_allowed = {c.url_name for c in CASES if c.allowed}
    covered_refused = {c.url_name for c in CASES if c.refused}
    missing = sorted(
        name for name in named_urls() - set(PUBLIC_URLS) if name not in covered_allowed or name not in covered_refused
    )
    assert not missing, f"URLs with no allowed-and-refused role test: {missing}"


def _request(client, case: RoleCase, world):
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    if case.method == "get":
        return client.get(url)
    body = case.data(world) if case.data else {}
    if case.json:
        return client.generic(case.method.upper(), url, jsonlib.dumps(body), content_type="application/json")
    return client.generic(case.method.upper(), url, body) if case.method != "post" else client.post(url, body)


def _params():
    for case in CASES:
        for who in case.allowed:
            yield pytest.param(case, who, True, id=f"{case.id}-{who}-allowed")
        for who in case.refused:
            yield pytest.param(case, who, False, id=f"{case.id}-{who}-refused")


@pytest.fixture(scope="class")
def class_sessions(class_world, django_db_blocker):
    """Every member of staff of the class's world signed in once for the class, with both factors, as
    ``verified_client`` signs in (in the class's transaction): the session key of each, and when they were
    made. A case then sends its own request with its user's session cookie; what the request changes in the
    session, the case's own transaction rolls back."""
    with django_db_blocker.unblock():
        keys = {
            who: verified_client(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
            for who, user in vars(class_world.users).items()
        }
    return keys, time.monotonic()


@pytest.fixture
def sign_in_as(class_sessions, client):
    """Put the class's session of a member of staff on the case's client. The idle time-out (the session's
    expiry, renewed by each request but rolled back with each case) runs from when the class signed in: once
    half of it has gone, a case signs in afresh instead."""
    keys, made_at = class_sessions

    def _sign_in_as(who: str, user):
        if time.monotonic() - made_at < settings.SESSION_COOKIE_AGE / 2:
            client.cookies[settings.SESSION_COOKIE_NAME] = keys[who]
        else:
            verified_client(client, user)
        return client

    return _sign_in_as


class TestRoleMatrix:
    """Every case reads one world built for the class, and its user's session made once for the class; what a
    case changes, its own transaction rolls back."""

    @pytest.mark.parametrize(("case", "who", "allowed"), list(_params()))
    def test_role_matrix(self, case: RoleCase, who: str, allowed: bool, shared_world, sign_in_as):
        world = shared_world
        user = getattr(world.users, who)
        client = sign_in_as(who, user)
        response = _request(client, case, world)
        expected = case.ok_status if allowed else case.refused_status
        assert response.status_code in expected, f"{case.id} as {who}: {response.status_code}, expected {expected}"
        if case.record is not None and (allowed or response.status_code == 404):
            record_type, record_id = case.record(world)
            outcome = Outcome.ALLOWED if allowed else Outcome.REFUSED
            assert AuditEvent.objects.filter(
                actor_id=user.pk, record_type=record_type, record_id=record_id, outcome=outcome
            ).exists(), f"{case.id} as {who}: no {outcome} audit event for {record_type} {record_id}"
