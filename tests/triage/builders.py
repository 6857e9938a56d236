"""A daily triage on the `world` fixture (tests/conftest.py): built once per test, from url_roles and fixtures.

The triage forum of the home MAPPA area covers Northtown; police, housing and children's services sit on it
(the IDVA service does not). Its meeting is on a Tuesday at least a week ago (so every time in it is in the
past), with one domestic-abuse incident two hours before: the offender against a new victim, their
daughter (8) present. The case is loaded by the MARAC coordinator, who coordinates the triage.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson
from safeguard.meetings.models import Forum, Meeting
from safeguard.triage import services
from safeguard.triage.models import TriageCase
from safeguard.workforce.models import Agency

LONDON = ZoneInfo("Europe/London")
MEETS_AT = dt.time(9, 30)
TUESDAY = 1


def past_weekday(weekday: int, weeks_back: int = 2) -> dt.date:
    """A day of the given weekday, ``weeks_back`` weeks or more before today."""
    today = timezone.localdate()
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7 + 7 * weeks_back)


def at(day: dt.date, hour: int = 9, minute: int = 30, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=LONDON)


_refs = iter(range(1, 10**6))


def incident(world, occurred_at: dt.datetime, *, local_area=None, domestic_abuse=True, people=(), **fields):
    found = Incident.objects.create(
        reference=f"NT/TR/{next(_refs):06d}",
        occurred_at=occurred_at,
        place=fields.pop("place", "Fictional Road"),
        local_area=local_area or world.home["local"][0],
        domestic_abuse=domestic_abuse,
        recorded_by=world.police,
        summary=fields.pop("summary", "Neighbour reported shouting; officers attended."),
        **fields,
    )
    for person, role in people:
        IncidentPerson.objects.create(incident=found, person=person, role=role)
    return found


def triage_forum(world, **fields) -> Forum:
    fields.setdefault("cadence", Forum.Cadence.WEEKDAYS)
    fields.setdefault("meeting_time", MEETS_AT)
    fields.setdefault("first_meeting_on", dt.date(2020, 1, 6))
    forum = Forum.objects.create(
        name=fields.pop("name", "Northtown daily triage"),
        kind=Forum.Kind.DAILY_TRIAGE,
        area=world.home["mappa"],
        meeting_minutes=60,
        meeting_place="Northtown police station",
        **fields,
    )
    return forum


def build(world) -> SimpleNamespace:
    if hasattr(world, "triage"):
        return world.triage
    mappa = world.home["mappa"]
    childrens = f.agency(mappa, Agency.Kind.CHILDRENS_SERVICES, "Fictional Shire Children's Services")
    adults = f.agency(mappa, Agency.Kind.ADULT_SOCIAL_CARE, "Fictional Shire Adult Social Care")
    forum = triage_forum(world)
    forum.member_agencies.set([world.police, world.housing, childrens])
    forum.covers.set([world.home["local"][0]])
    day = past_weekday(TUESDAY)
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day), place=forum.meeting_place)
    victim = f.person(mappa, "Tanya", "Example", dt.date(1990, 4, 4))
    child = f.person(mappa, "Mia", "Example", dt.date(day.year - 8, 3, 1))
    happened = incident(
        world,
        at(day, 7, 30),
        people=[(world.people.offender, "perpetrator"), (victim, "victim"), (child, "child_present")],
    )
    ctx = AccessContext.system(world.users.marac)
    services.load(ctx, meeting)
    world.triage = SimpleNamespace(
        forum=forum,
        meeting=meeting,
        day=day,
        victim=victim,
        child=child,
        incident=happened,
        case=TriageCase.objects.get(incident=happened),
        childrens=childrens,
        adults=adults,
        ctx=ctx,
    )
    return world.triage
