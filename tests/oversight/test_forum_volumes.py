"""Forum volumes across local areas against hand counts, for the 12 months 1 December 2025 to 30 November 2026
(today: 6 December 2026).

The world's Northtown MARAC covers Northtown; Southvale has no MARAC. Written directly:

| meeting (Northtown MARAC) | when | heard | other |
|---|---|---|---|
| M1 | 10 Mar 2026 10:00-12:00 | 3 (one repeat) | 1 deferred |
| M2 | 10 Jun 2026 10:00, no end time | 2 | |
| M5 | 1 Sep 2026 10:00-11:00 | 1 | |
| M3 | 1 Jul 2026, cancelled | (1: not counted) | |
| M4 | 20 Nov 2025 (before the months) | (1: not counted) | |

Each heard or deferred item's referral was submitted 7 days before its meeting; two more referrals were
submitted at 00:00 on 1 December 2025 (counted) and 00:00 on 1 December 2026 (not counted). Northtown: 9
referrals, 3 meetings held, 6 cases heard, 1 repeat; 2.0 cases per meeting; 180 minutes over the 4 cases of
the timed meetings, 45.0 minutes per case; one meeting untimed. Settings: 10,000 women aged 16+ (guide 40.0
cases a year; 6.0 heard per 10,000) and 0.5 IDVA posts (guide 50.0 referrals; 18.0 referrals per post).

Triage (meeting on 5 May 2026): Northtown t1 red (incident 21:30 the night before, graded 09:30: 12 hours;
referred to MARAC, heard at M2 on 10 June: 36.02 days), t2 amber (12 hours; safeguarding referral), t3 green
(6 hours; no further action), t4 not graded; Southvale t5 red (24 hours). A triage of 30 November 2025 is
before the months. Northtown median hours 12.0 (3 timed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from itertools import product

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.access import gate
from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.events.models import Incident
from safeguard.meetings.models import AgendaItem, Forum, ForumCase, Meeting
from safeguard.oversight.models import LocalAreaSettings, OversightSettings
from safeguard.oversight.services import forum_volumes as volumes
from safeguard.referrals.models import Referral
from safeguard.rules import suppression
from safeguard.triage.models import TriageCase
from tests.conftest import verified_client
from tests.oversight.builders import at

TODAY = dt.date(2026, 12, 6)
FIRST, END = volumes.period(TODAY)


def _referral(world, victim, submitted, repeat=False):
    return Referral.objects.create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=victim,
        status=Referral.Status.LISTED,
        referring_agency=world.police,
        referred_by=world.users.marac,
        is_repeat=repeat,
        submitted_at=submitted,
    )


def _meeting(world, starts, ends=None, status=Meeting.Status.HELD, heard=1, repeats=0, deferred=0):
    meeting = Meeting.objects.create(forum=world.marac, starts_at=starts, ends_at=ends, status=status)
    for n in range(heard + deferred):
        victim = f.person(world.home["mappa"], f"Vol{n}", "Volumes", dt.date(1990, 1, 1))
        case = ForumCase.objects.create(forum=world.marac, person=victim, opened_on=dt.date(2025, 1, 1))
        referral = _referral(world, victim, starts - dt.timedelta(days=7), repeat=n < repeats)
        referral.forum_case = case
        referral.save()
        AgendaItem.objects.create(
            meeting=meeting,
            position=n + 1,
            section=AgendaItem.Section.NEW,
            why="Hand-counted",
            forum_case=case,
            person=victim,
            referral=referral,
            outcome="heard" if n < heard else "deferred",
        )
    return meeting


def _triaged(world, meeting, local, occurred, graded=None, grade="", **outcome):
    victim = f.person(world.home["mappa"], "Tri", "Volumes", dt.date(1990, 1, 1))
    incident = Incident.objects.create(
        reference=f"VOL-{Incident.objects.count() + 1}",
        occurred_at=occurred,
        local_area=world.home["local"][local],
        domestic_abuse=True,
        recorded_by=world.police,
    )
    return TriageCase.objects.create(
        meeting=meeting, incident=incident, victim=victim, grade=grade, graded_at=graded, **outcome
    )


@pytest.fixture
def counted(world):
    world.marac.covers.set([world.home["local"][0]])
    m1 = _meeting(world, at(2026, 3, 10, 10), at(2026, 3, 10, 12), heard=3, repeats=1, deferred=1)
    m2 = _meeting(world, at(2026, 6, 10, 10), None, heard=2)
    _meeting(world, at(2026, 9, 1, 10), at(2026, 9, 1, 11), heard=1)
    _meeting(world, at(2026, 7, 1, 10), status=Meeting.Status.CANCELLED, heard=1)
    _meeting(world, at(2025, 11, 20, 10), at(2025, 11, 20, 11), heard=1)
    _referral(world, world.people.victim, at(2025, 12, 1, 0, 0))
    _referral(world, world.people.victim, at(2026, 12, 1, 0, 0))
    LocalAreaSettings.objects.create(area=world.home["local"][0], adult_women=10_000, idva_posts=Decimal("0.5"))
    triage = Forum.objects.create(name="Fictional Shire triage", kind=Forum.Kind.DAILY_TRIAGE, area=world.home["mappa"])
    t_meeting = Meeting.objects.create(forum=triage, starts_at=at(2026, 5, 5, 9), status=Meeting.Status.HELD)
    heard_at_m2 = m2.items.first().referral
    _triaged(world, t_meeting, 0, at(2026, 5, 4, 21, 30), at(2026, 5, 5, 9, 30), "red", marac_referral=heard_at_m2)
    _triaged(
        world, t_meeting, 0, at(2026, 5, 4, 22), at(2026, 5, 5, 10), "amber", safeguarding_referral_to=world.housing
    )
    _triaged(world, t_meeting, 0, at(2026, 5, 5, 4), at(2026, 5, 5, 10), "green", no_further_action_reason="Advice")
    _triaged(world, t_meeting, 0, at(2026, 5, 4, 20))
    _triaged(world, t_meeting, 1, at(2026, 5, 4, 9), at(2026, 5, 5, 9), "red")
    before = Meeting.objects.create(forum=triage, starts_at=at(2025, 11, 30, 9), status=Meeting.Status.HELD)
    _triaged(world, before, 0, at(2025, 11, 29, 21), at(2025, 11, 30, 9, 30), "red")
    world.m1 = m1
    return world


def test_the_period_is_the_twelve_months_before_this_one():
    assert volumes.period(TODAY) == (dt.date(2025, 12, 1), dt.date(2026, 12, 1))


def test_the_exact_counts_by_hand(counted):
    north, south = (a.pk for a in counted.home["local"])
    c = volumes.count_area(counted.home["mappa"].pk, FIRST, END)
    n = c[north]
    assert dict(n.marac) == {"referrals": 9, "meetings": 3, "cases": 6, "repeats": 1}
    assert (n.minutes, n.timed_cases, n.untimed_meetings) == (180, 4, 1)
    assert dict(n.grades) == {"red": 1, "amber": 1, "green": 1, "": 1}
    assert dict(n.outcomes) == {"to_marac": 1, "safeguarding": 1, "nfa": 1}
    assert sorted(n.to_triage_hours) == [6.0, 12.0, 12.0]
    assert [round(d, 2) for d in n.to_marac_days] == [36.02]
    s = c[south]
    assert not any(s.marac.values()) and dict(s.grades) == {"red": 1} and s.to_triage_hours == [24.0]


def test_as_published_with_a_threshold_of_3(counted):
    OversightSettings.objects.create(area=counted.home["mappa"], small_number_threshold=3)
    v = volumes.build_volumes(counted.home["mappa"].pk, FIRST, END)
    assert [line.name for line in v.lines] == ["Northtown", "Southvale"]
    north, south = v.lines
    assert [x.text for x in north.marac] == ["9", "3", "6", "fewer than 3"]
    assert (north.per_meeting, north.minutes_per_case) == ("2.0", "45.0")
    assert (north.expected_cases, north.per_10000) == ("40.0", "6.0")
    assert (north.idva_capacity, north.referrals_per_post) == ("50.0", "18.0")
    assert (north.to_triage, north.to_marac) == ("12.0", "")  # one MARAC time only: not shown
    assert [x.text for x in south.marac] == ["0", "0", "0", "0"]
    assert (south.expected_cases, south.idva_capacity, south.guide_cases) == ("", "", None)
    assert south.to_triage == ""  # one decision timed: not shown
    assert [x.text for x in v.marac_totals] == ["9", "3", "6", "fewer than 3"]


def test_with_the_default_threshold_no_ratio_rests_on_a_small_number(counted):
    v = volumes.build_volumes(counted.home["mappa"].pk, FIRST, END)
    north = v.lines[0]
    assert [x.text for x in north.marac] == ["9", "fewer than 5", "6", "fewer than 5"]
    assert north.per_meeting == ""  # the meetings are fewer than 5
    assert north.to_triage == ""  # three decisions timed, fewer than 5
    assert north.minutes_per_case == ""  # 4 timed cases


def _cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', html, re.S)]


def test_the_page_and_the_csv_show_no_small_number(counted, client):
    verified_client(client, counted.users.coordinator)
    page = client.get(reverse("oversight:forum-volumes"))
    assert page.status_code == 200
    html = page.content.decode()
    assert [c for c in _cells(html) if c.isdigit() and 0 < int(c) < 5] == []
    assert "sg-chart__guide" in html  # Northtown's guide drawn as a line
    rows = list(csv.reader(io.StringIO(client.get(reverse("oversight:forum-volumes-csv")).content.decode("utf-8-sig"))))
    numbers = [c for row in rows for c in row[1:] if c.isdigit()]
    assert numbers and not [c for c in numbers if 0 < int(c) < 5]
    assert AuditEvent.objects.filter(record_type=volumes.RECORD_TYPE, operation="export").count() == 1


def test_audited_and_refused_outside_the_roles(counted):
    volumes.volumes(gate.AccessContext(user=counted.users.marac, purpose="oversight"))
    assert AuditEvent.objects.filter(record_type=volumes.RECORD_TYPE, outcome="allowed").count() == 1
    with pytest.raises(gate.AccessRefused):
        volumes.volumes(gate.AccessContext(user=counted.users.om, purpose="oversight"))


# --- Suppression of the new totals: no published figure can be worked out (brute force over small tables) ----


def _consistent(figures, total, threshold, cap):
    """Every list of values a reader could take the column to be, given what is published (a column withheld
    whole, every figure and its total, says nothing of its figures)."""
    whole = all(fig.shown is suppression.Shown.WITHHELD for fig in [*figures, total])
    ranges = []
    for fig in figures:
        if whole:
            ranges.append(range(0, cap + 1))
        elif fig.value is not None:
            ranges.append([fig.value])
        elif fig.shown is suppression.Shown.FEWER_THAN:
            ranges.append(range(1, threshold))
        else:
            ranges.append(range(threshold, cap + 1))
    for values in product(*ranges):
        if total.value is None or sum(values) == total.value:
            yield values


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=1, max_size=4),
    st.integers(3, 5),
)
def test_no_area_figure_can_be_worked_out_from_the_totals(values, threshold):
    rows, totals = volumes._columns(values, threshold)
    for j, total in enumerate(totals):
        column = [row[j] for row in rows]
        true = [v[j] for v in values]
        assert all(f.value is None or f.value == 0 or f.value >= threshold for f in [*column, total])
        cap = sum(true) + threshold
        worlds = list(_consistent(column, total, threshold, cap))
        assert tuple(true) in worlds
        for i, fig in enumerate(column):
            if fig.value is None:
                assert len({w[i] for w in worlds}) > 1, (true, [x.text for x in column], total.text)
