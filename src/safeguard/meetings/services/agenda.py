"""The agenda of a meeting, built for the coordinator from the database with ``rules.agenda``.

The candidates are the forum's open cases (``ForumCase``), each with what the
rule orders by, gathered with one query per kind of candidate and never one
per case:

1. the forum's open cases (when each was opened: the rule finds the cases
   reaching 12 months);
2. new referrals: the forum's accepted referrals not yet listed (while the
   meeting is still to be held: once it has started they wait for the next),
   those this meeting lists already, and listed ones never heard whose
   meeting was cancelled or deferred them (so a deferred case comes back);
3. children (MARAC): children on the referral, or a child present at a
   domestic-abuse incident in which the person is the victim. "Child" is a
   person under 18 on the meeting day (Children Act 1989 s.105(1)), or one
   whose date of birth is not recorded (the cautious reading). The guidance
   sets no look-back on incidents, so every recorded incident counts. Asked
   for the cases the agenda lists only (gathered last): children move a case
   up among the new cases but never put it on the agenda;
4. reviews due (MAPPA Level 2 and 3 forums): ``Nominal.mappa_review_due`` of
   the person's active nominal at the forum's level (offenders.due_dates
   works it out from the last review and the area's interval);
5. the next review the forum agreed when it last heard the case
   (``AgendaItem.next_review_on``), for every kind of forum; the earlier of
   this and (4) is the review date;
6. open actions (``actions.Action`` open or in progress) of the forum's open
   cases, except those set at this meeting.

Accepted referrals placed on the agenda are listed with
``referrals.services.list_referral`` when that exists; until it does, a small
function here (:func:`mark_referral_listed`) moves the referral from accepted
to listed through the gate, recording the transition. An accepted referral
whose person has no open case on the forum has one opened, from the day of
the acceptance, so the referral is never lost from the agenda.

Rebuilding keeps the items already heard or deferred and any item on which
something has been recorded (what was shared, a decision, a plan or an
action); the others are placed again, and those whose case no longer
qualifies are taken off.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from safeguard.access import gate, policy
from safeguard.access.gate import AccessContext
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.offenders.models import Nominal
from safeguard.referrals.models import Referral, ReferralTransition
from safeguard.rules import agenda as agenda_rules
from safeguard.rules import referrals as referral_rules
from safeguard.rules.dates import add_months
from safeguard.rules.working import RuleInputError, Step

from ..models import AgendaItem, Decision, ForumCase, Meeting, RiskManagementPlan, SharedInformation
from .forums import LEVEL_OF_KIND

CHILD_UNDER_MONTHS = 18 * 12  # Children Act 1989 s.105(1): a child is a person under eighteen
WHY_LENGTH = AgendaItem._meta.get_field("why").max_length
LIVE_MEETING = (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)
KEPT_OUTCOMES = (AgendaItem.Outcome.HEARD, AgendaItem.Outcome.DEFERRED)


@dataclass
class CaseFacts:
    """What the agenda rule needs to know about one open case, and what its item records."""

    case_id: int
    person_id: int
    opened_on: dt.date
    referral_id: int | None = None
    referral_status: str = ""
    has_children: bool = False
    nominal_id: int | None = None
    review_due: dt.date | None = None
    action_dues: list[dt.date] = field(default_factory=list)

    def candidate(self) -> agenda_rules.Candidate:
        return agenda_rules.Candidate(
            case_id=self.case_id,
            opened_on=self.opened_on,
            accepted_referral=self.referral_id is not None,
            has_children=self.has_children,
            review_due=self.review_due,
            open_actions_due=tuple(sorted(self.action_dues)),
        )


@dataclass(frozen=True)
class NewReferral:
    pk: int
    person_id: int
    forum_case_id: int | None
    status: str
    children: bool
    decided_on: dt.date | None


@dataclass
class Gathered:
    cases: dict[int, CaseFacts]
    unplaced: list[NewReferral]  # accepted referrals whose person has no open case on the forum
    queries: list[str] = field(default_factory=list)  # the kinds gathered, one query each
    agenda: agenda_rules.Agenda | None = None  # the rule's answer, when gathering needed it and it still holds


def meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localdate(meeting.starts_at)


def _new_referrals(meeting: Meeting) -> list[NewReferral]:
    """Referrals that come to this meeting as new cases (one query)."""
    heard = AgendaItem.objects.filter(referral_id=OuterRef("pk"), outcome=AgendaItem.Outcome.HEARD)
    listed_elsewhere = AgendaItem.objects.filter(
        referral_id=OuterRef("pk"), outcome=AgendaItem.Outcome.LISTED, meeting__status__in=LIVE_MEETING
    ).exclude(meeting_id=meeting.pk)
    # A referral is listed on a meeting still to be held: once the meeting has started, newly accepted
    # referrals wait for the next one (referrals.services.list_referral refuses a meeting in progress).
    accepted = Q(status=Referral.Status.ACCEPTED) if meeting.status == Meeting.Status.SCHEDULED else Q(pk__in=[])
    rows = (
        Referral.objects.filter(forum_id=meeting.forum_id)
        .filter(accepted | (Q(status=Referral.Status.LISTED) & ~Q(Exists(heard)) & ~Q(Exists(listed_elsewhere))))
        .order_by("decided_at", "pk")
        .values_list("pk", "person_id", "forum_case_id", "status", "children", "decided_at")
    )
    return [
        NewReferral(pk, person_id, case_id, status, bool(children), timezone.localdate(decided) if decided else None)
        for pk, person_id, case_id, status, children, decided in rows
    ]


def _children_at_incidents(person_ids, day: dt.date) -> set[int]:
    """People who are the victim of a domestic-abuse incident at which a child was present (one query)."""
    cutoff = add_months(day, -CHILD_UNDER_MONTHS)
    child_present = IncidentPerson.objects.filter(
        incident_id=OuterRef("incident_id"), role=IncidentRole.CHILD_PRESENT
    ).filter(Q(person__date_of_birth__isnull=True) | Q(person__date_of_birth__gt=cutoff))
    domestic_abuse = Incident.objects.filter(pk=OuterRef("incident_id"), domestic_abuse=True)
    return set(
        IncidentPerson.objects.filter(role=IncidentRole.VICTIM, person_id__in=person_ids)
        .filter(Exists(domestic_abuse), Exists(child_present))
        .values_list("person_id", flat=True)
        .distinct()
    )


def gather(meeting: Meeting) -> Gathered:
    """Every open case of the meeting's forum with the facts the agenda rule orders by."""
    forum = meeting.forum
    open_cases = ForumCase.objects.filter(forum_id=forum.pk, closed_on=None)
    cases: dict[int, CaseFacts] = {}
    by_person: dict[int, CaseFacts] = {}
    for pk, person_id, opened_on in open_cases.order_by("opened_on", "pk").values_list("pk", "person_id", "opened_on"):
        cases[pk] = CaseFacts(pk, person_id, opened_on)
        by_person.setdefault(person_id, cases[pk])
    gathered = Gathered(cases, [], ["open cases"])
    _gather_referrals(meeting, gathered, by_person)
    _gather_level_reviews(meeting, gathered, open_cases, by_person)
    _gather_agreed_reviews(meeting, gathered, open_cases)
    _gather_open_actions(meeting, gathered, open_cases)
    if forum.kind == forum.Kind.MARAC:
        _gather_children(meeting, gathered, by_person)
    return gathered


def _gather_referrals(meeting: Meeting, gathered: Gathered, by_person: dict[int, CaseFacts]) -> None:
    gathered.queries.append("new referrals")
    cases = gathered.cases
    for referral in _new_referrals(meeting):
        facts = cases.get(referral.forum_case_id) if referral.forum_case_id else None
        facts = facts or by_person.get(referral.person_id)
        if facts is None:
            gathered.unplaced.append(referral)
            continue
        if facts.referral_id is None:
            facts.referral_id, facts.referral_status = referral.pk, referral.status
        facts.has_children = facts.has_children or referral.children


def _gather_level_reviews(meeting: Meeting, gathered: Gathered, open_cases, by_person: dict[int, CaseFacts]) -> None:
    level = LEVEL_OF_KIND.get(meeting.forum.kind)
    if level is None:
        return
    gathered.queries.append(f"Level {level} reviews due")
    nominals = Nominal.objects.filter(
        person_id__in=open_cases.values("person_id"), status=Nominal.Status.ACTIVE, management_level=level
    ).order_by("person_id", "mappa_review_due", "pk")
    for person_id, pk, due in nominals.values_list("person_id", "pk", "mappa_review_due"):
        facts = by_person.get(person_id)
        if facts is None or facts.nominal_id is not None:
            continue
        facts.nominal_id = pk
        facts.review_due = due


def _gather_agreed_reviews(meeting: Meeting, gathered: Gathered, open_cases) -> None:
    gathered.queries.append("reviews agreed when last heard")
    agreed = (
        AgendaItem.objects.filter(
            meeting__forum_id=meeting.forum.pk,
            forum_case_id__in=open_cases.values("pk"),
            outcome=AgendaItem.Outcome.HEARD,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .exclude(meeting_id=meeting.pk)
        .order_by("forum_case_id", "-meeting__starts_at", "-pk")
        .values_list("forum_case_id", "next_review_on")
    )
    seen: set[int] = set()
    for case_id, next_review_on in agreed:
        if case_id in seen:
            continue
        seen.add(case_id)
        facts = gathered.cases.get(case_id)
        if facts is not None and next_review_on is not None:
            facts.review_due = min(d for d in (facts.review_due, next_review_on) if d is not None)


def _gather_open_actions(meeting: Meeting, gathered: Gathered, open_cases) -> None:
    gathered.queries.append("open actions")
    actions = (
        Action.objects.filter(
            forum_id=meeting.forum.pk, status__in=Action.OPEN_STATUSES, forum_case_id__in=open_cases.values("pk")
        )
        .exclude(agenda_item__meeting_id=meeting.pk)
        .values_list("forum_case_id", "due_on")
    )
    for case_id, due_on in actions:
        if case_id in gathered.cases:
            gathered.cases[case_id].action_dues.append(due_on)


def _gather_children(meeting: Meeting, gathered: Gathered, by_person: dict[int, CaseFacts]) -> None:
    """Children change a case's place among the new cases, never whether it is listed: asked only for the
    cases the agenda lists."""
    day = meeting_day(meeting)
    cases = gathered.cases
    gathered.queries.append("children at domestic-abuse incidents")
    first = agenda_rules.build_agenda([f.candidate() for f in cases.values()], day)
    moved = False
    for person_id in _children_at_incidents([cases[i.case_id].person_id for i in first.items], day):
        facts = by_person.get(person_id)
        if facts is not None and not facts.has_children:
            facts.has_children = True
            moved = moved or facts.referral_id is not None  # only a new case changes its place
    gathered.agenda = None if moved else first


# Building ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    listed: int
    kept: int
    removed: int
    opened_cases: int
    referrals_listed: int
    working: tuple[Step, ...]


def _why(item: agenda_rules.Item) -> str:
    text = item.why
    if item.other_reasons:
        text += "; also: " + "; ".join(item.other_reasons)
    return text if len(text) <= WHY_LENGTH else text[: WHY_LENGTH - 1] + "…"


def _open_case_for(ctx: AccessContext, meeting: Meeting, referral: NewReferral) -> CaseFacts:
    opened_on = referral.decided_on or meeting_day(meeting)
    case = ForumCase.objects.create(forum_id=meeting.forum_id, person_id=referral.person_id, opened_on=opened_on)
    gate.audit_allowed(
        ctx,
        Operation.CREATE,
        case,
        "case opened for an accepted referral listed on the agenda",
        {"referral": referral.pk, "meeting": meeting.pk},
    )
    return CaseFacts(
        case.pk,
        referral.person_id,
        opened_on,
        referral_id=referral.pk,
        referral_status=referral.status,
        has_children=referral.children,
    )


def _started_items(meeting: Meeting) -> dict[int, AgendaItem]:
    """This meeting's items by case, each marked whether anything has been recorded on it."""
    items = AgendaItem.objects.filter(meeting_id=meeting.pk).annotate(
        has_shared=Exists(SharedInformation.objects.filter(item_id=OuterRef("pk"))),
        has_decisions=Exists(Decision.objects.filter(item_id=OuterRef("pk"))),
        has_plans=Exists(RiskManagementPlan.objects.filter(agenda_item_id=OuterRef("pk"))),
        has_actions=Exists(Action.objects.filter(agenda_item_id=OuterRef("pk"))),
    )
    return {item.forum_case_id: item for item in items}


def _is_kept(item: AgendaItem) -> bool:
    return item.outcome in KEPT_OUTCOMES or any((item.has_shared, item.has_decisions, item.has_plans, item.has_actions))


def build_agenda(ctx: AccessContext, meeting: Meeting, *, expected_version: int) -> BuildResult:
    """Build (or rebuild) the meeting's agenda from the database: the forum's coordinator only."""
    coordinated = gate.changing(
        ctx, Meeting, meeting.pk, expected_version, related=("forum",), on=lambda current: current.forum
    )
    with coordinated as change:
        current = change.record
        if current.status not in LIVE_MEETING:
            raise ValidationError(
                {"__all__": f"This meeting is {current.get_status_display().lower()}: its agenda cannot change."}
            )
        day = meeting_day(current)
        gathered = gather(current)
        opened = 0
        for referral in gathered.unplaced:
            facts = _open_case_for(ctx, current, referral)
            gathered.cases[facts.case_id] = facts
            opened += 1
        agenda = (
            gathered.agenda
            if gathered.agenda is not None and not opened
            else agenda_rules.build_agenda([f.candidate() for f in gathered.cases.values()], day)
        )
        existing = _started_items(current)
        placed = {item.case_id: (index, item) for index, item in enumerate(agenda.items)}

        ordering: list[tuple[int, tuple, AgendaItem]] = []
        to_create, to_update, kept_rows, removed = [], [], [], []
        section_index = {s: i for i, s in enumerate(agenda_rules.SECTIONS)}
        for case_id, row in existing.items():
            if _is_kept(row):
                kept_rows.append(row)
                index = placed[case_id][0] if case_id in placed else None
                key = (0, index) if index is not None else (1, row.position)
                ordering.append((section_index.get(row.section, len(section_index)), key, row))
            elif case_id not in placed:
                removed.append(row.pk)
        for case_id, (index, rule_item) in placed.items():
            row = existing.get(case_id)
            if row is not None and _is_kept(row):
                continue
            facts = gathered.cases[case_id]
            if row is None:
                row = AgendaItem(meeting=current, forum_case_id=case_id, person_id=facts.person_id)
                to_create.append(row)
            else:
                to_update.append(row)
            row.section = rule_item.section
            row.why = _why(rule_item)
            row.has_children = facts.has_children
            row.nominal_id = facts.nominal_id
            row.referral_id = facts.referral_id
            ordering.append((section_index[rule_item.section], (0, index), row))
        ordering.sort(key=lambda entry: (entry[0], entry[1]))
        for position, (_, _, row) in enumerate(ordering, start=1):
            row.position = position

        if removed:
            AgendaItem.objects.filter(pk__in=removed).delete()
        AgendaItem.objects.bulk_update(kept_rows, ["position"])
        AgendaItem.objects.bulk_update(
            to_update, ["position", "section", "why", "has_children", "nominal_id", "referral_id"]
        )
        AgendaItem.objects.bulk_create(to_create)

        to_list = [
            facts.referral_id
            for _, _, row in ordering
            if (facts := gathered.cases.get(row.forum_case_id)) is not None
            and row.referral_id == facts.referral_id
            and facts.referral_status == Referral.Status.ACCEPTED
        ]
        referrals = Referral.objects.in_bulk(to_list)
        for pk in to_list:
            list_referral(ctx, referrals[pk], current)
        listed = len(to_list)

        current.agenda_built_at = timezone.now()
        change.save(update_fields=["agenda_built_at", "version"])
        change.detail.update(
            {"agenda": len(ordering), "kept": len(kept_rows), "removed": len(removed), "opened_cases": opened}
        )
    return BuildResult(len(ordering), len(kept_rows), len(removed), opened, listed, agenda.working)


# Listing a referral -----------------------------------------------------------------------------------------


def list_referral(ctx: AccessContext, referral: Referral, meeting: Meeting):
    """List an accepted referral on the meeting: ``referrals.services.list_referral`` when it exists."""
    if importlib.util.find_spec("safeguard.referrals.services") is not None:
        services = importlib.import_module("safeguard.referrals.services")
        if hasattr(services, "list_referral"):
            return services.list_referral(ctx, referral, meeting)
    return mark_referral_listed(ctx, referral, meeting)


def mark_referral_listed(ctx: AccessContext, referral: Referral, meeting: Meeting) -> Referral:
    """Accepted to listed, through the gate, with its transition recorded (until referrals.services lists).

    Kept apart on purpose: the referrals part owns the state machine; this is the one move the agenda needs.
    """
    with gate.changing(ctx, Referral, referral.pk, referral.version, detail={"meeting": meeting.pk}) as change:
        current = change.record
        try:
            referral_rules.transition(current.status, referral_rules.LISTED, kind=current.kind)
        except RuleInputError as err:
            raise ValidationError({"__all__": err.message}) from None
        before = current.status
        current.status = Referral.Status.LISTED
        current.status_since = timezone.now()
        current.version += 1
        fields = ["status", "status_since", "version"]
        if current.forum_case_id is None:
            current.forum_case = (
                ForumCase.objects.filter(forum_id=meeting.forum_id, person_id=current.person_id, closed_on=None)
                .order_by("opened_on", "pk")
                .first()
            )
            fields.append("forum_case")
        current.save(update_fields=fields)
        ReferralTransition.objects.create(
            referral=current,
            from_status=before,
            to_status=current.status,
            by=ctx.user,
            rationale=f"Listed for the meeting on {meeting_day(meeting):%-d %B %Y}",
        )
        change.detail |= {"from": before, "to": current.status}
    return current


# Reading the agenda -----------------------------------------------------------------------------------------


def visible_items(ctx: AccessContext, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items the user may see (the agenda item's policy), audited as one list."""
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .select_related("person", "nominal", "referral")
        .order_by("position", "pk")
    )
    user = ctx.user
    if not policy.may_run_meeting(user, meeting):
        items = [item for item in items if gate.decide(user, Operation.VIEW, item).allowed]
    if items:
        gate.audit_list(ctx, Operation.VIEW, AgendaItem, [i.pk for i in items], {"meeting": meeting.pk})
    return items
