"""The MAPPA annual tables against hand counts (tests/oversight/builders.py), the 31 March boundary, a person
counted once, the year's orders and outcomes, suppression, the files and the audit."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.orders.models import Order, OrderBreach, Outcome
from safeguard.oversight.models import OversightSettings
from safeguard.oversight.services import mappa_annual as annual
from tests.oversight.builders import annual_world

YEAR = 2026


@pytest.fixture
def counted(world):
    world.counted = annual_world(world)
    return world


def test_eligible_offenders_on_31_march_by_category_and_level(counted):
    snapshot, undetermined = annual.on_31_march(counted.home["mappa"].pk, YEAR)
    assert snapshot == {("1", 1): 2, ("2", 1): 1, ("2", 2): 2, ("3", 2): 1, ("4", 1): 1}
    assert undetermined == 1


def test_the_31_march_boundary(counted):
    # Written at 23:30 on 31 March: in. Written 30 seconds into 1 April: out, until the next year.
    snapshot, _ = annual.on_31_march(counted.home["mappa"].pk, YEAR)
    assert snapshot[("1", 1)] == 2
    next_year, _ = annual.on_31_march(counted.home["mappa"].pk, YEAR + 1)
    # Next year: a, d, e in cat 1 L1; f stepped down to L1 on 2 April 2026; the world's own nominals
    # (written today, before 31 March 2027) are cat 1 L1 too.
    assert next_year[("2", 1)] == 2  # j and f
    assert ("2", 2) in next_year and next_year[("2", 2)] == 1  # b


def test_level_2_3_over_the_year_counts_a_person_once(counted):
    over = annual.level_2_3_over_the_year(counted.home["mappa"].pk, YEAR)
    # c was cat 1 L3 then cat 3 L2 in the year: once, in its last category and level.
    assert over == {("1", 2): 1, ("2", 2): 2, ("3", 2): 1}


def _events(world):
    n = world.counted
    om = world.users.om
    shpo = Order.objects.create(
        nominal=n.a,
        kind="shpo",
        made_on=dt.date(2025, 4, 1),
        conditions="No contact",
        recorded_by=om,
        foreign_travel_restriction=True,
    )
    Order.objects.create(nominal=n.b, kind="shpo", made_on=dt.date(2025, 3, 31), conditions="x", recorded_by=om)
    sro = Order.objects.create(nominal=n.c, kind="sro", made_on=dt.date(2025, 6, 1), conditions="x", recorded_by=om)
    Order.objects.create(nominal=n.d, kind="notification_order", made_on=dt.date(2026, 3, 31), recorded_by=om)
    OrderBreach.objects.create(order=shpo, occurred_on=dt.date(2025, 8, 1), disposal="convicted", recorded_by=om)
    OrderBreach.objects.create(order=shpo, occurred_on=dt.date(2025, 9, 1), disposal="convicted", recorded_by=om)
    OrderBreach.objects.create(
        order=sro,
        occurred_on=dt.date(2026, 1, 1),
        disposal="convicted",
        made_subject_to_notification=True,
        recorded_by=om,
    )
    outcome = dict(recorded_by=om)
    Outcome.objects.create(
        nominal=n.b,
        kind="custody",
        custody_reason="licence",
        occurred_on=dt.date(2025, 7, 1),
        level_then=2,
        category_then="2",
        **outcome,
    )
    Outcome.objects.create(
        nominal=n.b,
        kind="custody",
        custody_reason="licence",
        occurred_on=dt.date(2025, 12, 1),
        level_then=2,
        category_then="2",
        **outcome,
    )
    Outcome.objects.create(
        nominal=n.a,
        kind="custody",
        custody_reason="licence",
        occurred_on=dt.date(2025, 7, 1),
        level_then=1,
        category_then="1",
        **outcome,
    )  # Level 1: not counted
    Outcome.objects.create(
        nominal=n.c,
        kind="custody",
        custody_reason="order",
        order=sro,
        occurred_on=dt.date(2026, 1, 2),
        level_then=2,
        category_then="3",
        **outcome,
    )
    Outcome.objects.create(
        nominal=n.f, kind="sfo", occurred_on=dt.date(2025, 10, 1), level_then=2, category_then="2", **outcome
    )
    Outcome.objects.create(
        nominal=n.a, kind="sfo", occurred_on=dt.date(2026, 4, 1), level_then=1, category_then="1", **outcome
    )  # next year
    Outcome.objects.create(
        nominal=n.a,
        kind="notification_breach",
        disposal="cautioned",
        occurred_on=dt.date(2025, 5, 5),
        level_then=1,
        category_then="1",
        **outcome,
    )
    Outcome.objects.create(
        nominal=n.d,
        kind="lifetime_revoked",
        occurred_on=dt.date(2026, 3, 31),
        level_then=1,
        category_then="1",
        **outcome,
    )


def test_the_years_orders_breaches_and_outcomes(counted):
    _events(counted)
    e = annual.year_events(counted.home["mappa"].pk, YEAR)
    assert e.orders_made == {"shpo": 1, "sro": 1, "notification_order": 1}  # 31 March 2025 is last year
    assert e.shpo_foreign_travel == 1
    assert e.breaches == {("shpo", "convicted"): 1, ("sro", "convicted"): 1}  # a person once
    assert e.subject_after_sro_breach == 1
    assert e.returned_to_custody == {"licence": 1, "order": 1, "offence": 0}
    assert e.sfo_by_level == {1: 0, 2: 1, 3: 0}
    assert (e.notification_breach_cautioned, e.notification_breach_convicted) == (1, 0)
    assert e.lifetime_revoked == 1


def test_small_numbers_are_suppressed_with_the_areas_threshold(counted):
    tables = annual.build_annual(counted.home["mappa"].pk, YEAR)
    assert tables.threshold == 5
    assert tables.by_category_level.grand_total.text == "7"
    assert tables.by_category_level.cells[0][0].text == "fewer than 5"
    assert all(f.suppressed for row in tables.by_category_level.cells for f in row if f.value)
    OversightSettings.objects.create(area=counted.home["mappa"], small_number_threshold=3, population=70_000)
    tables = annual.build_annual(counted.home["mappa"].pk, YEAR)
    # 2 RSOs (cat 1, all levels) under 3: withheld, and its rate with it.
    assert tables.rsos.text == "fewer than 3" and tables.rso_rate is None


def test_rso_rate_per_100000(counted):
    OversightSettings.objects.create(area=counted.home["mappa"], small_number_threshold=3, population=1_000)
    for name in ("l1", "l2"):
        from tests.oversight.builders import _nominal, at

        _nominal(counted, name, at(2025, 1, 1), mappa_category="1")
    tables = annual.build_annual(counted.home["mappa"].pk, YEAR)
    assert tables.rsos.value == 4
    assert tables.rso_rate == 400  # 4 per 1,000 = 400 per 100,000


def test_the_files_carry_the_same_suppressed_figures_and_are_audited(counted, rf):
    from openpyxl import load_workbook

    request = rf.get("/")
    request.user = counted.users.analyst
    request.session = {}
    ctx = gate.context_for(request)
    content, _, name = annual.export_annual(ctx, YEAR, "csv")
    text = content.decode("utf-8-sig")
    assert "OFFICIAL-SENSITIVE" in text.splitlines()[0]
    assert "fewer than 5" in text and "Handcount" not in text
    assert name == "mappa-annual-2026-official-sensitive.csv"
    content, _, _ = annual.export_annual(ctx, YEAR, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "fewer than 5" in values and 7 in values
    events = AuditEvent.objects.filter(record_type=annual.RECORD_TYPE, operation=Operation.EXPORT)
    assert events.count() == 2
