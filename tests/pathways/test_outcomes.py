"""What followed programmes, releases and IOM entry (rules.pathway_outcomes, services.outcomes) against hand
counts on a small world, the 12-month boundary included: the start day counts, the same date 12 months later
does not; a finding, an incident as victim and a non-DA incident are not counted."""

from __future__ import annotations

import csv
import datetime as dt
import io
from itertools import count

import pytest
import time_machine
from django.urls import reverse

from safeguard.assessments.rfg_ranking import local_midnight
from safeguard.demo import factories as f
from safeguard.events.models import Conviction, Disposal, Incident, IncidentPerson, IncidentRole, Offence
from safeguard.oversight.models import OversightSettings
from safeguard.pathways.models import (
    InterventionReferral,
    IomMembership,
    PathwayItem,
    PathwaySettings,
    Programme,
    ReleasePlan,
)
from safeguard.pathways.services import figures, outcomes
from safeguard.rules import pathway_outcomes as rule
from safeguard.rules.working import RuleInputError
from safeguard.workforce.services.pack import build_pack
from tests.pathways.records import programme

TODAY = dt.date(2026, 12, 6)
D = dt.date
_names = count(1)


# --- The rule -------------------------------------------------------------------------------------------------


def test_the_follow_up_runs_to_the_day_before_the_same_date_12_months_later():
    start = D(2025, 6, 1)
    assert rule.window_end(start) == D(2026, 6, 1)
    assert not rule.within(D(2025, 5, 31), start)
    assert rule.within(start, start)
    assert rule.within(D(2026, 5, 31), start)
    assert not rule.within(D(2026, 6, 1), start)
    assert rule.window_end(D(2024, 2, 29)) == D(2025, 2, 28)  # a leap day runs to the month's last day
    assert not rule.followed_up(start, D(2026, 5, 31))
    assert rule.followed_up(start, D(2026, 6, 1))
    assert rule.window_end(start, {"follow_up_months": 6}) == D(2025, 12, 1)
    with pytest.raises(RuleInputError):
        rule.window_end(start, {"follow_up_months": 0})


def test_take_up_is_a_start_from_the_day_of_release_to_21_days_after():
    released = D(2025, 3, 1)
    assert not rule.took_up(released, None)
    assert not rule.took_up(released, D(2025, 2, 28))
    assert rule.took_up(released, released)
    assert rule.took_up(released, D(2025, 3, 22))
    assert not rule.took_up(released, D(2025, 3, 23))
    assert rule.took_up(released, D(2025, 3, 29), {"take_up_days": 28})
    assert not rule.take_up_window_passed(released, D(2025, 3, 22))
    assert rule.take_up_window_passed(released, D(2025, 3, 23))


def test_outcomes_by_hand():
    start = D(2025, 1, 10)
    rows = [
        rule.Followed(start, start, None),  # DA on the day
        rule.Followed(start, D(2026, 1, 10), D(2026, 1, 9)),  # DA on the anniversary (no); offence the day before
        rule.Followed(start, None, D(2024, 12, 1)),  # an offence before the start: not counted
        rule.Followed(start, None, None),
        rule.Followed(D(2026, 1, 10), D(2026, 2, 1), None),  # not yet followed up
    ]
    found = rule.outcomes("group", rows, TODAY, minimum=3)
    assert (found.followed.value, found.in_follow_up.text) == (4, "fewer than 3")
    assert (found.da.text, found.reoffended.text, found.da_rate) == ("fewer than 3", "fewer than 3", "not shown")
    many = rule.outcomes("group", rows[:1] * 3 + rows[3:4] * 3, TODAY, minimum=3)
    assert (many.followed.value, many.da.value, many.reoffended.text, many.da_rate) == (6, 3, "0", "50%")


def test_before_and_after_entry_by_hand():
    entered = D(2025, 6, 1)
    entry = rule.Entry(
        entered,
        da_dates=(D(2024, 5, 31), D(2024, 6, 1), D(2025, 5, 31), D(2025, 6, 1), D(2026, 5, 31), D(2026, 6, 1)),
        offence_dates=(D(2025, 1, 1), D(2025, 12, 1), D(2025, 12, 2)),
    )
    quiet = rule.Entry(D(2025, 1, 15), (), ())
    waiting = rule.Entry(D(2026, 10, 1), (D(2026, 10, 2),), ())
    found = rule.before_after([entry] * 3 + [quiet] * 3 + [waiting], TODAY, minimum=3)
    assert found.entries.value == 6 and found.in_follow_up.text == "fewer than 3"
    assert (found.da_before.value, found.da_after.value) == (6, 6)  # 2 and 2 each, three times
    assert (found.offences_before.value, found.offences_after.value) == (3, 6)
    assert (found.offending_before.value, found.offending_after.value) == (3, 3)


# --- The small world ------------------------------------------------------------------------------------------


def _nominal(world, area="home"):
    n = next(_names)
    tree = world.home if area == "home" else world.away
    agency = world.police if area == "home" else world.users.away_om.agency
    person = f.person(tree["mappa"], "Test", f"Outcome{n}", D(1980, 1, 1))
    return f.nominal(person, tree["local"][0], agency, None)


def _incident(world, person, on: dt.date, role=IncidentRole.PERPETRATOR, domestic_abuse=True) -> None:
    made = Incident.objects.create(
        reference=f"OUT/{next(_names):05d}",
        occurred_at=local_midnight(on) + dt.timedelta(hours=23, minutes=30),  # late: the local day counts
        local_area=world.home["local"][0],
        domestic_abuse=domestic_abuse,
        recorded_by=world.police,
    )
    IncidentPerson.objects.create(incident=made, person=person, role=role)


def _conviction(person, *, committed: dt.date | None, convicted: dt.date, kind=Conviction.Kind.CONVICTION) -> None:
    offence, _ = Offence.objects.get_or_create(
        code="OAPA1861-s47", defaults={"description": "Assault occasioning actual bodily harm", "statute": "s.47"}
    )
    disposal = Disposal.CAUTION if kind == Conviction.Kind.CAUTION else Disposal.COMMUNITY_ORDER
    Conviction.objects.create(
        person=person, kind=kind, offence=offence, offence_date=committed, relevant_date=convicted, disposal=disposal
    )


def _referral(world, nominal, prog, status, *, started=None, ended=None):
    return InterventionReferral.objects.create(
        nominal=nominal,
        programme=prog,
        pillar="interventions_and_treatment",
        status=status,
        referred_on=D(2024, 1, 1),
        started_on=started,
        ended_on=ended,
        referred_by=world.users.om,
    )


def _released(world, nominal, on: dt.date, *, housed: bool, outcome=ReleasePlan.Outcome.RELEASED):
    plan = ReleasePlan.objects.create(
        nominal=nominal, release_date=on, outcome=outcome, released_on=on, started_by=world.users.om
    )
    PathwayItem.objects.create(
        plan=plan, pathway="accommodation", owner_agency=world.police, due_on=on, in_place_on_day=housed
    )
    PathwayItem.objects.create(
        plan=plan, pathway="substance_misuse", owner_agency=world.police, due_on=on, in_place_on_day=False
    )
    return plan


@pytest.fixture
def outcome_world(world):
    """Completers of one programme (ended 1 June 2025, followed up to 31 May 2026), releases on 1 March 2025,
    IOM entries; each person's records placed on and beside the boundaries."""
    OversightSettings.objects.create(area=world.home["mappa"], small_number_threshold=3)
    prog = programme(world.home["mappa"])
    ended = D(2025, 6, 1)
    people = {}
    for key in ("day", "last", "anniversary", "offence", "no_offence_date", "caution", "finding", "late", "dropped"):
        nominal = _nominal(world)
        people[key] = nominal.person
        status = "dropped_out" if key == "dropped" else "completed"
        _referral(world, nominal, prog, status, started=D(2025, 1, 1), ended=D(2026, 1, 1) if key == "late" else ended)
    _incident(world, people["day"], ended)
    _incident(world, people["last"], D(2026, 5, 31))
    _incident(world, people["anniversary"], D(2026, 6, 1))
    _conviction(people["anniversary"], committed=D(2025, 5, 31), convicted=D(2025, 7, 1))  # before: no
    _conviction(people["offence"], committed=D(2025, 9, 1), convicted=D(2026, 8, 1))
    _incident(world, people["offence"], D(2025, 12, 25))
    _conviction(people["no_offence_date"], committed=None, convicted=D(2026, 1, 10))
    _incident(world, people["no_offence_date"], D(2025, 8, 1), role=IncidentRole.VICTIM)  # a victim: no
    _conviction(people["caution"], committed=D(2025, 7, 1), convicted=D(2025, 7, 2), kind=Conviction.Kind.CAUTION)
    _incident(world, people["caution"], D(2025, 7, 1), domestic_abuse=False)  # not DA: no
    _conviction(people["finding"], committed=D(2025, 7, 1), convicted=D(2025, 9, 1), kind=Conviction.Kind.FINDING)
    _incident(world, people["dropped"], D(2025, 6, 2))
    # An other area's completer with a DA record: never counted here.
    away = _nominal(world, "away")
    _referral(world, away, programme(world.away["mappa"], name="Away"), "completed", ended=ended)
    _incident(world, away.person, D(2025, 7, 1))

    # Releases on 1 March 2025 (followed up to 28 February 2026), and treatment started around them.
    treatment = programme(world.home["mappa"], name="Community drug service", kind=Programme.Kind.SUBSTANCE_MISUSE)
    released = D(2025, 3, 1)
    plans = {}
    for key, housed, started in (
        ("a", True, D(2025, 3, 22)),  # day 21: taken up
        ("b", True, D(2025, 3, 23)),  # day 22: not
        ("c", True, D(2025, 2, 28)),  # before release: not
        ("f", True, D(2025, 3, 6)),
        ("d", False, released),  # the day of release: taken up
        ("e", False, None),
    ):
        nominal = _nominal(world)
        people[key] = nominal.person
        on = D(2026, 11, 20) if key == "e" else released  # e: three weeks not yet passed
        plans[key] = _released(world, nominal, on, housed=housed)
        if started:
            _referral(world, nominal, treatment, "started", started=started)
    _incident(world, people["a"], D(2025, 4, 1))
    _conviction(people["d"], committed=D(2025, 5, 1), convicted=D(2025, 6, 1))
    postponed = _nominal(world)
    _released(world, postponed, released, housed=True, outcome=ReleasePlan.Outcome.POSTPONED)

    # IOM: one entry on 1 June 2025 with records either side of both boundaries; one still in follow-up.
    x, later = _nominal(world), _nominal(world)
    IomMembership.objects.create(
        nominal=x,
        stream="flex",
        suggested_stream="free",
        reason="Repeat violence.",
        entered_on=ended,
        entered_by=world.users.om,
    )
    IomMembership.objects.create(
        nominal=later,
        stream="free",
        suggested_stream="free",
        reason="x",
        entered_on=D(2026, 10, 1),
        entered_by=world.users.om,
    )
    for day in (D(2024, 5, 31), D(2024, 6, 1), D(2025, 5, 31), ended, D(2026, 6, 1)):
        _incident(world, x.person, day)
    _conviction(x.person, committed=D(2025, 1, 1), convicted=D(2025, 2, 1))
    _conviction(x.person, committed=D(2025, 12, 1), convicted=D(2026, 1, 5), kind=Conviction.Kind.CAUTION)
    world.outcomes = {"programme": prog, "people": people, "x": x}
    return world


def test_the_programmes_rows_by_hand(outcome_world):
    prog = outcome_world.outcomes["programme"]
    rows = outcomes.programme_rows(outcome_world.home["mappa"].pk, TODAY)
    completed = rows[(prog.pk, "completed")]
    assert len(completed) == 8 and len(rows[(prog.pk, "dropped_out")]) == 1
    followed = [r for r in completed if rule.followed_up(r.start, TODAY)]
    assert len(followed) == 7  # the completion in January 2026 is still in follow-up
    assert sum(rule.within(r.first_da, r.start) for r in followed) == 3  # on the day, the last day, 25 December
    assert sum(rule.within(r.first_offence, r.start) for r in followed) == 3  # offence date, conviction date, caution


def test_the_programme_outcomes_suppressed(outcome_world):
    found = figures.area_figures(outcome_world.home["mappa"].pk, TODAY)
    completed, dropped = found.programme_outcomes
    assert completed.label.endswith("completed") and dropped.label.endswith("dropped out")
    assert (completed.followed.value, completed.da.value, completed.reoffended.value) == (7, 3, 3)
    assert (completed.da_rate, completed.reoffending_rate, completed.in_follow_up.text) == (
        "43%",
        "43%",
        "fewer than 3",
    )
    assert (dropped.followed.text, dropped.da.text, dropped.da_rate) == ("fewer than 3", "fewer than 3", "not shown")


def test_the_release_rows_and_take_up_by_hand(outcome_world):
    rows = outcomes.release_rows(outcome_world.home["mappa"].pk, TODAY)
    assert len(rows) == 6  # the postponed release is not one
    assert sum(r.accommodation for r in rows) == 4
    counted = [r for r in rows if rule.take_up_window_passed(r.released_on, TODAY)]
    assert len(counted) == 5
    assert sum(rule.took_up(r.released_on, r.first_treatment) for r in counted) == 3  # a, d and f
    found = figures.area_figures(outcome_world.home["mappa"].pk, TODAY).release_outcomes
    assert (found.take_up_counted.value, found.took_up.value, found.take_up_rate) == (5, 3, "60%")
    housed, unhoused, took, did_not = found.groups
    assert (housed.followed.value, housed.da.text, housed.reoffended.text) == (4, "fewer than 3", "0")
    assert (unhoused.followed.text, unhoused.in_follow_up.text) == ("fewer than 3", "fewer than 3")
    assert (took.followed.value, took.da.text, took.reoffended.text) == (3, "fewer than 3", "fewer than 3")
    assert (did_not.followed.text, did_not.in_follow_up.text) == ("fewer than 3", "fewer than 3")


def test_the_iom_entries_by_hand(outcome_world):
    entries = outcomes.iom_entries(outcome_world.home["mappa"].pk, TODAY)
    assert len(entries) == 2
    x = next(e for e in entries if e.entered_on == D(2025, 6, 1))
    assert x.da_dates == (D(2024, 5, 31), D(2024, 6, 1), D(2025, 5, 31), D(2025, 6, 1), D(2026, 6, 1))
    assert x.offence_dates == (D(2025, 1, 1), D(2025, 12, 1))
    raw = rule.before_after(entries * 3, TODAY, minimum=3)  # three copies: every count shown
    assert (raw.entries.value, raw.da_before.value, raw.da_after.value) == (3, 6, 3)
    assert (raw.offences_before.value, raw.offences_after.value) == (3, 3)
    shown = figures.area_figures(outcome_world.home["mappa"].pk, TODAY).iom
    assert (shown.entries.text, shown.da_before.text, shown.in_follow_up.text) == ("fewer than 3",) * 3


def test_the_area_settings_change_the_follow_up(outcome_world):
    PathwaySettings.objects.create(area=outcome_world.home["mappa"], follow_up_months=6)
    completed = figures.area_figures(outcome_world.home["mappa"].pk, TODAY).programme_outcomes[0]
    # Six months from 1 June 2025: the DA record on the day; the offence of 1 September and the caution of 1 July.
    assert completed.followed.value == 8  # January 2026 + 6 months has passed too
    assert (completed.da.text, completed.reoffended.text) == ("fewer than 3", "fewer than 3")


# --- In the monthly pack and on the PCC dashboard (counts only, suppressed) --------------------------------------

NOON = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
COMPLETED_ROW = ["Building Better Relationships (Fictional Probation Programmes): completed", 7, 3, "43%", 3, "43%"]
TAKE_UP_ROW = ["Treatment started within 21 days of release", 3, "60%"]


def _row(tables, title_start, first_cell_start):
    _, _, rows = next(t for t in tables if t[0].startswith(title_start))
    return next(r for r in rows if str(r[0]).startswith(first_cell_start))


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_monthly_pack_has_the_figures(outcome_world, sign_in):
    with time_machine.travel(NOON, tick=False):
        pack = build_pack(outcome_world.home["mappa"].pk, TODAY)
        assert _row(pack.pathway_tables, "Outcomes after programmes", "Building")[:6] == COMPLETED_ROW
        assert _row(pack.pathway_tables, "Release and treatment", "Treatment started") == TAKE_UP_ROW
        client = sign_in(outcome_world.users.analyst)
        page = client.get(reverse("workforce:pack")).content.decode()
        assert "Programmes, release and the IOM cohort" in page and "fewer than 3" in page
        assert "Outcome1" not in page  # no names
        rows = _csv_rows(client.get(reverse("workforce:pack-csv")).content)
    assert [*COMPLETED_ROW[:1], *map(str, COMPLETED_ROW[1:]), "fewer than 3"] in rows
    assert [TAKE_UP_ROW[0], "3", "60%"] in rows


def test_the_pcc_dashboard_has_the_figures_suppressed(outcome_world, sign_in):
    with time_machine.travel(NOON, tick=False):
        client = sign_in(outcome_world.users.analyst)
        page = client.get(reverse("oversight:dashboard")).content.decode()
        assert "IOM cohort offending (the 12 months before and after entry)" in page
        assert "Outcome1" not in page
        rows = _csv_rows(client.get(reverse("oversight:dashboard-csv")).content)
        assert sign_in(outcome_world.users.om).get(reverse("oversight:dashboard")).status_code == 404
    assert [*COMPLETED_ROW[:1], *map(str, COMPLETED_ROW[1:]), "fewer than 3"] in rows
    assert ["Entries followed up 12 months", "fewer than 3", ""] in rows
