"""My work for the forum roles: a chair's meetings and minutes, an IDVA's forum cases and the DASHs due.

- A chair: the meetings they chair from today (the one in progress first, then the soonest), and the
  minutes of the meetings they chaired that have been held and not yet issued (the chair approves and
  issues them: meetings/services/minutes/document.py).
- An IDVA: the open cases on the forums their service sits on, and the DASHs due: an open case whose
  victim has had no DASH (adult or young people's) since the case was opened, those listed on a meeting
  not yet held first (soonest first). SafeLives asks for a DASH with the victim at referral; the guidance
  sets no interval for a new one, so Safeguard asks for none beyond "since the case was opened" (no
  threshold invented).

Every list is the gate's scope (``gate.scoped``) narrowed, paged and sorted through web/lists.py (the
cases' through ``cases_page``: an IDVA's forums hold tens of thousands of open cases nationally, so each
page and its count is bounded and no next meeting is worked out for every case), and the records shown are
audited as viewed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.assessments.models import Assessment, InstrumentCode
from safeguard.audit.models import Operation
from safeguard.meetings.models import AgendaItem, Forum, ForumCase, Meeting
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


def idva_queries(user) -> list[tuple[str, str, str, QuerySet, ListSpec]]:
    """The IDVA's two lists: the open cases on the forums their agency sits on (the gate's scope), and of
    those the DASHs due. Plain querysets of cases: the next meeting is worked out by ``cases_page``."""
    member_forums = Forum.objects.filter(member_agencies=user.agency_id).values("pk")
    cases = gate.scoped(user, ForumCase.objects.filter(closed_on=None, forum__in=member_forums))
    dash_since_opened = Assessment.objects.filter(
        person=OuterRef("person"), instrument__code__in=DASH_CODES, assessed_on__gte=OuterRef("opened_on")
    )
    due = cases.exclude(Exists(dash_since_opened))
    return [
        ("dash", "DASHs due", "Every open case has a DASH since it was opened.", due, _cases_spec("dash", "next")),
        ("cases", "Your forums' cases", "No open cases on your forums.", cases, _cases_spec("cases", "opened")),
    ]


def _next_meetings(case_ids=None, forums=None) -> dict[int, dt.datetime]:
    """The soonest meeting not yet held that each case is listed on (cases listed on none left out): of the
    cases given, or of every open case on these forums (the agendas ahead: a few meetings' items)."""
    items = AgendaItem.objects.filter(meeting__status__in=NOT_HELD)
    if case_ids is not None:
        items = items.filter(forum_case_id__in=case_ids)
    if forums is not None:
        items = items.filter(forum_case__forum__in=forums, forum_case__closed_on=None)
    found = items.order_by().values_list("forum_case_id").annotate(soonest=Min("meeting__starts_at"))
    return dict(found)


def cases_page(spec: ListSpec, cases: QuerySet, params, forums: QuerySet) -> lists.ListPage:
    """A page of forum cases (``cases``: the gate's scope), each with ``next_meeting``, the soonest meeting not
    yet held it is listed on.

    Counted (``lists.bounded_count``) and paged on the cases alone, each page one bounded query. Sorted by
    another column, the next meeting is read for the page's rows only. Sorted by next meeting, the page is
    what ``ORDER BY next_meeting NULLS LAST, id`` gives, without working out a next meeting for every case:
    the cases listed on a meeting ahead (few: the agendas of ``forums``' coming meetings, those in the
    scope kept) first, in that order, then the rest in id order, walked along the primary key.
    """
    column, direction = lists.sort_asked(spec, params)
    if column.key != "next":
        page = lists.page_of(spec, cases.select_related("forum", "person"), params)
        soonest = _next_meetings(case_ids=[c.pk for c in page.rows]) if page.rows else {}
        for case in page.rows:
            case.next_meeting = soonest.get(case.pk)
        return page
    count, capped = lists.bounded_count(cases, spec.count_cap)
    number = lists.page_asked(spec, params, count)
    start = (number - 1) * spec.page_size
    descending = direction == lists.DESCENDING
    ahead = _next_meetings(forums=forums)
    in_scope = set(cases.filter(pk__in=list(ahead)).values_list("pk", flat=True)) if ahead else set()
    listed = sorted(in_scope, key=lambda pk: (ahead[pk], pk), reverse=descending)
    ids = listed[start : start + spec.page_size]
    wanted = spec.page_size - len(ids)
    if wanted:
        skip = max(0, start - len(listed))
        rest = cases.exclude(pk__in=listed).order_by("-pk" if descending else "pk").values_list("pk", flat=True)
        ids += list(rest[skip : skip + wanted])
    found = cases.select_related("forum", "person").in_bulk(ids)
    rows = [found[pk] for pk in ids if pk in found]
    for case in rows:
        case.next_meeting = ahead.get(case.pk)
    return lists.ListPage(spec, rows, number, count, capped, column.key, direction, params, [])


def forum_sections(ctx, user, params, today: dt.date) -> list[ForumSection]:
    """The chair's and the IDVA's lists on my work, each a page of the gate's scope; what is shown audited."""
    queries = []
    if user.has_role(Role.CHAIR):
        queries += chair_queries(user, today)
    if user.has_role(Role.IDVA) and user.agency_id:
        queries += idva_queries(user)
    sections = []
    member_forums = Forum.objects.filter(member_agencies=user.agency_id).values("pk")
    for key, title, empty, queryset, spec in queries:
        kind = "meetings" if queryset.model is Meeting else "cases"
        if kind == "cases":
            page = cases_page(spec, queryset, params, member_forums)
        else:
            page = lists.page_of(spec, queryset, params)
        sections.append(ForumSection(key, title, kind, page, empty))
    meetings = [m.pk for s in sections if s.kind == "meetings" for m in s.list.rows]
    if meetings:
        gate.audit_list(ctx, Operation.VIEW, Meeting, meetings, {"page": "my work: meetings"})
    cases = [c.pk for s in sections if s.kind == "cases" for c in s.list.rows]
    if cases:
        gate.audit_list(ctx, Operation.VIEW, ForumCase, sorted(set(cases)), {"page": "my work: forum cases"})
    return sections
