"""The monthly performance pack: aggregates only, on a page and as CSV and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import partial
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.workforce.catalogue import sync_courses
from safeguard.workforce.models import Buddy, Course, Role, Staff, WaitingListEntry
from safeguard.workforce.services import caseloads as caseload_services
from safeguard.workforce.services import pack as services
from tests.helpers import ctx_for
from tests.workforce.test_caseloads import add_cases, officer, text, train

MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture
def area(world):
    """Two police teams and a probation team, with caseloads, training, waiting lists and a buddy."""
    sync_courses()
    today = timezone.localdate()
    north = world.users.om.team
    south = world.users.om2.team
    big = officer(world, "bigload", last="Heavyweight")  # north: 51 cases, over the ratio
    add_cases(big, 51, world)
    trained = officer(world, "trainedom", last="Seasoned")  # north: MOSOVO, ARMS; 10 cases, 3 high risk
    add_cases(trained, 7, world, level=2)
    add_cases(trained, 3, world, rosh="high", location="approved_premises")
    train(trained, "mosovo")
    train(trained, "arms")
    newbie = officer(world, "newjoiner", team=south, last="Rookie")  # south: untrained, 2 Level 3 cases
    add_cases(newbie, 2, world, level=3, location="custody", release_date=today + dt.timedelta(days=90))
    Buddy.objects.create(new_joiner=newbie, buddy=trained, recorded_by=world.users.supervisor)
    mosovo = Course.objects.get(code="mosovo")
    WaitingListEntry.objects.create(staff=newbie, course=mosovo, joined_on=today - dt.timedelta(days=45))
    WaitingListEntry.objects.create(staff=world.users.om, course=mosovo, joined_on=today - dt.timedelta(days=10))
    WaitingListEntry.objects.create(
        staff=world.users.om2, course=Course.objects.get(code="visor"), joined_on=today - dt.timedelta(days=5)
    )
    WaitingListEntry.objects.create(
        staff=world.users.om2, course=mosovo, joined_on=today - dt.timedelta(days=400), status="withdrawn"
    )
    pdu = f.team(world.probation, '=HYPERLINK("http://x")', world.home["local"][0])  # a hostile team name
    practitioner = officer(world, "probationer", team=pdu, agency=world.probation, rank="PO", last="Probationer")
    add_cases(practitioner, 4, world, tier="B2")
    # An unallocated nominal of the area, and an officer of the other area (never counted here).
    Nominal.objects.create(
        reference="CL-UNALLOC",
        person=world.people.other_offender,
        local_area=world.home["local"][1],
        lead_agency=world.police,
    )
    return SimpleNamespace(north=north, south=south, pdu=pdu, big=big, trained=trained, newbie=newbie)


_ctx = partial(ctx_for, purpose="supervision")


def _group(pack, team_id):
    return next(g for g in pack.figures.groups if g.team_id == team_id)


def test_figures_by_team_and_for_the_area(world, area):
    pack = services.build_pack(world.home["mappa"].pk)
    north = _group(pack, area.north.pk)
    # North: om (1 high-risk case), bigload (51), trainedom (10, 3 high risk in Approved Premises).
    assert (north.officers, north.officers_holding, north.cases, north.largest) == (3, 3, 62, 51)
    assert (north.over_ratio, north.over_high_risk_cap) == (1, 2)  # bigload; om (1 of 1) and trainedom (3 of 10)
    assert (north.high_risk_cases, str(north.high_risk_percent), str(north.average_cases)) == (4, "6.5", "20.7")
    assert (north.approved_premises_cases, north.custody_cases, north.level_2_3_cases) == (3, 0, 7)
    assert north.lacking_count("mosovo") == 2 and north.lacking_count("arms") == 2 and north.lacking_count("visor") == 3
    assert north.may_not_hold_level_2_3 == 2 and north.holding_level_2_3_untrained == 0
    assert (north.waiting, north.longest_wait_days) == (1, 10)
    south = _group(pack, area.south.pk)
    # South: om2 (1 case) and newjoiner (2 Level 3 in custody, untrained, with a buddy, 45 days waiting).
    assert (south.officers, south.cases, south.custody_cases, south.level_2_3_cases) == (2, 3, 2, 2)
    assert (south.holding_level_2_3_untrained, south.need_buddy, south.need_buddy_without_one) == (1, 2, 1)
    assert (south.current_buddies, south.waiting, south.longest_wait_days) == (1, 2, 45)  # the withdrawn entry: no
    total = pack.figures.total
    assert (total.officers, total.cases, total.over_ratio, total.waiting, total.longest_wait_days) == (6, 69, 1, 3, 45)
    assert pack.figures.unallocated == 1
    waiting = {w.course: (w.waiting, w.longest_wait_days) for w in pack.figures.waiting_by_course}
    assert waiting == {"mosovo": (2, 45), "visor": (1, 5)}
    assert world.users.away_om.pk not in [o.pk for o in pack.figures.officers]


def test_the_pack_month_by_month_from_snapshots(world, area):
    today = timezone.localdate()
    month = services.months_ending(today)[-2]
    caseload_services.take_snapshots(month, today=today)
    add_cases(area.big, 5, world)
    pack = services.build_pack(world.home["mappa"].pk, today)
    then, now = pack.trend[-2], pack.trend[-1]
    assert then.recorded and not then.live and (then.officers, then.cases, then.largest) == (6, 69, 51)
    assert now.live and (now.cases, now.largest) == (74, 56)
    assert [m.recorded for m in pack.trend[:-2]] == [False] * 10
    north = next(s for s in pack.team_trends if s.label == area.north.name)
    assert (north.months[-2].cases, north.months[-1].cases) == (62, 67)


def test_the_page_says_how_small_numbers_are_treated_and_shows_no_name(world, area, sign_in):
    response = sign_in(world.users.analyst).get(reverse("workforce:pack"))
    assert response.status_code == 200
    main = response.content.decode().split('id="main-content"')[1].split("</main>")[0]
    words = text(main)
    assert "Counts are of staff (offender managers) and their caseloads, not of offenders" in words
    assert "no suppression is applied" in words
    assert "Counts only, never a name" in words
    _no_names(words, world, area)
    assert "Caseloads by team" in words and "Training gaps, buddies and waiting lists by team" in words
    event = AuditEvent.objects.get(actor_id=world.users.analyst.pk, record_type="workforce.pack")
    assert (event.operation, event.outcome, event.record_id) == (
        Operation.VIEW,
        Outcome.ALLOWED,
        world.home["mappa"].pk,
    )


def _no_names(content: str, world, area):
    people = list(Staff.objects.exclude(username="system")) + [area.big, area.trained, area.newbie]
    for member in people:
        for part in (member.first_name, member.last_name, member.username):
            if part and len(part) > 3 and part not in ("Alex", "Example"):
                assert part not in content, f"{part!r} appears in the pack"
    assert "Example" not in content  # every world user's default family name
    for n in Nominal.objects.select_related("person"):
        assert n.reference not in content and n.person.family_name not in content


def test_csv_download_is_marked_escaped_audited_and_has_no_names(world, area, sign_in):
    response = sign_in(world.users.supervisor).get(reverse("workforce:pack-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and "official-sensitive" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [MARKING] and rows[-1] == [MARKING]
    assert any("no suppression is applied" in row[0] for row in rows if row)
    _no_names(body, world, area)
    team_rows = [row for row in rows if row and row[0].startswith("'=")]
    assert team_rows and all(row[0] == "'" + area.pdu.name for row in team_rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    header = rows.index(next(r for r in rows if r and r[0] == "Team"))
    north = next(r for r in rows[header:] if r and r[0] == area.north.name)
    columns = dict(zip(rows[header], north, strict=True))
    assert (columns["Offender managers"], columns["Nominals"], columns["Over the ratio"]) == ("3", "62", "1")
    assert columns["Without MOSOVO"] == "2" and columns["Longest wait (days)"] == "10"
    event = AuditEvent.objects.get(actor_id=world.users.supervisor.pk, record_type="workforce.pack")
    assert event.operation == Operation.EXPORT and event.detail["format"] == "csv"


def test_xlsx_download_is_marked_escaped_and_has_no_names(world, area, sign_in):
    response = sign_in(world.users.coordinator).get(reverse("workforce:pack-xlsx"))
    assert response.status_code == 200 and response["Content-Type"] == services.XLSX_CONTENT_TYPE
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "This month by team",
        "Waiting lists by course",
        "Month by month",
        "Programme take-up by provider",
        "Release and treatment take-up",
        "Outcomes after programmes",
        "Outcomes after release",
        "IOM cohort offending",
    ]
    assert book.properties.keywords == MARKING
    cells = []
    for sheet in book.worksheets:
        assert sheet["A1"].value == MARKING and sheet.cell(row=sheet.max_row, column=1).value == MARKING
        assert sheet.oddHeader.center.text == MARKING and sheet.oddFooter.center.text == MARKING
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type != "f", f"a formula in {sheet.title}!{cell.coordinate}"
                    cells.append(str(cell.value))
    _no_names("\n".join(cells), world, area)
    assert "'" + area.pdu.name in cells
    sheet = book["This month by team"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Team")
    north = next(r for r in sheet.iter_rows(values_only=True) if r[0] == area.north.name)
    columns = dict(zip(header, north, strict=True))
    assert (columns["Nominals"], columns["Largest caseload"], columns["Over the high-risk cap"]) == (62, 51, 2)
    assert AuditEvent.objects.filter(
        actor_id=world.users.coordinator.pk, record_type="workforce.pack", operation=Operation.EXPORT
    ).exists()


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_formula_starts_are_escaped(value):
    assert services.escape_cell(value) == "'" + value
    assert services.escape_cell("Team 1") == "Team 1" and services.escape_cell(-1) == -1


def test_the_pack_is_refused_to_an_offender_manager_and_the_refusal_audited(world, area, sign_in):
    response = sign_in(world.users.om).get(reverse("workforce:pack-xlsx"))
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor_id=world.users.om.pk, record_type="workforce.pack")
    assert (event.outcome, event.operation) == (Outcome.REFUSED, Operation.EXPORT)


def test_an_analyst_of_another_area_sees_only_their_own_area(world, area):
    away_analyst = f.staff("away_analyst", world.away["mappa"].agencies.get(), [Role.ANALYST])
    pack = services.monthly_pack(_ctx(away_analyst))
    assert pack.figures.area == world.away["mappa"]
    assert pack.figures.total.officers == 1 and pack.figures.total.cases == 1  # away_om and their nominal


def test_the_caseload_overview_leaves_training_out_but_counts_the_same(world, area):
    full = services.area_figures(world.home["mappa"].pk)
    light = services.area_figures(world.home["mappa"].pk, training=False)
    assert not light.training and light.total.waiting is None and light.total.lacking is None
    for field in ("officers", "cases", "largest", "over_ratio", "over_high_risk_cap", "high_risk_cases"):
        assert [getattr(g, field) for g in light.groups] == [getattr(g, field) for g in full.groups]
        assert getattr(light.total, field) == getattr(full.total, field)
