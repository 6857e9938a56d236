"""POST /api/rules/workload-capacity/ and its page: available points and capacity, as the pure rule answers."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from safeguard.rules import workload
from tests.calculators.url_roles import WORKLOAD, workload_form

URL = "/api/rules/workload-capacity/"


def _post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_available_points_are_truncated_and_capacity_is_points_over_them(world, sign_in):
    answer = _post(sign_in(world.users.om), WORKLOAD).json()
    # 100 x 30 / 37 = 81.08..., truncated to 81; 70 / 81 = 86.4%
    assert answer["available_points"] == 81
    assert answer["capacity_percent"] == 86.4  # a JSON number, not a string
    assert answer["over_capacity"] is False
    assert answer["working"] and answer["explanation"]


def test_reduction_hours_lower_the_points_available(world, sign_in):
    body = {**WORKLOAD, "reduction_hours": "7.5"}
    answer = _post(sign_in(world.users.om), body).json()
    assert answer["available_points"] == 60  # 100 x 22.5 / 37 = 60.8..., truncated
    assert answer["over_capacity"] is True


def test_more_reduction_than_contracted_hours_names_the_field(world, sign_in):
    response = _post(sign_in(world.users.om), {**WORKLOAD, "reduction_hours": "31"})
    assert response.status_code == 400
    assert "reduction_hours" in response.json()


def test_a_missing_field_is_named(world, sign_in):
    body = {k: v for k, v in WORKLOAD.items() if k != "total_points"}
    response = _post(sign_in(world.users.om), body)
    assert response.status_code == 400 and "total_points" in response.json()


def test_page_api_and_rule_agree(world, sign_in):
    client = sign_in(world.users.om)
    rule = workload.workload_capacity(100, Decimal("37"), Decimal("30"), Decimal("0"), 70)
    api = _post(client, WORKLOAD).json()
    page = client.post(reverse("calculators:workload-capacity"), workload_form(WORKLOAD)).content.decode()
    assert api["available_points"] == rule.available_points
    assert Decimal(str(api["capacity_percent"])) == rule.capacity_percent
    assert f'id="result-available">{rule.available_points}<' in page
    assert f"{rule.capacity_percent}%" in page
