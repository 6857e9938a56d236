"""The SafeLives MARAC return against hand counts (tests/oversight/safelives_builders.py): the quarter's rows
per meeting, the metrics over 12 months, the analyst's suppressed view, the file's column order, the audit."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.oversight.models import FigureSnapshot
from safeguard.oversight.services import safelives, snapshots
from tests.conftest import verified_client
from tests.oversight.builders import at
from tests.oversight.safelives_builders import _heard, _meeting, _victim, safelives_world


@pytest.fixture
def counted(world):
    world.returned = safelives_world(world)
    return world


def _ctx(user):
    return gate.AccessContext(user=user, purpose="forum")


def test_one_row_per_meeting_held_in_the_quarter(counted):
    rows = safelives.meeting_rows(counted.marac, *safelives.quarter_bounds(2026, 3))
    assert [r.meeting_date.isoformat() for r in rows] == ["2026-07-08", "2026-09-30"]
    assert [r.get("cases") for r in rows] == [3, 1]


def test_the_quarters_counts(counted):
    r = safelives.build_return(counted.marac, 2026, 3, exact=True)
    t = r.quarter_total
    assert {k: t.get(k) for k in ("cases", "repeats", "children", "cases_with_children")} == {
        "cases": 4,
        "repeats": 2,
        "children": 4,
        "cases_with_children": 2,
    }
    assert (t.get("source_Police"), t.get("source_IDVA"), t.get("source_Housing"), t.get("source_Other")) == (
        2,
        1,
        1,
        0,
    )
    victims = ("minoritised", "lgbt", "disabled", "male", "aged_16_17", "perpetrator_under_18", "aged_65_plus")
    assert [t.get(k) for k in victims] == [1, 1, 2, 1, 1, 1, 1]
    assert (t.get("ethnic_W"), t.get("ethnic_B"), t.get("ethnicity_prefer_not"), t.get("disabled_prefer_not")) == (
        2,
        1,
        1,
        1,
    )


def test_the_metrics_over_12_months_beside_the_national_figures(counted):
    r = safelives.build_return(counted.marac, 2026, 3, exact=True)
    by_label = {m.label: m for m in r.metrics}
    assert r.year_total.get("cases") == 5
    assert by_label["Cases per 10,000 women aged 16 and over"].value == Decimal("5.0")
    assert "SafeLives recommends 40 a year" in by_label["Cases per 10,000 women aged 16 and over"].expected
    assert by_label["Repeat cases (%)"].value == Decimal("40.0")
    assert by_label["Partner-agency (non-police) referrals (%)"].value == Decimal("40.0")
    assert by_label["Victims from minoritised ethnic groups (%)"].value == Decimal("40.0")
    assert by_label["Male victims (%)"].value == Decimal("20.0")
    assert by_label["Repeat cases (%)"].national == Decimal("31")
    assert "No expected range in Safeguard's sources" in by_label["Repeat cases (%)"].expected


def test_the_analyst_sees_the_quarter_suppressed_and_no_meeting_rows(counted):
    r = safelives.safelives_return(_ctx(counted.users.analyst), counted.marac.pk, 2026, 3)
    assert not r.exact and r.rows == []
    assert r.figure(r.quarter_total, "cases").text == "fewer than 5"
    assert r.figure(r.quarter_total, "source_Education") is None  # not collected: blank
    by_label = {m.label: m for m in r.metrics}
    assert by_label["Repeat cases (%)"].withheld  # 2 of 5
    assert by_label["Cases per 10,000 women aged 16 and over"].value == Decimal("5.0")  # 5 cases: not small
    rows = safelives.file_rows(r)
    assert len(rows) == 1 and "Returncount" not in str(rows)


def test_the_coordinators_file_is_in_safelives_column_order(counted):
    content, _, name = safelives.export_return(_ctx(counted.users.marac), counted.marac.pk, 2026, 3, "csv")
    lines = content.decode("utf-8-sig").splitlines()
    headers = lines[0].split(",")
    assert len(safelives.FILE_HEADERS) == 32
    assert headers[:6] == [
        "MARAC name",
        "Meeting date",
        "Cases discussed",
        "Repeat cases",
        "Children in household",
        "Cases with children",
    ]
    assert lines[1].split(",")[:6] == ["Northtown MARAC", "2026-07-08", "3", "1", "2", "1"]
    cells = lines[1].split(",")
    assert cells[FILE_INDEX("Education")] == "" and cells[FILE_INDEX("Police")] == "1"
    assert name.endswith("official-sensitive.csv")
    from openpyxl import load_workbook

    content, _, _ = safelives.export_return(_ctx(counted.users.marac), counted.marac.pk, 2026, 3, "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert [c.value for c in book.active[1]] == safelives.FILE_HEADERS
    assert book.active.oddHeader.center.text == "OFFICIAL-SENSITIVE"
    assert AuditEvent.objects.filter(record_type=safelives.RECORD_TYPE, operation=Operation.EXPORT).count() == 2


def FILE_INDEX(header: str) -> int:  # noqa: N802 (reads as a table look-up)
    return safelives.FILE_HEADERS.index(header)


def test_a_person_outside_the_roles_is_refused(counted):
    with pytest.raises(gate.AccessRefused):
        safelives.safelives_return(_ctx(counted.users.om), counted.marac.pk, 2026, 3)


def test_the_page_shows_the_return(counted, client):
    verified_client(client, counted.users.marac)
    page = client.get(reverse("oversight:safelives"), {"forum": counted.marac.pk, "quarter": "2026-3"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "SafeLives recommends 40 a year" in text and "2026-07-08" in text


def test_protected_characteristics_are_recorded_with_prefer_not_to_say(counted, client):
    verified_client(client, counted.users.marac)
    victim = counted.returned.v4
    url = reverse("oversight:characteristics", kwargs={"pk": victim.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"disabled": "prefer_not", "lgbt_plus": "not_known", "ethnicity_answer": "stated"})
    assert response.status_code == 302
    assert victim.characteristics.disabled == "prefer_not"
    response = client.post(url, {"disabled": "yes", "lgbt_plus": "no", "ethnicity_answer": "stated", "version": "1"})
    assert response.status_code == 302
    victim.characteristics.refresh_from_db()
    assert victim.characteristics.disabled == "yes" and victim.characteristics.version == 2


def test_a_closed_quarter_is_read_from_its_quarter_end_snapshot(counted, client):
    """Kept at the end of 2026 Q3 (4 cases: "fewer than 5" for the analyst), then two more Q3 cases recorded: the
    analyst's page and files keep the return as recorded, and say when; the live figures and the coordinator's
    exact return (never kept) move."""
    end = dt.date(2026, 9, 30)
    snapshots.take_all(end, today=dt.date(2026, 10, 1))
    kept = FigureSnapshot.objects.get(what=f"safelives-{counted.marac.pk}", period_end=end)
    late = _meeting(counted, at(2026, 9, 15, 10))
    for given in ("Lou", "Lee"):
        _heard(counted, late, _victim(counted, given, "female", "W1", dt.date(1990, 1, 1)), counted.police)
    cases = FILE_INDEX("Cases discussed")
    live = safelives.file_rows(safelives.build_return(counted.marac, 2026, 3, exact=False))
    assert live[0][cases] == 6

    r = safelives.safelives_return(_ctx(counted.users.analyst), counted.marac.pk, 2026, 3)
    assert r.kept_id == kept.pk and safelives.file_rows(r) == kept.figures["rows"]
    assert safelives.file_rows(r)[0][cases] == "fewer than 5"
    taken = timezone.localdate(kept.taken_at)
    note = f"As recorded on {taken.day} {taken:%B %Y}, after the quarter ended on 30 September 2026"
    assert r.kept_note.startswith(note)
    look = AuditEvent.objects.filter(record_type=safelives.RECORD_TYPE, operation=Operation.VIEW).latest("pk")
    assert look.detail == {"quarter": "2026-Q3", "snapshot": kept.pk}
    content, _, _ = safelives.export_return(_ctx(counted.users.analyst), counted.marac.pk, 2026, 3, "csv")
    assert content.decode("utf-8-sig").splitlines()[1].split(",")[cases] == "fewer than 5"

    exact = safelives.safelives_return(_ctx(counted.users.marac), counted.marac.pk, 2026, 3)
    assert exact.kept_id is None and [row[cases] for row in safelives.file_rows(exact)] == [3, 2, 1]

    verified_client(client, counted.users.analyst)
    page = client.get(reverse("oversight:safelives"), {"forum": counted.marac.pk, "quarter": "2026-3"})
    assert note in page.content.decode()
    other = client.get(reverse("oversight:safelives"), {"forum": counted.marac.pk, "quarter": "2026-2"})
    text = other.content.decode()
    assert "no quarter-end snapshot of this return was kept" in text and "As recorded on" not in text
