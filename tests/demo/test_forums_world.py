"""The demo world's forums and pathways at work: one demo-size world, generated once for the module, checked
journey by journey through the services.

The forums test runs each check in turn, so a failure names the check in its traceback. The pathways test
(the README tour): the programme catalogue, om.demo's referral from a Level 2 action, a release in 10 weeks
with a gap on om.demo's work, and a peer observation shared with chair.demo.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.purposes import default_purpose
from safeguard.actions.models import Action, Prompt
from safeguard.audit.models import Operation
from safeguard.demo import pathways as demo_pathways
from safeguard.demo import workforce as demo_workforce
from safeguard.demo.forums import MATAC_ACTIONS, RELEASE_IN_DAYS
from safeguard.meetings.models import Forum, ForumCase, Meeting
from safeguard.meetings.services.agenda import build_agenda
from safeguard.offenders.models import Location, Nominal
from safeguard.pathways.models import InterventionReferral, IomMembership, PeerObservation, Programme, ReleasePlan
from safeguard.pathways.services import release
from safeguard.referrals.models import Referral
from safeguard.triage.services import meeting as triage
from safeguard.web.my_work_forums import forum_sections
from safeguard.workforce.competence import eligible_chairs
from safeguard.workforce.models import Staff
from tests.demo.conftest import held_world

SIZE = demo_workforce.planned_case_count() + 300


@pytest.fixture(scope="module")
def module_demo_world(django_db_setup, django_db_blocker):
    yield from held_world(django_db_blocker, seed=2026, nominal_count=SIZE, incident_count=1500)


@pytest.fixture
def made(module_demo_world, db):
    """What the generator made, for the module's tests: each changes the world only in its own transaction."""
    return module_demo_world


def _user(name: str) -> Staff:
    return Staff.objects.get(username=name)


def _ctx(name: str) -> AccessContext:
    user = _user(name)
    return AccessContext(user=user, purpose=default_purpose(user.roles))


def check_every_forum_has_settings_and_upcoming_meetings(made):
    today = timezone.localdate()
    kinds = set()
    for forum in Forum.objects.all():
        kinds.add(forum.kind)
        assert forum.cadence and forum.first_meeting_on and forum.meeting_time and forum.meeting_place
        assert forum.confidentiality_statement and forum.coordinators.exists()
        upcoming = Meeting.objects.filter(forum=forum, scheduled_for__gte=today)
        assert upcoming.exists(), forum.name
        assert upcoming.filter(scheduled_for__lt=today + dt.timedelta(weeks=8)).exists()
    assert kinds == set(Forum.Kind.values)
    assert Forum.objects.get(kind=Forum.Kind.MAPPA_LEVEL_2).chair_level == 2
    assert Forum.objects.get(kind=Forum.Kind.MAPPA_LEVEL_3).chair_level == 3
    assert Forum.objects.get(kind=Forum.Kind.MAPPA_LEVEL_2).coordinators.filter(username="coordinator.demo").exists()
    assert Forum.objects.get(kind=Forum.Kind.MATAC).coordinators.filter(username="marac.demo").exists()


def check_mappa_referral_waits_for_the_coordinator(made):
    referral = Referral.objects.get(pk=made["mappa_submitted"])
    assert referral.status == Referral.Status.SUBMITTED and referral.level_sought == 2
    assert referral.referred_by.agency.kind == "probation"
    assert referral.nominal.location == Location.CUSTODY
    assert 140 <= (referral.nominal.release_date - timezone.localdate()).days <= 160
    assert gate.decide(_user("coordinator.demo"), Operation.CHANGE, referral)
    assert not gate.decide(_user("om.demo"), Operation.CHANGE, referral)


def check_marac_referrals_accepted_and_repeat(made):
    accepted = Referral.objects.get(pk=made["marac_accepted"])
    assert accepted.status == Referral.Status.ACCEPTED and accepted.children and accepted.forum_case
    repeat = Referral.objects.get(pk=made["marac_repeat"])
    assert repeat.status == Referral.Status.SUBMITTED and repeat.is_repeat
    assert repeat.repeat_of_id == made["marac_repeat_of"]
    assert gate.decide(_user("marac.demo"), Operation.CHANGE, repeat)


def check_matac_nomination_accepted(made):
    referral = Referral.objects.get(pk=made["matac_accepted"])
    assert referral.status == Referral.Status.ACCEPTED and referral.matac_source == Referral.MatacSource.RANKING


def check_matac_actions_carry_each_tactic(made):
    referral = Referral.objects.get(pk=made["matac_accepted"])
    actions = Action.objects.filter(pk__in=made["matac_actions"])
    assert {a.forum_case_id for a in actions} == {referral.forum_case_id}
    assert sorted(a.tactic for a in actions) == sorted(t for t, *_ in MATAC_ACTIONS)
    assert {"disruption", "diversion", "support", "enforcement"} <= {a.tactic for a in actions}


def check_actions_for_om_and_housing(made):
    today = timezone.localdate()
    mine = Action.objects.filter(owner__username="om.demo", status__in=Action.OPEN_STATUSES)
    assert mine.count() >= 2 and mine.filter(due_on__lt=today).exists()
    housing = _user("housing.demo")
    assert Action.objects.filter(owner_agency=housing.agency, status__in=Action.OPEN_STATUSES).exists()


def check_category3_prompts(made):
    person = made["category3_person"]
    for name in ("coordinator.demo", "om.demo"):
        assert Prompt.objects.filter(
            kind=Prompt.Kind.CATEGORY_3, assigned_to__username=name, person_id=person, decision=""
        ).exists(), name


def check_chairs_eligible(made):
    area = Forum.objects.get(kind=Forum.Kind.MAPPA_LEVEL_2).area_id
    today = timezone.localdate()
    level2 = {c.staff.username: c.staff.rank_or_grade for c in eligible_chairs(area, 2, today)}
    assert "chair.demo" in level2 and "Inspector" in level2.values()
    assert "chair.demo" in {c.staff.username for c in eligible_chairs(area, 3, today)}


def check_every_forum_meets_today(made):
    """The tour runs a meeting and opens the triage on the day the world is made, whatever day that is."""
    today = timezone.localdate()
    for forum in Forum.objects.all():
        assert Meeting.objects.filter(forum=forum, scheduled_for=today).exists(), forum.name
    assert Forum.objects.get(kind=Forum.Kind.DAILY_TRIAGE).cadence == Forum.Cadence.DAILY


def check_triage_incidents_in_the_window(made):
    forum = Forum.objects.get(kind=Forum.Kind.DAILY_TRIAGE)
    day = timezone.localdate()
    meeting = triage.meeting_on(forum, day)
    ids = set(triage.incidents_in_window(meeting).values_list("pk", flat=True))
    assert len(made["triage_incidents"]) == 3 and set(made["triage_incidents"]) <= ids
    loaded = triage.open_day(_ctx("marac.demo"), forum, day)
    assert {c.incident_id for c in loaded.added} >= set(made["triage_incidents"])
    assert any(c.incident.people.filter(role="child_present").exists() for c in loaded.added)


def check_due_dates_spread_around_today(made):
    """Most dates to come, a share overdue by days or weeks, none by years: the rules work them out from past
    events placed so (the last review, the last notification, the release), nothing overwritten."""
    today = timezone.localdate()
    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE)
    dated = list(active.exclude(next_due_on=None).values_list("next_due_on", flat=True))
    overdue = [d for d in dated if d < today]
    assert len(dated) > 100 and 0.02 <= len(overdue) / len(dated) <= 0.2
    assert not active.filter(mappa_review_due__lt=today - dt.timedelta(days=31)).exists()
    assert not active.filter(notification_due__lt=today - dt.timedelta(days=60)).exists()
    assert active.filter(management_level__gte=2, mappa_review_due__lt=today).exists()
    assert active.filter(notification_due__lt=today).exists()
    # The level is set months before release: only next month's planned releases and the referral's nominal
    # (the demo plan's) are overdue by months; the rest by a few weeks at most.
    long_overdue = active.filter(level_set_by__lt=today - dt.timedelta(days=35))
    assert not long_overdue.exclude(release_date__lte=today + dt.timedelta(days=RELEASE_IN_DAYS)).exists()


def check_next_meeting_agenda_has_items(made, kind):
    forum = Forum.objects.filter(kind=kind, coordinators__isnull=False).order_by("pk").first()
    if kind == Forum.Kind.MARAC:
        forum = Referral.objects.get(pk=made["marac_accepted"]).forum
    meeting = Meeting.objects.filter(forum=forum, starts_at__gte=timezone.now()).order_by("starts_at").first()
    coordinator = forum.coordinators.first()
    ctx = AccessContext(user=coordinator, purpose=default_purpose(coordinator.roles))
    build_agenda(ctx, meeting, expected_version=meeting.version)
    assert meeting.items.exists()
    assert gate.decide(coordinator, "view", meeting).allowed


def check_level2_tour_meeting_is_a_real_days_agenda(made):
    """About 30 cases at the next Level 2 meeting, to run case by case."""
    forum = Forum.objects.get(kind=Forum.Kind.MAPPA_LEVEL_2)
    meeting = (
        Meeting.objects.filter(forum=forum, starts_at__date__gte=timezone.localdate(), status="scheduled")
        .order_by("starts_at")
        .first()
    )
    ctx = _ctx("coordinator.demo")
    build_agenda(ctx, meeting, expected_version=meeting.version)
    open_cases = ForumCase.objects.filter(forum=forum, closed_on=None).values_list("person_id", flat=True)
    level2 = Nominal.objects.filter(person_id__in=open_cases, management_level=2, status=Nominal.Status.ACTIVE)
    # The make demo world (1,500 nominals) has more than 30 such cases; this smaller one may have fewer.
    assert made["tour_meeting_cases"] == min(30, level2.count()) >= 15
    assert meeting.items.count() >= made["tour_meeting_cases"]


def check_chair_and_idva_have_real_work(made):
    """chair.demo: meetings to chair and minutes to approve; idva.demo: their forums' cases and DASHs due."""
    today = timezone.localdate()
    assert len(made["chair_meetings"]) == 3
    chair = forum_sections(_ctx("chair.demo"), _user("chair.demo"), QueryDict(""), today)
    shown = {s.key: [m.pk for m in s.list.rows] for s in chair}
    assert set(made["chair_meetings"][:2]) <= set(shown["chairing"])
    assert (
        made["chair_meetings"][2] in shown["minutes"]
    )  # with any other held meeting of theirs (the peer observation's)
    idva = forum_sections(_ctx("idva.demo"), _user("idva.demo"), QueryDict(""), today)
    counts = {s.key: s.list.count for s in idva}
    assert counts["cases"] >= 1 and counts["dash"] >= 1


def test_forums_world(made):
    """One demo-size world (generating it is the slow part), then each journey's facts in turn."""
    made = made["forums"]
    check_every_forum_has_settings_and_upcoming_meetings(made)
    check_mappa_referral_waits_for_the_coordinator(made)
    check_marac_referrals_accepted_and_repeat(made)
    check_matac_nomination_accepted(made)
    check_actions_for_om_and_housing(made)
    check_matac_actions_carry_each_tactic(made)
    check_category3_prompts(made)
    check_chairs_eligible(made)
    check_every_forum_meets_today(made)
    check_triage_incidents_in_the_window(made)
    check_level2_tour_meeting_is_a_real_days_agenda(made)
    check_chair_and_idva_have_real_work(made)
    check_due_dates_spread_around_today(made)
    for kind in (Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MARAC, Forum.Kind.MATAC):
        check_next_meeting_agenda_has_items(made, kind)


def test_the_demo_pathways(made, sign_in):
    made = made["pathways"]
    today = timezone.localdate()
    om = Staff.objects.get(username="om.demo")
    assert made["programmes"] == len(demo_pathways.PROGRAMMES) == Programme.objects.count()

    referral = InterventionReferral.objects.get(pk=made["referral"])
    assert (referral.status, referral.source, referral.nominal.offender_manager) == ("accepted", "action", om)

    plan = ReleasePlan.objects.get(pk=made["release_plan"])
    assert plan.release_date == today + dt.timedelta(days=demo_pathways.RELEASE_IN_DAYS)
    assert [item.pathway for item in release.my_gaps(om, today)] == ["accommodation"]

    observation = PeerObservation.objects.get(pk=made["peer_observation"])
    assert observation.shared_with_chair_on == today
    assert observation.meeting.chair.username == "chair.demo"

    assert made["cpd_event"] and made["iom_membership"]
    assert IomMembership.objects.get(pk=made["iom_membership"]).nominal.offender_manager == om

    page = sign_in(om).get("/").content.decode()
    assert "Intervention steps due" in page and "Gaps in release checklists" in page
    chair_page = sign_in(observation.meeting.chair).get("/").content.decode()
    assert "Peer feedback on meetings you chaired" in chair_page
