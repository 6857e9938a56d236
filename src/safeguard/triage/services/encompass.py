"""Operation Encompass on the triage: the children of an incident, their schools told before the next school day.

Which children (Safeguard's reading; the scheme names "each child", reception to 17, present or not):
- every person the incident records in the child-present role; and
- the victim's sons and daughters recorded as relationships (people.Relationship read as "person is KIND of
  other": a child of the victim, or the victim a parent of them), when their date of birth shows them under 18
  on the day. A relationship without a date of birth is not taken (it may be an adult son or daughter): add
  the child to the incident instead.
The perpetrator's children who are not the victim's are not added: Safeguard does not know where they live.

Each child's notice is due by rules.triage.encompass_deadline (the start of the next school day after the
incident, at the forum's school start time, passing over weekends and the forum's non-school days, in
Europe/London); rules.encompass says whether a child is of school age at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.people.models import Person, Relationship
from safeguard.rules import encompass as encompass_rule
from safeguard.rules.relationships import RelationshipKind
from safeguard.rules.triage import SCHOOL_DAY_STARTS, EncompassDeadline, encompass_deadline
from safeguard.rules.working import RuleInputError
from safeguard.web.dates import long_datetime

from ..models import EncompassNotice, TriageCase
from .clock import LOCAL

CHILD_PRESENT = "Present at the incident (recorded on the incident)"
VICTIMS_CHILD = "The victim's son or daughter (recorded relationship)"


def non_school_days(forum) -> list[dt.date]:
    """The forum's listed non-school days (ISO dates). A malformed entry is an error an administrator fixes."""
    days = []
    for value in forum.non_school_days or []:
        try:
            days.append(dt.date.fromisoformat(str(value)))
        except ValueError as exc:
            raise ValidationError(
                {"__all__": "The forum's non-school days hold an entry that is not a date: ask an administrator."}
            ) from exc
    return days


def deadline_for(case: TriageCase) -> EncompassDeadline:
    forum = case.meeting.forum
    try:
        return encompass_deadline(
            case.incident.occurred_at,
            LOCAL,
            forum.school_day_starts_at or SCHOOL_DAY_STARTS,
            non_school_days(forum),
        )
    except RuleInputError as exc:
        raise ValidationError({"__all__": exc.message}) from exc


@dataclass
class Child:
    person: Person
    why: str
    present: bool | None
    applies: encompass_rule.Applies
    notice: EncompassNotice | None = None

    @property
    def due(self) -> bool:
        return self.applies.due and self.notice is None


@dataclass
class Encompass:
    """A case's Operation Encompass position: each child, the deadline, and a summary for the board."""

    children: list[Child]
    deadline: EncompassDeadline | None
    problem: str = ""

    @property
    def due(self) -> list[Child]:
        return [c for c in self.children if c.due]

    @property
    def late(self) -> list[EncompassNotice]:
        return [c.notice for c in self.children if c.notice and c.notice.told_school and not c.notice.in_time]

    def overdue(self, now: dt.datetime) -> bool:
        return bool(self.due and self.deadline and now > self.deadline.due_by)

    def status(self, now: dt.datetime) -> tuple[str, str]:
        """(text, tag colour) for the board: not needed, due by, overdue, late, or sent in time."""
        if self.problem:
            return self.problem, "grey"
        if not self.children:
            return "No children recorded", "grey"
        if not any(c.applies.due for c in self.children):
            return "No child of school age", "grey"
        if self.due:
            when = long_datetime(timezone.localtime(self.deadline.due_by, LOCAL))
            if now > self.deadline.due_by:
                return f"Encompass notice due by {when}: overdue", "red"
            return f"Encompass notice due by {when}", "yellow"
        if self.late:
            return "Encompass notice sent late", "orange"
        return "Encompass notices recorded", "green"


def children_of_cases(cases: list[TriageCase]) -> dict[int, list[tuple[Person, str, bool | None]]]:
    """Each incident's children, in two queries for a whole board."""
    found: dict[int, list[tuple[Person, str, bool | None]]] = {c.incident_id: [] for c in cases}
    links = IncidentPerson.objects.filter(incident_id__in=list(found), role=IncidentRole.CHILD_PRESENT).select_related(
        "person"
    )
    for link in links.order_by("pk"):
        found[link.incident_id].append((link.person, CHILD_PRESENT, True))
    victims = {c.victim_id: c for c in cases if c.victim_id}
    if victims:
        rows = Relationship.objects.filter(other_id__in=list(victims), kind=RelationshipKind.CHILD).select_related(
            "person"
        )
        pairs = [(r.other_id, r.person) for r in rows]
        rows = Relationship.objects.filter(person_id__in=list(victims), kind=RelationshipKind.PARENT).select_related(
            "other"
        )
        pairs += [(r.person_id, r.other) for r in rows]
        for victim_id, child in pairs:
            for case in (c for c in cases if c.victim_id == victim_id):
                day = timezone.localtime(case.incident.occurred_at, LOCAL).date()
                age = child.age_on(day)
                if age is None or age >= encompass_rule.OVER_AGE:
                    continue
                if all(p.pk != child.pk for p, _, _ in found[case.incident_id]):
                    found[case.incident_id].append((child, VICTIMS_CHILD, None))
    return found


def encompass_for_cases(cases: list[TriageCase]) -> dict[int, Encompass]:
    """The Operation Encompass position of every case on a board (a few queries, not a few per case)."""
    children = children_of_cases(cases)
    notices: dict[tuple[int, int], EncompassNotice] = {}
    for notice in EncompassNotice.objects.filter(case__in=[c.pk for c in cases]).order_by("sent_at", "pk"):
        notices.setdefault((notice.case_id, notice.child_id), notice)
    result = {}
    for case in cases:
        try:
            deadline = deadline_for(case)
            problem = ""
        except ValidationError as exc:
            deadline, problem = None, exc.messages[0]
        day = timezone.localtime(case.incident.occurred_at, LOCAL).date()
        rows = [
            Child(
                person=person,
                why=why,
                present=present,
                applies=encompass_rule.notice_due(person.date_of_birth, day),
                notice=notices.get((case.pk, person.pk)),
            )
            for person, why, present in children[case.incident_id]
        ]
        result[case.pk] = Encompass(rows, deadline, problem)
    return result


def encompass_for(case: TriageCase) -> Encompass:
    return encompass_for_cases([case])[case.pk]


def record_notice(
    ctx: AccessContext,
    case: TriageCase,
    child: Person,
    *,
    school: str,
    safeguarding_lead: str,
    child_present: bool | None,
    childs_voice: str,
    circumstances: str,
    sent_at: dt.datetime | None,
    no_school_reason: str = "",
) -> EncompassNotice:
    """Record the notice to one child's school (or that the child attends none), with its deadline kept."""
    position = encompass_for(case)
    row = next((c for c in position.children if c.person.pk == child.pk), None)
    if row is None:
        raise ValidationError({"__all__": "That child is not linked to this incident."})
    if row.notice is not None:
        raise ValidationError({"__all__": "A notice for this child is already recorded on this case."})
    if position.deadline is None:
        raise ValidationError({"__all__": position.problem})
    errors = {}
    now = timezone.now()
    if no_school_reason.strip():
        sent_at = now
    else:
        if not school.strip():
            errors["school"] = "Enter the child's school, or say why no school was told"
        if sent_at is None:
            errors["sent_at"] = "Enter the date and time the school was told"
        elif sent_at > now:
            errors["sent_at"] = "The time the school was told must be now or in the past"
        elif sent_at < case.incident.occurred_at:
            errors["sent_at"] = "The time the school was told must be after the incident"
    if errors:
        raise ValidationError(errors)
    notice = EncompassNotice(
        case=case,
        child=child,
        school=school.strip(),
        safeguarding_lead=safeguarding_lead.strip(),
        child_present=child_present,
        childs_voice=childs_voice.strip(),
        circumstances=circumstances.strip(),
        no_school_reason=no_school_reason.strip(),
        due_by=position.deadline.due_by,
        sent_at=sent_at,
        sent_by=ctx.user,
    )
    with transaction.atomic():
        gate.authorise(ctx, Operation.VIEW, child, {"page": "Operation Encompass notice"})
        save_record(ctx, notice, detail={"in_time": notice.in_time, "told_school": notice.told_school})
    return notice
