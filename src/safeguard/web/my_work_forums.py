"""My work for the forum roles: a chair's meetings and minutes, an IDVA's forum cases and the DASHs due.

- A chair: the meetings they chair from today (the one in progress first, then the soonest), and the
  minutes of the meetings they chaired that have been held and not yet issued (the chair approves and
  issues them: meetings/services/minutes/document.py).
- An IDVA: the open cases on the forums their service sits on, and the DASHs due: an open case whose
  victim has had no DASH (adult or young people's) since the case was opened, those listed on a meeting
  not yet held first (soonest first). SafeLives asks for a DASH with the victim at referral; the guidance
  sets no interval for a new one, so Safeguard asks for none beyond "since the case was opened" (no
  threshold invented).

Every list is the gate's scope (``gate.scoped``) narrowed, paged and sorted through web/lists.py, and the
records shown are audited as viewed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.assessments.models import Assessment, InstrumentCode
from safeguard.audit.models import Operation
from safeguard.meetings.models import ForumCase, Meeting
from safeguard.workforce.models import Role

from . import lists
from .lists import Column, ListSpec

NOT_HELD = (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)
DASH_CODES = (InstrumentCode.DASH, InstrumentCode.DASH_YP)


@dataclass
class ForumSection:
    """One list of forum work on my work."""

    key: str
    title: str
    kind: str  # "meetings" or "cases": which table the template draws
    list: lists.ListPage
    empty: str


MEETING_COLUMNS = (
    Column("forum", "Forum", ("forum__name",)),
    Column("when", "When", ("starts_at",)),
    Column("status", "Status", ("status",)),
)
CASE_COLUMNS = (
    Column("person", "Person", ("person__family_name", "person__given_name")),
    Column("forum", "Forum", ("forum__name",)),
    Column("opened", "Case opened", ("opened_on",)),
    Column("next", "Next meeting", ("next_meeting",)),
)


def _meetings_spec(key: str, default_direction: str = lists.ASCENDING) -> ListSpec:
    return ListSpec(
        noun="meetings",
        columns=MEETING_COLUMNS,
        default_sort="when",
        default_direction=default_direction,
        prefix=key,
    )


def _cases_spec(key: str, default_sort: str) -> ListSpec:
    return ListSpec(noun="cases", columns=CASE_COLUMNS, default_sort=default_sort, prefix=key)


def chair_queries(user, today: dt.date) -> list[tuple[str, str, str, QuerySet, ListSpec]]:
    meetings = gate.scoped(user, Meeting.objects.select_related("forum")).filter(chair=user)
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    chairing = meetings.filter(
        Q(status=Meeting.Status.IN_PROGRESS) | Q(status=Meeting.Status.SCHEDULED, starts_at__gte=start_of_today)
    )
    minutes = meetings.filter(status=Meeting.Status.HELD, minutes_issued_at=None)
    return [
        ("chairing", "Meetings you chair", "You chair no meeting from today.", chairing, _meetings_spec("chairing")),
        (
            "minutes",
            "Minutes to approve and issue",
            "No minutes are waiting for you.",
            minutes,
            _meetings_spec("minutes", lists.DESCENDING),
        ),
    ]


def _next_meeting(cases: QuerySet) -> QuerySet:
    return cases.annotate(
        next_meeting=Min("agenda_items__meeting__starts_at", filter=Q(agenda_items__meeting__status__in=NOT_HELD))
    )


def idva_queries(user) -> list[tuple[str, str, str, QuerySet, ListSpec]]:
    cases = gate.scoped(
        user,
        ForumCase.objects.select_related("forum", "person").filter(
            closed_on=None, forum__member_agencies=user.agency_id
        ),
    )
    dash_since_opened = Assessment.objects.filter(
        person=OuterRef("person"), instrument__code__in=DASH_CODES, assessed_on__gte=OuterRef("opened_on")
    )
    due = cases.exclude(Exists(dash_since_opened))
    return [
        (
            "dash",
            "DASHs due",
            "Every open case has a DASH since it was opened.",
            _next_meeting(ForumCase.objects.filter(pk__in=due.values("pk")).select_related("forum", "person")),
            _cases_spec("dash", "next"),
        ),
        (
            "cases",
            "Your forums' cases",
            "No open cases on your forums.",
            _next_meeting(ForumCase.objects.filter(pk__in=cases.values("pk")).select_related("forum", "person")),
            _cases_spec("cases", "opened"),
        ),
    ]


def forum_sections(ctx, user, params, today: dt.date) -> list[ForumSection]:
    """The chair's and the IDVA's lists on my work, each a page of the gate's scope; what is shown audited."""
    queries = []
    if user.has_role(Role.CHAIR):
        queries += chair_queries(user, today)
    if user.has_role(Role.IDVA) and user.agency_id:
        queries += idva_queries(user)
    sections = []
    for key, title, empty, queryset, spec in queries:
        page = lists.page_of(spec, queryset, params)
        kind = "meetings" if queryset.model is Meeting else "cases"
        sections.append(ForumSection(key, title, kind, page, empty))
    meetings = [m.pk for s in sections if s.kind == "meetings" for m in s.list.rows]
    if meetings:
        gate.audit_list(ctx, Operation.VIEW, Meeting, meetings, {"page": "my work: meetings"})
    cases = [c.pk for s in sections if s.kind == "cases" for c in s.list.rows]
    if cases:
        gate.audit_list(ctx, Operation.VIEW, ForumCase, sorted(set(cases)), {"page": "my work: forum cases"})
    return sections
