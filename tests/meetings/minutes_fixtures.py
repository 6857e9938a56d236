"""Records for the minutes tests on top of the shared `world` fixture (tests/conftest.py), made once per world.

``minutes_records(world)`` adds a MAPPA Level 3 forum whose members are the police, probation, the housing
partner's agency and the IDVA service; the world's MAPPA coordinator coordinates it and ``chair`` chairs it. The
police (the offender manager ``om``), probation (the chair) and housing (``partner``) attend its meetings; the IDVA
service sends apologies, so ``idva`` may not read the minutes until the chair shares them.

Each held meeting hears two cases: the offender (``world.nominals.mine``), with what each agency shared (a police
fact, a probation opinion with something withheld, and a police item restricted from housing), two decisions
(one with a dissent from housing), a plan saved under every heading and two actions; and the other offender,
deferred.

- ``held``: held, ended 20 minutes ago, minutes not issued;
- ``issued``: held two days ago, its minutes issued 40 minutes after it ended (by the coordinator);
- ``upcoming``: scheduled in ten days; ``moved``: moved twice; ``cancelled``: cancelled.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from safeguard.actions.models import Action
from safeguard.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Forum,
    ForumCase,
    Meeting,
    RiskManagementPlan,
    SharedInformation,
)
from safeguard.meetings.services import minutes, schedule
from tests.helpers import ctx_for

STATEMENT = "What is said in this meeting stays in it: share nothing without the chair's permission."
PLACE = "Fictional Shire Police HQ, Room 4"
RESTRICTED_TEXT = "Covert source reports renewed contact with a former victim."
POLICE_FACT = "Arrested for breach of a non-molestation order on 3 March."
PROBATION_OPINION = "The offender manager believes his compliance is superficial."
WITHHELD = "Psychology report content withheld: no consent to share it onward."
DISSENT = "Housing considers a move would raise the risk to the new neighbours."
PLAN = {
    "supervision": "Weekly appointments with the offender manager.",
    "monitoring_and_control": "Curfew 19:00 to 07:00 with electronic monitoring.",
    "interventions_and_treatment": "Building Better Relationships programme.",
    "victim_safety": "Exclusion zone around the former victim's street; IDVA safety plan.",
    "contingency": "Recall to custody on any contact with the former victim.",
    "licence_conditions": "No contact with the former victim; reside at the approved premises.",
}


def _held(world, forum, cases, *, ends_at: dt.datetime, plan_version: int) -> SimpleNamespace:
    users = world.users
    starts_at = ends_at - dt.timedelta(hours=2)
    meeting = Meeting.objects.create(
        forum=forum,
        starts_at=starts_at,
        ends_at=ends_at,
        place=PLACE,
        status=Meeting.Status.HELD,
        chair=users.chair,
        chair_reason="Senior Probation Officer with MAPPA chair training in date",
        confidentiality_read_at=starts_at + dt.timedelta(minutes=5),
    )
    for agency, staff, name, role, present in (
        (world.police, users.om, "Olivia Mercer", "Detective Constable", True),
        (world.probation, users.chair, "Casey Chairwell", "Senior Probation Officer", True),
        (world.housing, users.partner, "Harriet Hughes", "Housing officer", True),
        (world.idva_service, users.idva, "Ivy Day", "IDVA", False),
    ):
        Attendance.objects.create(
            meeting=meeting,
            agency=agency,
            staff=staff,
            name=name,
            role=role,
            present=present,
            agreed_confidentiality=present,
        )
    day = timezone.localdate(starts_at)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        section=AgendaItem.Section.REVIEW,
        why="Level 3 review due",
        forum_case=cases[0],
        person=world.people.offender,
        nominal=world.nominals.mine,
        outcome=AgendaItem.Outcome.HEARD,
        risk_level_agreed="very_high",
        management_level_agreed=3,
        next_review_on=day + dt.timedelta(weeks=8),
        summary="The risk remains very high while the former victim lives nearby.",
    )
    fact = SharedInformation.objects.create(
        item=item, agency=world.police, content=POLICE_FACT, recorded_by=users.coordinator
    )
    opinion = SharedInformation.objects.create(
        item=item,
        agency=world.probation,
        content=PROBATION_OPINION,
        is_opinion=True,
        withheld=WITHHELD,
        recorded_by=users.coordinator,
    )
    restricted = SharedInformation.objects.create(
        item=item, agency=world.police, content=RESTRICTED_TEXT, recorded_by=users.coordinator
    )
    restricted.restricted_from.set([world.housing])
    levels = Decision.objects.create(
        item=item,
        text="Risk level agreed: Very high. MAPPA management level agreed: Level 3 (was Level 2).",
        rationale="New intelligence of contact with a former victim.",
        recorded_by=users.coordinator,
    )
    dissented = Decision.objects.create(
        item=item,
        text="Ask the council to move him away from the former victim's street.",
        rationale="Distance is the strongest protection available now.",
        dissent=DISSENT,
        dissent_agency=world.housing,
        recorded_by=users.coordinator,
    )
    plan = RiskManagementPlan.objects.create(
        person=world.people.offender,
        nominal=world.nominals.mine,
        forum=forum,
        version=plan_version,
        agenda_item=item,
        created_by=users.coordinator,
        **PLAN,
    )
    visit = Action.objects.create(
        forum=forum,
        forum_case=cases[0],
        person=world.people.offender,
        agenda_item=item,
        description="Visit the home address unannounced.",
        rationale="Check he keeps to the curfew.",
        owner_agency=world.police,
        owner=users.om,
        due_on=day + dt.timedelta(days=7),
        created_by=users.coordinator,
    )
    tenancy = Action.objects.create(
        forum=forum,
        forum_case=cases[0],
        person=world.people.offender,
        agenda_item=item,
        description="Review the tenancy.",
        rationale="The tenancy is in the former victim's street.",
        owner_agency=world.housing,
        due_on=day + dt.timedelta(days=14),
        created_by=users.coordinator,
    )
    deferred = AgendaItem.objects.create(
        meeting=meeting,
        position=2,
        section=AgendaItem.Section.NEW,
        why="New referral, accepted",
        forum_case=cases[1],
        person=world.people.other_offender,
        outcome=AgendaItem.Outcome.DEFERRED,
        summary="Deferred: the probation report is not ready.",
    )
    return SimpleNamespace(
        meeting=meeting,
        item=item,
        deferred=deferred,
        fact=fact,
        opinion=opinion,
        restricted=restricted,
        decisions=(levels, dissented),
        plan=plan,
        actions=(visit, tenancy),
    )


def _scheduled(forum, days: int) -> Meeting:
    day = timezone.localdate() + dt.timedelta(days=days)
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    return Meeting.objects.create(
        forum=forum,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        place=PLACE,
        scheduled_for=day,
        chair=None,
    )


def minutes_records(world) -> SimpleNamespace:
    found = getattr(world, "minutes", None)
    if found is not None:
        return found
    users = world.users
    forum = Forum.objects.create(
        name="Fictional Shire MAPPA Level 3",
        kind=Forum.Kind.MAPPA_LEVEL_3,
        area=world.home["mappa"],
        meeting_time=dt.time(10, 0),
        meeting_minutes=120,
        meeting_place=PLACE,
        confidentiality_statement=STATEMENT,
    )
    forum.member_agencies.set([world.police, world.probation, world.housing, world.idva_service])
    today = timezone.localdate()
    cases = (
        ForumCase.objects.create(forum=forum, person=world.people.offender, opened_on=today - dt.timedelta(days=90)),
        ForumCase.objects.create(
            forum=forum, person=world.people.other_offender, opened_on=today - dt.timedelta(days=10)
        ),
    )
    now = timezone.now()
    held = _held(world, forum, cases, ends_at=now - dt.timedelta(minutes=20), plan_version=2)
    issued = _held(world, forum, cases, ends_at=now - dt.timedelta(days=2), plan_version=1)
    minutes.issue_minutes(
        ctx_for(users.coordinator),
        issued.meeting,
        expected_version=issued.meeting.version,
        now=issued.meeting.ends_at + dt.timedelta(minutes=40),
    )
    upcoming = _scheduled(forum, 10)
    moved = _scheduled(forum, 20)
    for days in (21, 22):
        moved.refresh_from_db()
        schedule.move_meeting(
            ctx_for(users.coordinator),
            moved,
            starts_at=moved.starts_at + dt.timedelta(days=1),
            place=PLACE,
            reason="The room is needed for a Level 3 case conference.",
            expected_version=moved.version,
        )
        assert timezone.localdate(moved.starts_at) == today + dt.timedelta(days=days)
    cancelled = _scheduled(forum, 30)
    schedule.cancel_meeting(
        ctx_for(users.coordinator),
        cancelled,
        reason="The chair is on leave that week.",
        expected_version=cancelled.version,
    )
    for record in (held.meeting, issued.meeting, upcoming, moved, cancelled):
        record.refresh_from_db()
    world.minutes = SimpleNamespace(
        forum=forum,
        cases=cases,
        held=held,
        issued=issued,
        upcoming=upcoming,
        moved=moved,
        cancelled=cancelled,
    )
    return world.minutes
