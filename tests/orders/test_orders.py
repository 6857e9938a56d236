"""Recording a nominal's orders, breaches and outcomes: the gate, the validation, and the level on the day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.orders import services
from safeguard.orders.models import Order, OrderBreach, Outcome
from tests.conftest import verified_client
from tests.oversight.builders import HISTORY, at


@pytest.fixture
def ctx_for(world):
    def make(who):
        return gate.AccessContext(user=getattr(world.users, who), purpose="offender_management")

    return make


def _order(world, **fields):
    fields.setdefault("kind", "shpo")
    fields.setdefault("made_on", dt.date(2025, 1, 10))
    fields.setdefault("conditions", "No contact with children under 16")
    return Order(nominal=world.nominals.mine, **fields)


def test_the_allocated_offender_manager_records_an_order_and_it_is_audited(world, ctx_for):
    order = services.record_order(ctx_for("om"), _order(world))
    assert order.recorded_by == world.users.om
    assert AuditEvent.objects.filter(record_type="orders.order", record_id=str(order.pk), operation=Operation.CREATE)


def test_an_officer_not_allocated_may_not(world, ctx_for):
    with pytest.raises(gate.AccessRefused):
        services.record_order(ctx_for("om2"), _order(world))
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"made_on": dt.date(2999, 1, 1)}, "made_on"),
        ({"ends_on": dt.date(2024, 1, 1)}, "ends_on"),
        ({"conditions": " "}, "conditions"),
        ({"kind": "notification_order", "foreign_travel_restriction": True}, "foreign_travel_restriction"),
    ],
)
def test_an_order_says_what_to_enter(world, ctx_for, fields, field):
    with pytest.raises(ValidationError) as raised:
        services.record_order(ctx_for("om"), _order(world, **fields))
    assert field in raised.value.error_dict


def test_only_a_conviction_for_breaching_an_sro_makes_a_person_subject(world, ctx_for):
    shpo = services.record_order(ctx_for("om"), _order(world))
    breach = OrderBreach(
        order=shpo, occurred_on=dt.date(2025, 3, 1), disposal="convicted", made_subject_to_notification=True
    )
    with pytest.raises(ValidationError) as raised:
        services.record_breach(ctx_for("om"), breach)
    assert "made_subject_to_notification" in raised.value.error_dict
    early = OrderBreach(order=shpo, occurred_on=dt.date(2024, 3, 1), disposal="cautioned")
    with pytest.raises(ValidationError) as raised:
        services.record_breach(ctx_for("om"), early)
    assert "occurred_on" in raised.value.error_dict


def test_an_outcome_keeps_the_level_and_category_the_nominal_held_on_the_day(world, ctx_for):
    nominal = world.nominals.mine
    HISTORY.objects.filter(id=nominal.pk).update(history_date=at(2024, 1, 1))
    nominal.management_level = 3
    nominal.mappa_category = "2"
    nominal.save()
    newest = HISTORY.objects.filter(id=nominal.pk).order_by("-history_id").first()
    HISTORY.objects.filter(pk=newest.pk).update(history_date=at(2025, 6, 1))
    before = services.record_outcome(
        ctx_for("om"),
        Outcome(nominal=nominal, kind="custody", custody_reason="licence", occurred_on=dt.date(2025, 5, 31)),
    )
    after = services.record_outcome(
        ctx_for("om"), Outcome(nominal=nominal, kind="sfo", occurred_on=dt.date(2025, 6, 1))
    )
    assert (before.category_then, before.level_then) == ("1", 1)
    assert (after.category_then, after.level_then) == ("2", 3)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "custody"}, "custody_reason"),
        ({"kind": "sfo", "custody_reason": "licence"}, "custody_reason"),
        ({"kind": "custody", "custody_reason": "order"}, "order"),
        ({"kind": "notification_breach"}, "disposal"),
        ({"kind": "sfo", "disposal": "convicted"}, "disposal"),
    ],
)
def test_an_outcome_says_what_to_enter(world, ctx_for, fields, field):
    outcome = Outcome(nominal=world.nominals.mine, occurred_on=dt.date(2025, 5, 1), **fields)
    with pytest.raises(ValidationError) as raised:
        services.record_outcome(ctx_for("om"), outcome)
    assert field in raised.value.error_dict


def test_the_pages_record_an_order_a_breach_and_an_outcome(world, client):
    verified_client(client, world.users.om)
    nominal = world.nominals.mine
    response = client.post(
        reverse("orders:record-order", kwargs={"pk": nominal.pk}),
        {"kind": "sro", "made_on_0": "3", "made_on_1": "2", "made_on_2": "2025", "conditions": "Not to enter the park"},
    )
    assert response.status_code == 302
    order = Order.objects.get(nominal=nominal)
    response = client.post(
        reverse("orders:record-breach", kwargs={"pk": order.pk}),
        {
            "occurred_on_0": "4",
            "occurred_on_1": "3",
            "occurred_on_2": "2025",
            "disposal": "convicted",
            "made_subject_to_notification": "on",
        },
    )
    assert response.status_code == 302
    assert order.breaches.get().made_subject_to_notification
    response = client.post(
        reverse("orders:record-outcome", kwargs={"pk": nominal.pk}),
        {
            "kind": "custody",
            "occurred_on_0": "5",
            "occurred_on_1": "3",
            "occurred_on_2": "2025",
            "custody_reason": "order",
            "order": str(order.pk),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("orders:list", kwargs={"pk": nominal.pk})).content.decode()
    assert "Sexual Risk Order" in page and "made subject to notification" in page and "breach of an order" in page


def test_a_form_without_what_it_needs_says_so(world, client):
    verified_client(client, world.users.om)
    response = client.post(reverse("orders:record-outcome", kwargs={"pk": world.nominals.mine.pk}), {"kind": "custody"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose the reason for the return to custody" in page
