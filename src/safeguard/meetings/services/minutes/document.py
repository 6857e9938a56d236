"""The minutes of a meeting (MAPPA C, 2022 guidance; SafeLives MARAC action plans), as HTML and as a PDF.

What they hold, so that "a reader who was absent understands the case" (MAPPA Guidance on minutes: every
decision, every action with its rationale, and dissenting views):

- the meeting: forum, day, time and place, the chair and why the chair was eligible;
- attendance by agency with apologies, and the member agencies nobody came from;
- the confidentiality statement, whether and when it was read, and who agreed to it (old MAPPA D);
- each case in agenda order: the person's name and identifiers (and, for MAPPA, the nominal), why it was listed,
  what each agency shared (fact apart from opinion; what was withheld and why; items restricted from named
  agencies marked as such), the risk level agreed (and the MAPPA management level), every decision with its
  rationale and any dissent, the risk management plan saved at the meeting under its headings (the four pillars,
  contingency, licence conditions), the actions set with owner, due date and rationale, the next review date, and
  whether the case was heard or deferred (and why).

Issuing. The coordinator or the chair (``policy.may_run_meeting``) issues the minutes once the meeting has been
held: the complete minutes are rendered from the records into ``Meeting.minutes_html``, with
``minutes_issued_at``. By then nothing they are made of can change (the meeting services record nothing on a
meeting that is not in progress, and a plan is a new version, never an edit), so the issued text is the record
and issuing happens once.

Each reader's copy. Nobody is shown the stored text whole: every reader, including the chair, gets the issued
minutes less what the gate keeps from them. The stored HTML marks each part that may be kept from a reader (a
case, a nominal, a shared item, a plan, an action) with comment markers naming its record; a copy keeps a part
only when the gate lets the reader see that record today (``may_view_agenda_item``,
``policy.visible_shared``, ``policy.may_view_plan``, ``policy.may_view_action``, ``may_view_nominal``), and
fails closed: a part whose record is gone is dropped, and a marker left unmatched stops the copy altogether. What
people typed is escaped when the minutes are rendered, so it can never forge a marker. Items restricted from the
reader's agency are left out and the copy says that items were withheld from the agency (not which, how many or
on which case: that itself would tell). A case whose person the reader may no longer see (a closed forum case,
say) is left out and counted.

Before issuing, those who run the meeting see the draft (the same rendering, marked DRAFT) from the moment the
meeting starts; everyone else sees the minutes once issued.

Time to issue: journey 4 asks for minutes "within the hour". That is Safeguard's own aim (no guidance sets a
time), ``MINUTES_AIM``; the page shows how long after the meeting ended the minutes were issued, against it.

The PDF (WeasyPrint) is the reader's copy in a print layout: OFFICIAL-SENSITIVE at the top and the bottom of every
page (CSS @page margin boxes), with the meeting, the day, the agency the copy is for, the page number, and "do not
share beyond your agency without the chair's permission". WeasyPrint fetches nothing: the document carries its
own styles and every URL is refused.

Every view and download is audited through the gate: the minutes rule (``may_view_minutes``: the agencies
that attended, those the chair permitted, those who run the meeting) and the meeting's own rule
(``may_view_meeting``), then one event for the meeting (VIEW for the page, EXPORT for the PDF) naming the
cases shown, one for each case, nominal and plan shown, and one list for the actions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from safeguard.access import gate, policy
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.meetings.policies import may_view_minutes
from safeguard.offenders.models import Nominal
from safeguard.people.models import Person
from safeguard.web.dates import long_datetime

from ...models import AgendaItem, Meeting, RiskManagementPlan, SharedInformation
from ..forums import MAPPA_KINDS
from ..plans import PLAN_FIELDS
from ..running import risk_levels_for

MINUTES_AIM = dt.timedelta(hours=1)  # Safeguard's aim (journey 4, "within the hour"); no guidance sets a time
DOCUMENT_TEMPLATE = "meetings/minutes/_document.html"
PDF_TEMPLATE = "meetings/minutes/pdf.html"
KINDS = ("item", "nominal", "shared", "plan", "action")
BLOCK = re.compile(r"<!--sg:(?P<kind>[a-z]+):(?P<pk>\d+)-->(?P<inner>.*?)<!--/sg:(?P=kind):(?P=pk)-->", re.S)
OPENING = re.compile(r"<!--sg:(?P<kind>[a-z]+):(?P<pk>\d+)-->")
LEFTOVER = re.compile(r"<!--/?sg:")
READABLE_STATUSES = (Meeting.Status.IN_PROGRESS, Meeting.Status.HELD)


class MinutesMarkersBroken(RuntimeError):
    """The stored minutes have a part whose end cannot be found: no copy is made rather than one that leaks."""


# The complete minutes, from the records ---------------------------------------------------------------------


@dataclass
class AgencyAttendance:
    agency: object
    present: list = field(default_factory=list)
    apologies: list = field(default_factory=list)


@dataclass
class CaseMinutes:
    item: AgendaItem
    identifiers: list[tuple[str, str]]
    risk_label: str
    shared: list[SharedInformation]
    decisions: list
    plan: RiskManagementPlan | None
    plan_rows: list[tuple[str, str]]
    actions: list[Action]


def _identifiers(person: Person) -> list[tuple[str, str]]:
    rows = []
    if person.date_of_birth:
        rows.append(("Date of birth", f"{person.date_of_birth.day} {person.date_of_birth:%B %Y}"))
    for name in Person.IDENTIFIER_FIELDS:
        value = getattr(person, name)
        if value:
            label = str(Person._meta.get_field(name).verbose_name)
            rows.append((label[0].upper() + label[1:], value))
    return rows


def _plan_rows(plan: RiskManagementPlan | None) -> list[tuple[str, str]]:
    if plan is None:
        return []
    rows = []
    for name in PLAN_FIELDS:
        label = str(RiskManagementPlan._meta.get_field(name).verbose_name)
        rows.append((label[0].upper() + label[1:], getattr(plan, name)))
    return rows


def _attendance(meeting: Meeting) -> tuple[list[AgencyAttendance], list]:
    by_agency: dict[int, AgencyAttendance] = {}
    for row in meeting.attendance.select_related("agency").order_by("agency__name", "name"):
        group = by_agency.setdefault(row.agency_id, AgencyAttendance(row.agency))
        (group.present if row.present else group.apologies).append(row)
    not_represented = [a for a in meeting.forum.member_agencies.order_by("name") if a.pk not in by_agency]
    return list(by_agency.values()), not_represented


def _cases(meeting: Meeting) -> list[CaseMinutes]:
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .select_related("person", "nominal", "referral")
        .prefetch_related("decisions__dissent_agency")
        .order_by("position", "pk")
    )
    ids = [i.pk for i in items]
    shared: dict[int, list] = {}
    for entry in (
        SharedInformation.objects.filter(item_id__in=ids)
        .select_related("agency")
        .prefetch_related("restricted_from")
        .order_by("agency__name", "is_opinion", "recorded_at", "pk")
    ):
        shared.setdefault(entry.item_id, []).append(entry)
    plans: dict[int, RiskManagementPlan] = {}
    for plan in RiskManagementPlan.objects.filter(agenda_item_id__in=ids).order_by("version"):
        plans[plan.agenda_item_id] = plan  # the last version saved at the item
    actions: dict[int, list] = {}
    for action in (
        Action.objects.filter(agenda_item_id__in=ids).select_related("owner_agency", "owner").order_by("due_on", "pk")
    ):
        actions.setdefault(action.agenda_item_id, []).append(action)
    levels = dict(risk_levels_for(meeting.forum))
    return [
        CaseMinutes(
            item=item,
            identifiers=_identifiers(item.person),
            risk_label=levels.get(item.risk_level_agreed, item.risk_level_agreed),
            shared=shared.get(item.pk, []),
            decisions=list(item.decisions.all()),
            plan=plans.get(item.pk),
            plan_rows=_plan_rows(plans.get(item.pk)),
            actions=actions.get(item.pk, []),
        )
        for item in items
    ]


def issued_after(meeting: Meeting) -> dt.timedelta | None:
    """How long after the meeting ended its minutes were issued (None: not issued, or no end recorded)."""
    if meeting.minutes_issued_at is None or meeting.ends_at is None:
        return None
    return max(meeting.minutes_issued_at - meeting.ends_at, dt.timedelta(0))


def duration_words(span: dt.timedelta) -> str:
    """A span as a person says it: "35 minutes", "1 hour 5 minutes", "2 days 3 hours"."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute")


def render_full(meeting: Meeting, *, issued_at: dt.datetime | None = None, issued_by=None) -> str:
    """The complete minutes from the meeting's records, every part marked for the readers' copies.

    Not gated: callers pass the gate first (``issue_minutes``, ``reader_copy``).
    """
    attended, not_represented = _attendance(meeting)
    agreed = [a for group in attended for a in group.present if a.agreed_confidentiality]
    after = None
    if issued_at is not None and meeting.ends_at is not None:
        after = max(issued_at - meeting.ends_at, dt.timedelta(0))
    return render_to_string(
        DOCUMENT_TEMPLATE,
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "mappa": meeting.forum.kind in MAPPA_KINDS,
            "attended": attended,
            "not_represented": not_represented,
            "agreed": agreed,
            "cases": _cases(meeting),
            "issued_at": issued_at,
            "issued_by": issued_by,
            "issued_after": duration_words(after) if after is not None else "",
            "within_aim": after is not None and after <= MINUTES_AIM,
            "generated_at": issued_at or timezone.now(),
            "marking": settings.SAFEGUARD_MARKING,
        },
    )


# Issuing ------------------------------------------------------------------------------------------------------


def _day(moment: dt.datetime) -> str:
    return long_datetime(moment)


def issue_minutes(
    ctx: AccessContext, meeting: Meeting, *, expected_version: int, now: dt.datetime | None = None
) -> Meeting:
    """Issue the minutes of a held meeting (the coordinator or the chair): the complete text is kept as issued."""
    if meeting.minutes_issued_at is not None:
        raise ValidationError({"__all__": f"The minutes were issued on {_day(meeting.minutes_issued_at)}."})
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            {
                "__all__": f"This meeting is {meeting.get_status_display().lower()}: "
                "the minutes are issued once the meeting has ended."
            }
        )
    now = now or timezone.now()
    with transaction.atomic():
        gate.check(ctx, Operation.CHANGE, meeting)
        meeting.minutes_html = render_full(meeting, issued_at=now, issued_by=ctx.user)
        meeting.minutes_issued_at = now
        after = issued_after(meeting)
        save_record(
            ctx,
            meeting,
            expected_version=expected_version,
            detail={
                "minutes_issued": True,
                "cases": meeting.items.count(),
                "minutes_after_end": int(after.total_seconds() // 60) if after is not None else None,
            },
        )
    return meeting


# A reader's copy ----------------------------------------------------------------------------------------------


@dataclass
class MinutesCopy:
    """The minutes as one reader may read them."""

    meeting: Meeting
    body: SafeString
    available: bool  # False: not issued yet (and the reader does not run the meeting)
    issued: bool
    reader: object
    runs: bool
    withheld: bool = False  # items restricted from the reader's agency were left out
    cases_left_out: int = 0
    parts_left_out: int = 0  # plans, actions or nominals of shown cases the reader may not see
    issued_after: str = ""
    within_aim: bool | None = None
    shown: dict = field(default_factory=dict)

    @property
    def agency(self):
        return getattr(self.reader, "agency", None)


def parts_of(html: str) -> dict[str, set[int]]:
    """Every marked part of the minutes, by kind."""
    found: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for match in OPENING.finditer(html):
        found.setdefault(match["kind"], set()).add(int(match["pk"]))
    return found


def filter_copy(html: str, keep: dict[str, set[int]]) -> tuple[str, dict[str, set[int]], dict[str, set[int]]]:
    """The minutes with only the parts in ``keep``; returns (html, shown, dropped) with the markers removed.

    A part inside a dropped part is neither shown nor counted as dropped (its reader never reaches it).
    """
    shown: dict[str, set[int]] = {kind: set() for kind in KINDS}
    dropped: dict[str, set[int]] = {kind: set() for kind in KINDS}

    def strip(text: str) -> str:
        def one(match: re.Match) -> str:
            kind, pk = match["kind"], int(match["pk"])
            if pk not in keep.get(kind, ()):
                dropped.setdefault(kind, set()).add(pk)
                return ""
            shown.setdefault(kind, set()).add(pk)
            return strip(match["inner"])

        return BLOCK.sub(one, text)

    out = strip(html)
    if LEFTOVER.search(out):
        raise MinutesMarkersBroken("A marked part of the minutes has no end.")
    return out, shown, dropped


def _refuse(ctx: AccessContext, operation: str, meeting: Meeting, reason: str):
    refused = gate.AccessRefused(ctx, operation, gate.record_type_of(meeting), meeting.pk, reason)
    if not transaction.get_connection().in_atomic_block:
        gate.record_refusal(refused)
    raise refused


def check_minutes_access(ctx: AccessContext, meeting: Meeting, operation: str = Operation.VIEW) -> str:
    """May the user read these minutes at all? Refuses (audited, a 404 on a page) or returns the reason."""
    user = ctx.user
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        _refuse(ctx, operation, meeting, "not signed in")
    decision = may_view_minutes(user, meeting)
    if not decision.allowed:
        _refuse(ctx, operation, meeting, decision.reason)
    gate.check(ctx, operation, meeting)  # the meeting's own rule (may_view_meeting)
    return decision.reason


def _allowed(ctx: AccessContext, meeting: Meeting, found: dict[str, set[int]], operation: str) -> dict:
    """Of the parts found in the minutes, those the gate lets the reader see (records that are gone: none)."""
    user = ctx.user

    def decided(records) -> set[int]:
        return {r.pk for r in records if gate.decide(user, operation, r).allowed}

    items = list(AgendaItem.objects.filter(meeting_id=meeting.pk, pk__in=found["item"]).select_related("person"))
    for item in items:
        item.meeting = meeting
    shared = SharedInformation.objects.filter(item__meeting_id=meeting.pk, pk__in=found["shared"])
    return {
        "item": decided(items),
        "shared": set(policy.visible_shared(user, shared).values_list("pk", flat=True)),
        "plan": decided(
            RiskManagementPlan.objects.filter(agenda_item__meeting_id=meeting.pk, pk__in=found["plan"]).select_related(
                "person"
            )
        ),
        "action": decided(
            Action.objects.filter(agenda_item__meeting_id=meeting.pk, pk__in=found["action"]).select_related(
                "forum", "person"
            )
        ),
        "nominal": decided(Nominal.objects.filter(pk__in=found["nominal"]).select_related("person", "local_area")),
    }


def _audit(ctx: AccessContext, operation: str, meeting: Meeting, reason: str, copy: MinutesCopy) -> None:
    shown = copy.shown
    gate.audit_allowed(
        ctx,
        operation,
        meeting,
        reason,
        {
            "page": "minutes",
            "issued": copy.issued,
            "cases": sorted(shown.get("item", ())),
            "cases_left_out": copy.cases_left_out,
            "withheld_from_agency": copy.withheld,
        },
    )
    detail = {"minutes": meeting.pk}
    for model, kind in ((AgendaItem, "item"), (Nominal, "nominal"), (RiskManagementPlan, "plan")):
        for record in model.objects.filter(pk__in=shown.get(kind, ())).order_by("pk"):
            gate.authorise(ctx, operation, record, detail)
    if shown.get("action"):
        gate.audit_list(ctx, operation, Action, sorted(shown["action"]), detail)


def reader_copy(ctx: AccessContext, meeting: Meeting, operation: str = Operation.VIEW) -> MinutesCopy:
    """The minutes as the user may read them (VIEW: the page; EXPORT: the PDF), audited; refuses others."""
    reason = check_minutes_access(ctx, meeting, operation)
    user = ctx.user
    runs = policy.may_run_meeting(user, meeting).allowed
    issued = meeting.minutes_issued_at is not None
    if issued:
        source = meeting.minutes_html
    elif runs and meeting.status in READABLE_STATUSES:
        source = render_full(meeting)
    else:
        copy = MinutesCopy(meeting, mark_safe(""), available=False, issued=False, reader=user, runs=runs)
        _audit(ctx, operation, meeting, reason, copy)
        return copy
    found = parts_of(source)
    body, shown, dropped = filter_copy(source, _allowed(ctx, meeting, found, operation))
    after = issued_after(meeting)
    copy = MinutesCopy(
        meeting,
        mark_safe(body),  # noqa: S308 - rendered by our own template (every value escaped), then only cut
        available=True,
        issued=issued,
        reader=user,
        runs=runs,
        withheld=bool(dropped["shared"]),
        cases_left_out=len(dropped["item"]),
        parts_left_out=len(dropped["plan"]) + len(dropped["action"]) + len(dropped["nominal"]),
        issued_after=duration_words(after) if after is not None else "",
        within_aim=(after <= MINUTES_AIM) if after is not None else None,
        shown=shown,
    )
    _audit(ctx, operation, meeting, reason, copy)
    return copy


# The PDF ------------------------------------------------------------------------------------------------------


def _fetch_nothing():
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        """The minutes carry their own styles: WeasyPrint is given nothing to fetch, and fetches nothing."""

        def fetch(self, url, headers=None):
            raise ValueError("The minutes fetch no resources.")

    return FetchNothing()


def minutes_document(copy: MinutesCopy):
    """The reader's copy laid out for print (a WeasyPrint document: its pages can be inspected)."""
    import weasyprint

    html = render_to_string(
        PDF_TEMPLATE,
        {
            "copy": copy,
            "meeting": copy.meeting,
            "forum": copy.meeting.forum,
            "marking": settings.SAFEGUARD_MARKING,
            "printed_at": timezone.now(),
        },
    )
    return weasyprint.HTML(string=html, url_fetcher=_fetch_nothing()).render()


def minutes_pdf(copy: MinutesCopy) -> bytes:
    return minutes_document(copy).write_pdf()
