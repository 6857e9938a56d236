"""Role cases for a nominal's orders, breaches and outcomes: read as the nominal is read, recorded by those
who may change it (its offender manager, the area's MAPPA coordinator, the team's supervisor)."""

from __future__ import annotations

from safeguard.orders.models import Order
from tests.url_matrix import RoleCase

READERS = ("om", "om2", "coordinator", "supervisor", "chair", "marac")
NOT_READERS = ("partner", "idva", "analyst", "admin", "away_om", "norole")
RECORDERS = ("om", "coordinator", "supervisor")
NOT_RECORDERS = ("om2", "chair", "marac", "partner", "analyst", "admin", "away_om")


def _nominal(world):
    return {"pk": world.nominals.mine.pk}


def _record(world):
    return ("offenders.nominal", world.nominals.mine.pk)


def _order(world):
    order = Order.objects.filter(nominal=world.nominals.mine).first() or Order.objects.create(
        nominal=world.nominals.mine,
        kind="shpo",
        made_on="2025-01-10",
        conditions="No contact",
        recorded_by=world.users.om,
    )
    return {"pk": order.pk}


def _order_data(world):
    return {
        "kind": "sro",
        "made_on_0": "3",
        "made_on_1": "2",
        "made_on_2": "2025",
        "conditions": "Not to enter the park",
    }


CASES = [
    RoleCase("orders:list", allowed=READERS, refused=NOT_READERS, kwargs=_nominal, record=_record),
    RoleCase("orders:record-order", allowed=RECORDERS, refused=NOT_RECORDERS, kwargs=_nominal, record=_record),
    RoleCase(
        "orders:record-order",
        label="post",
        method="post",
        data=_order_data,
        ok_status=(302,),
        allowed=RECORDERS,
        refused=NOT_RECORDERS,
        kwargs=_nominal,
        record=_record,
    ),
    RoleCase("orders:record-outcome", allowed=RECORDERS, refused=NOT_RECORDERS, kwargs=_nominal, record=_record),
    RoleCase("orders:record-breach", allowed=RECORDERS, refused=NOT_RECORDERS, kwargs=_order),
]
