"""Bad query values are 400s naming the parameter; odd ids are JSON 404s; decimals are numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def om(world, api):
    return api(world.users.om)


def _errors(response, status=400):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize("name", ["local_area", "offender_manager"])
@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808", "", "0", "-1", "1.5", "abc"])
def test_a_bad_id_filter_is_a_400_naming_it(om, name, value):
    errors = _errors(om.get(reverse("api-nominal-list"), {name: value}))
    assert list(errors) == [name]


@pytest.mark.parametrize("value", ["9223372036854775807", "1"])
def test_the_largest_id_filter_is_accepted_and_finds_nothing(world, om, value):
    response = om.get(reverse("api-nominal-list"), {"offender_manager": value})
    assert response.status_code == 200
    if value != "1":
        assert response.json()["count"] == 0


@pytest.mark.parametrize("value", ["0", "-1", "abc", "", "1.0", "99999999999999999999999"])
def test_a_bad_page_is_a_400_naming_page(om, value):
    assert list(_errors(om.get(reverse("api-nominal-list"), {"page": value}))) == ["page"]


def test_pages_on_the_boundary(om):
    # Two nominals the offender manager may see, 25 a page: page 1 exists, page 2 does not.
    assert om.get(reverse("api-nominal-list"), {"page": "1"}).status_code == 200
    assert list(_errors(om.get(reverse("api-nominal-list"), {"page": "2"}))) == ["page"]


def test_unknown_query_parameters_are_refused_by_name(world, om):
    errors = _errors(om.get(reverse("api-nominal-list"), {"levle": "3", "management_level": "1"}))
    assert list(errors) == ["levle"]
    detail = reverse("api-nominal-detail", kwargs={"pk": world.nominals.mine.pk})
    assert list(_errors(om.get(detail, {"page": "1"}))) == ["page"]
    assert list(_errors(om.get(reverse("api-incident-list"), {"format": "api"}))) == ["format"]


def test_search_criteria_in_a_url_keep_their_own_message(om):
    errors = _errors(om.get(reverse("api-person-list"), {"name": "Smith"}))
    assert errors == {"name": ["Search criteria never go in a URL: POST them to /api/people/search/."]}


@pytest.mark.parametrize("value", ["1", "0", "yes", "True"])
def test_a_boolean_filter_takes_true_or_false_only(om, value):
    assert list(_errors(om.get(reverse("api-incident-list"), {"domestic_abuse": value}))) == ["domestic_abuse"]


def test_true_and_false_filter(world, om):
    from tests.helpers import incident

    incident(world)
    assert om.get(reverse("api-incident-list"), {"domestic_abuse": "true"}).json()["count"] == 1
    assert om.get(reverse("api-incident-list"), {"domestic_abuse": "false"}).json()["count"] == 0


@pytest.mark.parametrize("segment", ["abc", "-1", "1e3", "99999999999999999999"])
def test_an_id_that_is_not_a_whole_number_is_a_json_404(om, segment):
    body = _errors(om.get(f"/api/nominals/{segment}/"), status=404)
    assert body == {"detail": "Not found."}


def test_decimals_are_json_numbers(world, om):
    response = om.post(
        reverse("api-rules-workload-capacity"),
        {
            "nominal_target": 100,
            "default_contracted_hours": 37,
            "contracted_hours": 37,
            "reduction_hours": 0,
            "total_points": 100,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["capacity_percent"] == 100.0
    assert '"capacity_percent":100.0' in response.content.decode()
