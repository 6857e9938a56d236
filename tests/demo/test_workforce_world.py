"""The synthetic world's workforce: training, waiting lists, buddies, hours, caseload history, the demo team.

Journey 9 (supervisor, end of month) must be true in every demo world; the
facts are checked through the same adapters the pages use
(``workforce.figures.measures_for``, ``workforce.competence.competences``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from safeguard.access import gate
from safeguard.demo import organisation, signins, world
from safeguard.demo import workforce as demo_workforce
from safeguard.offenders.models import Location, Nominal
from safeguard.rules.competence import MOSOVO, needs_buddy
from safeguard.rules.workload import CaseFacts, available_points, caseload_measure
from safeguard.workforce.competence import competences, completions_by_staff
from safeguard.workforce.figures import case_facts_by_officer, measures_for
from safeguard.workforce.models import (
    Area,
    AreaSettings,
    Buddy,
    CaseloadSnapshot,
    CoursePlace,
    Role,
    Staff,
    Team,
    TrainingCompletion,
    WaitingListEntry,
)
from tests.demo.conftest import held_world

pytestmark = pytest.mark.django_db

EXTRA = 600  # nominals beyond the demo plan, so that the rest of the force has officers and cases too
HIGH = ("high", "very_high")
ENGLAND = {"latitude": (49.9, 55.8), "longitude": (-6.4, 1.8)}


def _size() -> int:
    return demo_workforce.planned_case_count() + EXTRA


@pytest.fixture(scope="module")
def module_demo_world(django_db_setup, django_db_blocker):
    yield from held_world(django_db_blocker, seed=2026, nominal_count=_size(), incident_count=300)


@pytest.fixture
def demo_world(module_demo_world, db):
    """One demo-size world for the module (its tests only read it): generated once, not once per test."""
    return module_demo_world


def _offender_managers(**filters) -> list[Staff]:
    return [
        s for s in Staff.objects.filter(**filters).select_related("agency__area") if s.has_role(Role.OFFENDER_MANAGER)
    ]


def _demo_team() -> tuple[Staff, list[Staff]]:
    supervisor = Staff.objects.get(username="supervisor.demo")
    return supervisor, _offender_managers(team=supervisor.team_id)


def _settings(user: Staff) -> AreaSettings:
    return AreaSettings.for_area(user.mappa_area_id)


def _open_mosovo_entries():
    return WaitingListEntry.objects.filter(course__code=MOSOVO, status__in=WaitingListEntry.OPEN)


def _next_calendar_month(today: dt.date) -> tuple[dt.date, dt.date]:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    first = dt.date(year, month, 1)
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return first, following - dt.timedelta(days=1)


def _twelve_months_before(today: dt.date) -> list[dt.date]:
    months, year, month = [], today.year, today.month
    for _ in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(dt.date(year, month, 1))
    return sorted(months)


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + 1, 1, 1) if month.month == 12 else dt.date(month.year, month.month + 1, 1)
    return following - dt.timedelta(days=1)


# --- Determinism -----------------------------------------------------------------------------------


def _workforce_digest() -> str:
    """Every workforce row the generator writes, by usernames and codes (never by database ids)."""
    user = dict(Staff.objects.values_list("id", "username"))
    parts = [
        sorted(
            (user[s], c, str(d), str(e), ev)
            for s, c, d, e, ev in TrainingCompletion.objects.values_list(
                "staff_id", "course__code", "completed_on", "expires_on", "evidence"
            )
        ),
        sorted(
            (user[s], c, str(j), st, p or "", n, str(cl))
            for s, c, j, st, p, n, cl in WaitingListEntry.objects.values_list(
                "staff_id", "course__code", "joined_on", "status", "place__offered_by", "note", "closed_on"
            )
        ),
        sorted(
            (user[a], user[b], str(s), str(e))
            for a, b, s, e in Buddy.objects.values_list("new_joiner_id", "buddy_id", "started_on", "ended_on")
        ),
        sorted(CoursePlace.objects.values_list("course__code", "offered_by", "starts_on", "places")),
        sorted(
            (user[o], str(m), *rest)
            for o, m, *rest in CaseloadSnapshot.objects.values_list(
                "officer_id",
                "month",
                "team__name",
                "cases",
                "weighted_units",
                "high_risk_cases",
                "community_cases",
                "custody_cases",
                "approved_premises_cases",
                "level_2_3_cases",
                "over_ratio",
                "over_high_risk_cap",
                "taken_at",
            )
        ),
        sorted(
            Staff.objects.exclude(username=world.SYSTEM_USERNAME).values_list(  # the system user joins "now"
                "username", "team__name", "rank_or_grade", "contracted_hours", "reduction_hours", "date_joined"
            )
        ),
        sorted(
            Nominal.objects.values_list(
                "reference",
                "workload_tier",
                "release_date",
                "offender_manager__username",
                "allocated_on",
                "location",
                "rosh",
                "management_level",
            )
        ),
        sorted(Area.objects.values_list("name", "latitude", "longitude")),
        sorted(Team.objects.values_list("name", "base_latitude", "base_longitude")),
        sorted((s.area.name, repr(s.probation_grade_targets)) for s in AreaSettings.objects.select_related("area")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_same_seed_same_workforce():
    """Two runs with one seed give the same training, waiting lists, buddies, hours, tiers and history."""
    size = demo_workforce.planned_case_count() + 60
    digests = []
    for _ in range(2):
        savepoint = transaction.savepoint()
        world.generate(seed=41, nominal_count=size, incident_count=50)
        assert TrainingCompletion.objects.exists() and CaseloadSnapshot.objects.exists()
        digests.append(_workforce_digest())
        transaction.savepoint_rollback(savepoint)
    assert digests[0] == digests[1]
    world.generate(seed=42, nominal_count=size, incident_count=50)
    assert _workforce_digest() != digests[0]


# --- Journey 9 in the demo team --------------------------------------------------------------------


def test_journey_9_is_true_in_the_supervisors_team(demo_world):
    supervisor, team = _demo_team()
    today = timezone.localdate()
    settings = _settings(supervisor).caseload_settings()
    measures = measures_for([s.pk for s in team], settings)
    over_ratio = [s for s in team if measures[s.pk].over_ratio]
    over_cap = [s for s in team if measures[s.pk].over_high_risk_cap]
    assert len(over_ratio) == 2
    assert all(measures[s.pk].cases > settings.ratio_cases_per_officer for s in over_ratio)
    assert len(over_cap) == 1 and over_cap[0] not in over_ratio
    ap = measures[over_cap[0].pk]
    # Over the cap because of the Approved Premises: without its high-risk residents the officer is within it.
    assert ap.approved_premises_cases > 0
    assert ap.high_risk_in_approved_premises >= ap.over_high_risk_cap_by > 0
    assert any("Approved Premises" in reason for reason in ap.reasons)
    held = Nominal.objects.filter(offender_manager=over_cap[0], location=Location.APPROVED_PREMISES)
    assert held.count() == ap.approved_premises_cases

    waiting = {e.staff_id: e for e in _open_mosovo_entries().filter(staff__in=team)}
    assert len(waiting) == 4
    buddies = {b.new_joiner_id: b.buddy for b in Buddy.objects.filter(ended_on=None, new_joiner__in=team)}
    assert set(buddies) == set(waiting)
    competence = competences([*team, *buddies.values()], today)
    for officer in waiting:
        assert not competence[officer].may_hold_level_2_3
        buddy = buddies[officer]
        assert buddy.team_id == supervisor.team_id and buddy.pk != officer
        assert MOSOVO in competence[buddy.pk].valid_courses
    om = Staff.objects.get(username=signins.OFFENDER_MANAGER)
    assert om in team and not measures[om.pk].over and competence[om.pk].may_hold_level_2_3


def test_next_months_releases_wait_for_allocation_in_the_team_area(demo_world):
    supervisor, team = _demo_team()
    first, last = _next_calendar_month(timezone.localdate())
    north = [organisation.LOCAL_AUTHORITIES[i] for i in range(len(organisation.LOCAL_AUTHORITIES)) if i % 3 == 0]
    releases = Nominal.objects.filter(
        status=Nominal.Status.ACTIVE,
        location=Location.CUSTODY,
        release_date__range=(first, last),
        offender_manager=None,
        local_area__name__in=north,
    )
    assert releases.count() >= len(demo_workforce.NEXT_MONTH_RELEASES)
    assert releases.filter(management_level__gte=2).count() >= 3
    assert releases.filter(management_level=1, rosh__in=HIGH).exists()
    assert releases.exclude(rosh__in=HIGH).exists()
    assert not releases.filter(allocated_on__isnull=False).exists()
    assert set(gate.scoped(supervisor, releases)) == set(releases)

    # The batch can be allocated without breaking a rule: enough room, under the ratio and the cap, among
    # the team's MOSOVO-trained officers for the Level 2/3 releases (each high risk).
    settings = _settings(supervisor).caseload_settings()
    competence = competences(team, timezone.localdate())
    facts = case_facts_by_officer([s.pk for s in team])
    room = 0
    for officer in team:
        if not competence[officer.pk].may_hold_level_2_3 or caseload_measure(facts[officer.pk], settings).over:
            continue
        case = CaseFacts(rosh="high", management_level=2)
        taken = 0
        while not caseload_measure([*facts[officer.pk], *[case] * (taken + 1)], settings).over:
            taken += 1
        room += taken
    assert room >= releases.filter(management_level__gte=2).count()


def test_the_supervisors_my_work_page_lists_the_team_and_the_releases(demo_world, sign_in):
    supervisor, team = _demo_team()
    first, last = _next_calendar_month(timezone.localdate())
    releases = Nominal.objects.filter(release_date__range=(first, last), offender_manager=None)
    page = sign_in(supervisor).get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Waiting to be allocated" in text
    for reference in releases.values_list("reference", flat=True):
        assert reference in text
    held = Nominal.objects.filter(status=Nominal.Status.ACTIVE, offender_manager__in=team)
    assert f"{held.count()} nominals" in text  # "My team's caseload": every officer of the team, om.demo too


def test_om_demo_keeps_the_tour_caseload(demo_world):
    om = Staff.objects.get(username=signins.OFFENDER_MANAGER)
    today = timezone.localdate()
    caseload = om.caseload.all()
    assert caseload.count() == signins.CASELOAD
    assert caseload.filter(management_level=2, next_review_due__lt=today).exists()
    assert caseload.filter(management_level=2, next_review_due__range=(today, today + dt.timedelta(days=7))).exists()
    assert caseload.filter(person__family_name=signins.TOUR_FAMILY_NAME).exists()


# --- Training, waiting lists and buddies across the force -----------------------------------------


def test_every_officer_without_mosovo_is_waiting_with_a_buddy_who_holds_it(demo_world):
    today = timezone.localdate()
    officers = _offender_managers()
    completions = completions_by_staff(s.pk for s in officers)
    needing = {s.pk for s in officers if needs_buddy(completions.get(s.pk, []), today).needs_buddy}
    entries = list(_open_mosovo_entries())
    assert {e.staff_id for e in entries} == needing
    current = {b.new_joiner_id: b.buddy for b in Buddy.objects.filter(ended_on=None).select_related("buddy__agency")}
    assert set(current) == needing
    competence = competences(list(current.values()), today)
    for joiner, buddy in current.items():
        assert buddy.pk != joiner
        assert MOSOVO in competence[buddy.pk].valid_courses
    assert Buddy.objects.filter(ended_on__isnull=False).exists()  # buddies who saw someone through training
    assert WaitingListEntry.objects.filter(course__code=MOSOVO, status=WaitingListEntry.Status.COMPLETED).exists()


def test_training_records_are_believable(demo_world):
    today = timezone.localdate()
    officers = _offender_managers()
    held = Counter()
    for staff_id, code in TrainingCompletion.objects.values_list("staff_id", "course__code").distinct():
        held[code] += staff_id in {s.pk for s in officers}
    assert held["visor"] >= 0.9 * len(officers)
    assert 0.6 * len(officers) <= held["mosovo"] < len(officers)
    assert 0 < held["arms"] < len(officers)
    assert 0 < held["da_cpd"] < len(officers)
    chairs = [s for s in Staff.objects.all() if s.has_role(Role.CHAIR)]
    assert chairs and all(s.completions.filter(course__code="mappa_chair").exists() for s in chairs)
    assert TrainingCompletion.objects.filter(expires_on__lte=today).exists()
    assert TrainingCompletion.objects.filter(expires_on__gt=today, expires_on__lte=today + dt.timedelta(days=60))
    assert not TrainingCompletion.objects.filter(completed_on__gt=today).exists()
    for completion in TrainingCompletion.objects.select_related("course")[:200]:
        completion.full_clean(exclude=["staff", "recorded_by"])
    offering = set(CoursePlace.objects.filter(course__code=MOSOVO).values_list("offered_by", flat=True))
    assert len(offering) == 2 and any("neighbouring force" in o for o in offering)
    for place in CoursePlace.objects.all():
        taken = place.entries.filter(status__in=WaitingListEntry.OPEN).count()
        assert taken <= place.places


def test_level_2_and_3_nominals_sit_with_mosovo_trained_officers(demo_world):
    today = timezone.localdate()
    held = Nominal.objects.filter(management_level__gte=2).exclude(offender_manager=None)
    officers = Staff.objects.filter(pk__in=held.values("offender_manager")).select_related("agency__area")
    competence = competences(officers, today)
    ever_trained = set(TrainingCompletion.objects.filter(course__code=MOSOVO).values_list("staff_id", flat=True))
    assert held.count() >= 10
    trained = [n for n in held if competence[n.offender_manager_id].may_hold_level_2_3]
    assert len(trained) >= 0.9 * held.count()
    # The rest are with officers whose MOSOVO has since lapsed: never with someone who never trained, and
    # each came to its officer after they had trained.
    assert all(n.offender_manager_id in ever_trained for n in held)
    trained_on = dict(
        TrainingCompletion.objects.filter(course__code=MOSOVO)
        .values("staff_id")
        .annotate(first=Min("completed_on"))
        .values_list("staff_id", "first")
    )
    assert all(n.allocated_on >= trained_on[n.offender_manager_id] for n in held)


# --- Probation: hours, grades, tiers, grade targets -------------------------------------------------


def test_probation_hours_tiers_and_grade_targets(demo_world):
    area = Area.objects.get(kind=Area.Kind.MAPPA, code="w2026-fictional-shire")
    settings = AreaSettings.objects.get(area=area)
    assert set(settings.probation_grade_targets) == {"po", "pso"}
    defaults = AreaSettings(area=area)
    for f in AreaSettings._meta.concrete_fields:
        if f.name not in ("id", "area", "probation_grade_targets"):
            assert getattr(settings, f.name) == getattr(defaults, f.name), f.name
    targets = settings.grade_targets()

    probation = _offender_managers(agency__kind="probation")
    assert {s.rank_or_grade for s in probation} == {"PO", "PSO"}
    assert any(s.contracted_hours < 37 for s in probation)
    assert any(s.reduction_hours > 0 for s in probation)
    for s in probation:
        target, hours = targets[s.rank_or_grade.lower()]
        assert available_points(target, hours, s.contracted_hours, s.reduction_hours) > 0
    assert all(s.contracted_hours is None for s in _offender_managers(agency__kind="police"))

    table = settings.point_table()
    led = Nominal.objects.filter(lead_agency__kind="probation")
    assert led.exists()
    for tier, rosh in led.values_list("workload_tier", "rosh"):
        assert re.fullmatch(r"[A-D][0-3]", tier)
        assert table.lookup("community", tier) is not None
        if rosh == "very_high":
            assert tier[0] == "A"
    assert not Nominal.objects.exclude(lead_agency__kind="probation").exclude(workload_tier="").exists()
    assert not led.filter(rosh__in=HIGH, offender_manager__rank_or_grade="PSO").exists()


def test_areas_and_team_bases_have_coordinates_in_england(demo_world):
    areas = Area.objects.filter(code__startswith="w2026-")
    teams = Team.objects.filter(agency__code__startswith="w2026-")
    points = [(a.latitude, a.longitude) for a in areas] + [(t.base_latitude, t.base_longitude) for t in teams]
    for latitude, longitude in points:
        assert ENGLAND["latitude"][0] < latitude < ENGLAND["latitude"][1]
        assert ENGLAND["longitude"][0] < longitude < ENGLAND["longitude"][1]
    local = areas.filter(kind=Area.Kind.LOCAL_AUTHORITY)
    assert len({(a.latitude, a.longitude) for a in local}) == local.count()
    # The demo team's base is nearer every North Division area than any area of the South Division.
    base = Staff.objects.get(username="supervisor.demo").team
    names = organisation.LOCAL_AUTHORITIES

    def distance(area: Area) -> float:
        return (area.latitude - base.base_latitude) ** 2 + (area.longitude - base.base_longitude) ** 2

    north = [distance(local.get(name=names[i])) for i in range(len(names)) if i % 3 == 0]
    south = [distance(local.get(name=names[i])) for i in range(len(names)) if i % 3 == 2]
    assert max(north) < min(south)


# --- Caseload history ------------------------------------------------------------------------------


def test_twelve_months_of_snapshots_reconstructed_from_the_nominals(demo_world):
    today = timezone.localdate()
    months = _twelve_months_before(today)
    assert sorted(CaseloadSnapshot.objects.values_list("month", flat=True).distinct()) == months
    officers = _offender_managers()
    settings = _settings(officers[0]).caseload_settings()
    by_officer = Counter(CaseloadSnapshot.objects.values_list("officer_id", flat=True))
    for officer in officers:
        expected = sum(1 for m in months if officer.date_joined.date() <= _month_end(m))
        assert by_officer[officer.pk] == expected, officer.username
    assert sum(1 for s in officers if by_officer[s.pk] == 12) >= len(officers) / 2

    # Last month's snapshot is what the rules give for the cases allocated by the end of that month.
    end = _month_end(months[-1])
    then = Nominal.objects.filter(allocated_on__lte=end, managed_from__lte=end)
    facts = case_facts_by_officer([s.pk for s in officers], nominals=then)
    rows = {r.officer_id: r for r in CaseloadSnapshot.objects.filter(month=months[-1])}
    for officer in officers:
        measure = caseload_measure(facts.get(officer.pk, []), settings)
        row = rows[officer.pk]
        assert (row.cases, row.high_risk_cases, row.custody_cases, row.approved_premises_cases) == (
            measure.cases,
            measure.high_risk_cases,
            measure.custody_cases,
            measure.approved_premises_cases,
        )
        assert (row.over_ratio, row.over_high_risk_cap) == (measure.over_ratio, measure.over_high_risk_cap)
        assert row.team_id == officer.team_id
    # The trend moves: the two officers over the ratio now were not a year ago.
    _, team = _demo_team()
    now = measures_for([s.pk for s in team], settings)
    for officer in (s for s in team if now[s.pk].over_ratio):
        history = list(CaseloadSnapshot.objects.filter(officer=officer).values_list("cases", flat=True))
        assert history[0] < history[-1] and history[0] <= settings.ratio_cases_per_officer
