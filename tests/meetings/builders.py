"""Forum records on top of the shared `world` fixture (tests/conftest.py), made once per world.

``records(world)`` adds a MAPPA Level 2 forum (police and probation members) with:
- ``world.nominals.mine`` at Level 2, its review due yesterday, with an open case on the forum;
- ``chair`` (a probation SPO) given MAPPA chair training, so eligible to chair Level 2;
- ``next``: a meeting in two weeks, no chair; ``today``: a meeting today, scheduled, chaired by ``chair``;
- ``now``: a meeting in progress today, chaired by ``chair``, with the offender's case on its agenda, what the
  police shared, a plan (version 1) and an action; ``done``: in progress with nothing left to hear;
and on the world's MARAC (police, housing, IDVA service) a meeting in progress with the victim's case, one item
shared by the police restricted from housing and one by the IDVA service shared with all.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from safeguard.actions.models import Action
from safeguard.demo import factories as f
from safeguard.meetings.models import AgendaItem, Forum, ForumCase, Meeting, RiskManagementPlan, SharedInformation
from safeguard.offenders.models import Nominal
from safeguard.workforce.catalogue import sync_courses
from safeguard.workforce.models import Course, TrainingCompletion

STATEMENT = "What is said here stays here: share it only with the chair's permission."


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def mappa_forum(world, **settings) -> Forum:
    defaults = {
        "name": "Fictional Shire MAPPA Level 2",
        "kind": Forum.Kind.MAPPA_LEVEL_2,
        "area": world.home["mappa"],
        "cadence": Forum.Cadence.FORTNIGHTLY,
        "first_meeting_on": timezone.localdate(),
        "meeting_time": dt.time(10, 0),
        "meeting_minutes": 120,
        "meeting_place": "Fictional Shire Police HQ",
        "confidentiality_statement": STATEMENT,
    }
    defaults.update(settings)
    forum = Forum.objects.create(**defaults)
    forum.member_agencies.set([world.police, world.probation])
    return forum


def train_chair(staff, recorded_by, on: dt.date | None = None) -> TrainingCompletion:
    sync_courses()
    return TrainingCompletion.objects.create(
        staff=staff,
        course=Course.objects.get(code="mappa_chair"),
        completed_on=on or timezone.localdate() - dt.timedelta(days=100),
        recorded_by=recorded_by,
    )


def records(world) -> SimpleNamespace:
    found = getattr(world, "forums", None)
    if found is not None:
        return found
    today = timezone.localdate()
    users = world.users
    forum = mappa_forum(world)
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(
        management_level=2, mappa_review_due=today - dt.timedelta(days=1)
    )
    world.nominals.mine.refresh_from_db()
    case = ForumCase.objects.create(forum=forum, person=world.people.offender, opened_on=today - dt.timedelta(days=30))
    train_chair(users.chair, users.coordinator)
    next_meeting = Meeting.objects.create(forum=forum, starts_at=at(today + dt.timedelta(days=14)))
    today_meeting = Meeting.objects.create(forum=forum, starts_at=at(today, 14), chair=users.chair)
    now = Meeting.objects.create(
        forum=forum, starts_at=at(today, 9), chair=users.chair, status=Meeting.Status.IN_PROGRESS
    )
    item = AgendaItem.objects.create(
        meeting=now,
        position=1,
        section=AgendaItem.Section.REVIEW,
        why="Review due",
        forum_case=case,
        person=world.people.offender,
        nominal=world.nominals.mine,
    )
    police_shared = SharedInformation.objects.create(
        item=item,
        agency=world.police,
        content="Police intelligence: seen near the school.",
        recorded_by=users.coordinator,
    )
    plan = RiskManagementPlan.objects.create(
        person=world.people.offender,
        nominal=world.nominals.mine,
        forum=forum,
        version=1,
        agenda_item=item,
        supervision="Weekly appointments",
        monitoring_and_control="Curfew",
        interventions_and_treatment="Programme",
        victim_safety="Exclusion zone",
        created_by=users.coordinator,
    )
    action = Action.objects.create(
        forum=forum,
        forum_case=case,
        person=world.people.offender,
        agenda_item=item,
        description="Visit the home address",
        owner_agency=world.police,
        owner=users.om,
        due_on=today + dt.timedelta(days=7),
        created_by=users.coordinator,
    )
    done = Meeting.objects.create(
        forum=forum, starts_at=at(today, 8), chair=users.chair, status=Meeting.Status.IN_PROGRESS
    )

    marac_case = ForumCase.objects.get(forum=world.marac, person=world.people.victim)
    marac_meeting = Meeting.objects.create(
        forum=world.marac, starts_at=at(today, 11), status=Meeting.Status.IN_PROGRESS
    )
    marac_item = AgendaItem.objects.create(
        meeting=marac_meeting,
        position=1,
        section=AgendaItem.Section.NEW,
        why="New referral, accepted",
        forum_case=marac_case,
        person=world.people.victim,
    )
    restricted = SharedInformation.objects.create(
        item=marac_item,
        agency=world.police,
        content="Police only: covert intelligence on the perpetrator.",
        recorded_by=users.marac,
    )
    restricted.restricted_from.set([world.housing])
    open_to_all = SharedInformation.objects.create(
        item=marac_item, agency=world.idva_service, content="IDVA: the victim wants a move.", recorded_by=users.marac
    )
    world.forums = SimpleNamespace(
        forum=forum,
        case=case,
        next=next_meeting,
        today=today_meeting,
        now=now,
        done=done,
        item=item,
        police_shared=police_shared,
        plan=plan,
        action=action,
        marac_meeting=marac_meeting,
        marac_item=marac_item,
        restricted=restricted,
        open_to_all=open_to_all,
    )
    return world.forums


def add_cases(world, meeting: Meeting, count: int) -> list[AgendaItem]:
    """``count`` more cases on the meeting's agenda (new people, each on an open case of the forum)."""
    start = meeting.items.count()
    made = []
    for n in range(count):
        person = f.person(world.home["local"][0], f"Casey{n}", "Example")
        case = ForumCase.objects.create(forum=meeting.forum, person=person, opened_on=timezone.localdate())
        made.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=start + n + 1,
                section=AgendaItem.Section.NEW,
                why="New case: referral accepted",
                forum_case=case,
                person=person,
            )
        )
    return made
