"""A hand-counted MARAC for the SafeLives return of 2026 quarter 3 (1 July to 30 September 2026).

The world's Northtown MARAC (tests/conftest.py), its meetings and heard referrals written directly:

| meeting | case | victim | referral |
|---|---|---|---|
| 8 Jul 2026, held | 1 | v1: female, White British, born 1990, disabled | police, 2 children |
| | 2 | v2: female, Black African, born 1 Jan 2009 (17), LGBT+ | IDVA, repeat, perpetrator born 1 Jun 2009 (17) |
| | 3 | v3: male, ethnicity not stated (prefer not to say), born 1955 (71) | housing |
| | deferred | v4 | police: not counted |
| 1 Aug 2026, cancelled | | | not counted |
| 30 Sep 2026, held | 1 | v1 again | police, repeat, 2 children |
| 1 Oct 2026, held | 1 | v4 | next quarter |
| 15 Mar 2026, held | 1 | v5: female, White Irish | police: in the 12 months only |

Quarter: 4 cases, 2 repeats, 4 children, 2 cases with children; police 2, IDVA 1, housing 1; minoritised 1,
LGBT+ 1, disabled 2, male 1, aged 16-17 1, harming person under 18 1, aged 65+ 1; White 2, Black 1.
12 months to 30 September 2026: 5 cases, 2 repeats (40.0%), 3 police (partner 40.0%), minoritised 2 (40.0%),
LGBT+ 1 (20.0%), disabled 2 (40.0%), male 1 (20.0%); 10,000 women aged 16 and over: 5.0 per 10,000.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from safeguard.demo import factories as f
from safeguard.meetings.models import AgendaItem, ForumCase, Meeting
from safeguard.oversight.models import MaracSettings, ProtectedCharacteristics
from safeguard.referrals.models import Referral
from tests.oversight.builders import at


def _victim(world, given, gender, ethnicity, born, **characteristics):
    person = f.person(world.home["mappa"], given, "Returncount", born, gender=gender, ethnicity=ethnicity)
    if characteristics:
        ProtectedCharacteristics.objects.create(person=person, recorded_by=world.users.marac, **characteristics)
    return person


def _meeting(world, when, status=Meeting.Status.HELD):
    return Meeting.objects.create(forum=world.marac, starts_at=when, status=status)


def _heard(world, meeting, victim, agency, *, repeat=False, children=0, perpetrators=(), outcome="heard"):
    case, _ = ForumCase.objects.get_or_create(
        forum=world.marac, person=victim, defaults={"opened_on": dt.date(2025, 1, 1)}
    )
    referral = Referral.objects.create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=victim,
        status=Referral.Status.LISTED,
        referring_agency=agency,
        referred_by=world.users.marac,
        is_repeat=repeat,
        children=[{"date_of_birth": "2018-01-01"}] * children,
        forum_case=case,
    )
    referral.perpetrators.set(perpetrators)
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        section=AgendaItem.Section.NEW_WITH_CHILDREN if children else AgendaItem.Section.NEW,
        why="Hand-counted",
        forum_case=case,
        person=victim,
        referral=referral,
        has_children=bool(children),
        outcome=outcome,
    )


def safelives_world(world) -> SimpleNamespace:
    w = SimpleNamespace()
    police, idva, housing = world.police, world.idva_service, world.housing
    w.v1 = _victim(world, "Vee", "female", "W1", dt.date(1990, 1, 1), disabled="yes")
    w.v2 = _victim(world, "Val", "female", "B2", dt.date(2009, 1, 1), lgbt_plus="yes")
    w.v3 = _victim(
        world, "Vic", "male", "NS", dt.date(1955, 1, 1), ethnicity_answer="prefer_not", disabled="prefer_not"
    )
    w.v4 = _victim(world, "Viv", "female", "W1", dt.date(1980, 1, 1))
    w.v5 = _victim(world, "Vin", "female", "W2", dt.date(1985, 1, 1))
    young = f.person(world.home["mappa"], "Perry", "Returncount", dt.date(2009, 6, 1), gender="male")
    m1 = _meeting(world, at(2026, 7, 8, 10))
    _heard(world, m1, w.v1, police, children=2)
    _heard(world, m1, w.v2, idva, repeat=True, perpetrators=[young])
    _heard(world, m1, w.v3, housing)
    _heard(world, m1, w.v4, police, outcome="deferred")
    _heard(world, _meeting(world, at(2026, 8, 1, 10), Meeting.Status.CANCELLED), w.v5, police)
    m2 = _meeting(world, at(2026, 9, 30, 14))
    _heard(world, m2, w.v1, police, repeat=True, children=2)
    _heard(world, _meeting(world, at(2026, 10, 1, 9)), w.v4, police)
    _heard(world, _meeting(world, at(2026, 3, 15, 10)), w.v5, police)
    MaracSettings.objects.create(forum=world.marac, adult_women=10_000)
    return w
