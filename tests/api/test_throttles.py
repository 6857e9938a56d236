"""Per-user API limits: over the limit a 429 with a problem body; search and lists reach theirs sooner."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api-user": "6/minute", "api-search": "2/minute", "api-bulk-read": "3/minute"},
    }
    yield
    cache.clear()


def _search(client):
    return client.post(reverse("api-person-search"), {"name": "Jonathan Smith"}, content_type="application/json")


def test_search_is_limited_first_with_a_problem_body(world, api, rates):
    client = api(world.users.om)
    assert [_search(client).status_code for _ in range(2)] == [200, 200]
    refused = _search(client)
    assert refused.status_code == 429
    body = refused.json()
    assert body["title"] == "Too many requests"
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert 1 <= body["retry_after"] <= 60
    assert int(refused["Retry-After"]) == pytest.approx(body["retry_after"], abs=1)
    # A record still reads: only searches are over their limit.
    assert client.get(reverse("api-nominal-detail", kwargs={"pk": world.nominals.mine.pk})).status_code == 200


def test_pages_of_lists_are_limited_before_single_records(world, api, rates):
    client = api(world.users.om)
    lists = [client.get(reverse("api-nominal-list")).status_code for _ in range(4)]
    assert lists == [200, 200, 200, 429]
    detail = reverse("api-nominal-detail", kwargs={"pk": world.nominals.mine.pk})
    assert client.get(detail).status_code == 200  # the fifth request, under the overall six


def test_every_request_counts_against_the_users_overall_limit(world, api, rates):
    client = api(world.users.om)
    detail = reverse("api-nominal-detail", kwargs={"pk": world.nominals.mine.pk})
    answers = [client.get(detail).status_code for _ in range(7)]
    assert answers == [200] * 6 + [429]


def test_limits_are_per_user(world, api, rates):
    om = api(world.users.om)
    for _ in range(2):
        assert _search(om).status_code == 200
    assert _search(om).status_code == 429
    om.logout()
    other = api(world.users.coordinator)
    assert _search(other).status_code == 200
