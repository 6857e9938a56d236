"""Use cases for training records: completions, waiting lists, course places and buddies.

One function per use case, each in one transaction, each through the gate:
a change to a member of staff's records (a completion, a waiting-list entry, a
buddy pairing) is authorised against that member of staff
(``gate.check``/``save_record`` to make one, ``gate.changing`` to change one,
which the gate decides as the staff member it belongs to: only the supervisor
of their team records training) and audited in the same transaction. A row
that only has to hold still while records under it change (the member of
staff, for one open entry per course; the course run whose places are
counted) is ``gate.locked``. Course
places are not a staff record: they belong to the MAPPA area, and
:func:`may_manage_places` decides who records them.

What the records then allow is never stored here: ``workforce.competence``
works it out from the completions with ``rules.competence``.

Decisions Safeguard had to make (the sources say only that there are waiting
lists, places offered by other forces, and buddies for new joiners until
trained):

- A completion's ``expires_on`` is the first day it no longer counts; left
  empty, the area's refresh period for the course applies when competence is
  worked out (so a later change of the area's period applies to it too).
- Recording a completion closes the officer's open waiting-list entry for that
  course as completed: they no longer wait for it. A place offered to them but
  not yet booked is freed for someone else; a booked place stays taken.
- A waiting-list entry moves waiting, place offered, place booked, completed;
  an offer declined goes back to waiting (the time waited keeps counting from
  the day they joined); any open entry may be withdrawn, with a reason.
- A place counts as taken while it is offered, booked or completed; a declined
  or withdrawn offer frees it. No more people are offered places on a course
  run than it has places, and no place is offered on a run that has started.
- A buddy must be someone else, must themselves hold a counting course of the
  area's ``buddy_until_courses`` (MOSOVO) on the day the pairing starts, and
  the new joiner must not (a trained officer works without a buddy). A new
  joiner has one current buddy. The buddy is chosen among the staff whose
  training records the user may see, because checking the buddy's MOSOVO reads
  their record (audited as a view).
- Places are recorded by a supervisor or the MAPPA coordinator of a
  Responsible Authority agency in the area (the brief; the policy module has
  no rule for area-level training records, so the rule lives here).
"""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.rules.competence import COURSES, BuddyFinding, Competence, Completion, competence, needs_buddy
from safeguard.workforce.policies import may_manage_places as may_manage_places  # the pages ask it

from ..competence import competences, completions_by_staff
from ..models import Area, AreaSettings, Buddy, Course, CoursePlace, Role, Staff, TrainingCompletion, WaitingListEntry

MIN_REASON_LENGTH = 10
Status = WaitingListEntry.Status
TAKEN = (Status.OFFERED, Status.BOOKED, Status.COMPLETED)


ENTRY_RELATED = ("staff", "course", "place")


def _saved(ctx: AccessContext, change: gate.Change, reason: str = "", **detail) -> None:
    """End a change: the record checked whole, saved one version on (with the reason in its history) by the
    acting user, and ``detail`` added to the change's audit event."""
    record = change.record
    record.full_clean()
    _as_user(record, ctx)
    change.detail.update(detail)
    change.save(reason)


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"Give the reason for {what} (at least {MIN_REASON_LENGTH} characters)."})
    return text


def _not_future(field: str, value: dt.date | None, label: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past."})


def _as_user(record, ctx: AccessContext):
    """simple-history records the acting user even outside a request (tests, tasks)."""
    record._history_user = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    return record


def settings_of(staff: Staff):
    return AreaSettings.for_area(staff.mappa_area_id).competence_settings()


# Completions ---------------------------------------------------------------------------------------------------


def _close_waiting_entries(ctx: AccessContext, staff: Staff, course: Course) -> None:
    """Close open entries for a course just completed: a place offered but not taken up is freed."""
    open_entries = WaitingListEntry.objects.filter(staff=staff, course=course, status__in=WaitingListEntry.OPEN)
    for pk in open_entries.values_list("pk", flat=True):
        with gate.changing(ctx, WaitingListEntry, pk) as change:
            entry = change.record
            if entry.status != Status.BOOKED:
                entry.place = None
            entry.status = Status.COMPLETED
            entry.closed_on = timezone.localdate()
            _saved(ctx, change, "Course completion recorded", status=Status.COMPLETED)


def _new_completion(ctx, staff, course, completed_on, expires_on, evidence) -> TrainingCompletion:
    completion = TrainingCompletion(
        staff=staff,
        course=course,
        completed_on=completed_on,
        expires_on=expires_on,
        evidence=(evidence or "").strip(),
        recorded_by=ctx.user,
    )
    gate.check(ctx, Operation.CREATE, completion)
    if TrainingCompletion.objects.filter(staff=staff, course=course, completed_on=completed_on).exists():
        raise ValidationError({"completed_on": f"This completion of {course.name} on that date is already recorded."})
    _as_user(completion, ctx)
    save_record(ctx, completion, detail={"course": course.code})
    return completion


def record_completion(
    ctx: AccessContext,
    staff: Staff,
    *,
    course: Course,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    evidence: str = "",
) -> TrainingCompletion:
    """Record that a member of staff completed a course (the supervisor of their team).

    ``expires_on`` is the first day the course no longer counts; empty, the
    area's refresh period for the course applies (none set: it does not expire).
    An open waiting-list entry for the course is closed as completed.
    """
    with transaction.atomic():
        completion = _new_completion(ctx, staff, course, completed_on, expires_on, evidence)
        _close_waiting_entries(ctx, staff, course)
    return completion


def correct_completion(
    ctx: AccessContext,
    completion: TrainingCompletion,
    *,
    course: Course,
    completed_on: dt.date,
    expires_on: dt.date | None,
    evidence: str,
    reason: str,
) -> TrainingCompletion:
    """Correct a completion recorded wrongly; the reason is kept in its history."""
    with gate.changing(ctx, TrainingCompletion, completion.pk, related=("staff",)) as change:
        current = change.record
        changes = {
            "course_id": course.pk,
            "completed_on": completed_on,
            "expires_on": expires_on,
            "evidence": (evidence or "").strip(),
        }
        changed = [name for name, value in changes.items() if getattr(current, name) != value]
        if not changed:
            raise ValidationError({"__all__": "Nothing has changed."})
        text = _reason(reason, "the correction")
        for name, value in changes.items():
            setattr(current, name, value)
        _saved(ctx, change, text, fields=[f.removesuffix("_id") for f in changed])
    return current


def remove_completion(ctx: AccessContext, completion: TrainingCompletion, *, reason: str) -> None:
    """Remove a completion recorded in error. Its history (with the reason) is kept; the audit says who."""
    with gate.changing(ctx, TrainingCompletion, completion.pk, related=("staff",)) as change:
        current = change.record
        current._change_reason = _reason(reason, "removing this completion")
        change.detail |= {"removed": True, "course": current.course.code}
        _as_user(current, ctx)
        current.delete()


# Waiting lists -------------------------------------------------------------------------------------------------


def join_waiting_list(
    ctx: AccessContext, staff: Staff, *, course: Course, joined_on: dt.date | None = None, note: str = ""
) -> WaitingListEntry:
    """Put a member of staff on the waiting list for a course."""
    entry = WaitingListEntry(
        staff=staff, course=course, joined_on=joined_on or timezone.localdate(), note=(note or "").strip()
    )
    with transaction.atomic():
        gate.check(ctx, Operation.CREATE, entry)
        gate.locked(Staff, staff.pk)  # one open entry per course, even in a race
        _not_future("joined_on", entry.joined_on, "The date they joined the list")
        open_entry = WaitingListEntry.objects.filter(
            staff=staff, course=course, status__in=WaitingListEntry.OPEN
        ).first()
        if open_entry is not None:
            raise ValidationError(
                {
                    "course": f"This officer is already on the waiting list for {course.name} "
                    f"(since {_day(open_entry.joined_on)})."
                }
            )
        _as_user(entry, ctx)
        save_record(ctx, entry, detail={"course": course.code})
    return entry


def _entry_changing(ctx: AccessContext, entry: WaitingListEntry, expected_version: int | None):
    return gate.changing(ctx, WaitingListEntry, entry.pk, expected_version, related=ENTRY_RELATED)


def _move(ctx: AccessContext, change: gate.Change, status: str, reason: str = "") -> WaitingListEntry:
    change.record.status = status
    _saved(ctx, change, reason, status=status)
    return change.record


def mark_booked(ctx: AccessContext, entry: WaitingListEntry, *, expected_version: int | None = None):
    """The officer has taken up the place offered: it is booked."""
    with _entry_changing(ctx, entry, expected_version) as change:
        current = change.record
        if current.status != Status.OFFERED:
            raise ValidationError({"action": "Only a place that has been offered can be booked."})
        return _move(ctx, change, Status.BOOKED)


def decline_offer(ctx: AccessContext, entry: WaitingListEntry, *, expected_version: int | None = None):
    """The officer declined the place offered: back on the waiting list, the place freed."""
    with _entry_changing(ctx, entry, expected_version) as change:
        current = change.record
        if current.status != Status.OFFERED:
            raise ValidationError({"action": "Only a place that has been offered can be declined."})
        current.place = None
        return _move(ctx, change, Status.WAITING, "Offer declined")


def mark_completed(
    ctx: AccessContext,
    entry: WaitingListEntry,
    *,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
    evidence: str = "",
    expected_version: int | None = None,
) -> TrainingCompletion:
    """The officer completed the course on their booked place: the entry closes and a completion is recorded."""
    with _entry_changing(ctx, entry, expected_version) as change:
        current = change.record
        if current.status != Status.BOOKED:
            raise ValidationError({"action": "Only a booked place can be marked as completed."})
        if current.place is not None and completed_on is not None and completed_on < current.place.starts_on:
            raise ValidationError(
                {
                    "completed_on": "The date completed must be on or after the course started "
                    f"({_day(current.place.starts_on)})."
                }
            )
        completion = _new_completion(ctx, current.staff, current.course, completed_on, expires_on, evidence)
        current.closed_on = completed_on
        _move(ctx, change, Status.COMPLETED)
    return completion


def withdraw(ctx: AccessContext, entry: WaitingListEntry, *, reason: str, expected_version: int | None = None):
    """Take an officer off the waiting list (they left, or no longer need the course), with a reason."""
    with _entry_changing(ctx, entry, expected_version) as change:
        current = change.record
        if not current.is_open:
            raise ValidationError({"action": "This entry is already closed."})
        text = _reason(reason, "the withdrawal")
        current.note = text[: WaitingListEntry._meta.get_field("note").max_length]
        current.closed_on = timezone.localdate()
        return _move(ctx, change, Status.WITHDRAWN, text)


# Course places -------------------------------------------------------------------------------------------------


def check_places(ctx: AccessContext, operation: str, area_id: int | None, place: CoursePlace | None = None):
    """Decide :func:`may_manage_places` through the gate; a refusal is raised (and audited) as the gate's are."""
    return gate.check(ctx, operation, place if place is not None else CoursePlace(area_id=area_id))


def record_places(
    ctx: AccessContext, *, course: Course, offered_by: str, starts_on: dt.date, places: int, area: Area
) -> CoursePlace:
    """Record places on a course run offered to the area's waiting lists, by this force or another."""
    place = CoursePlace(
        course=course,
        offered_by=(offered_by or "").strip(),
        starts_on=starts_on,
        places=places,
        area=area,
        recorded_by=ctx.user,
    )
    with transaction.atomic():
        decision = check_places(ctx, Operation.CREATE, area.pk)
        if area.kind != Area.Kind.MAPPA:
            raise ValidationError({"area": "Choose a MAPPA area."})
        if starts_on is not None and starts_on < timezone.localdate():
            raise ValidationError({"starts_on": "The date the course starts must be today or in the future."})
        place.full_clean()
        place.save()
        gate.audit_allowed(ctx, Operation.CREATE, place, decision.reason, {"course": course.code, "places": places})
    return place


def places_taken(place: CoursePlace) -> int:
    return place.entries.filter(status__in=TAKEN).count()


def offer_places(ctx: AccessContext, place: CoursePlace, entries: list[WaitingListEntry]) -> list[WaitingListEntry]:
    """Offer places on a course run to people waiting for it: never more offers than places left."""
    with transaction.atomic(), ExitStack() as changes:
        current_place = gate.locked(CoursePlace, place.pk, related=("course",))  # the places left, counted once
        related = ("staff", "staff__agency", "staff__agency__area", "course")
        chosen = WaitingListEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("joined_on", "pk")
        offering = [
            changes.enter_context(gate.changing(ctx, WaitingListEntry, pk, related=related))
            for pk in chosen.values_list("pk", flat=True)
        ]
        locked = [change.record for change in offering]
        if not locked:
            raise ValidationError({"entries": "Choose at least one person to offer a place to."})
        if current_place.starts_on < timezone.localdate():
            raise ValidationError(
                {"entries": f"This course started on {_day(current_place.starts_on)}: offer places on a later run."}
            )
        left = current_place.places - places_taken(current_place)
        if len(locked) > left:
            counted = "no places" if left <= 0 else ("1 place" if left == 1 else f"{left} places")
            raise ValidationError(
                {"entries": f"There are {counted} left on this course: choose no more than {max(left, 0)}."}
            )
        for entry in locked:
            if entry.course_id != current_place.course_id:
                raise ValidationError({"entries": f"Choose people waiting for {current_place.course.name}."})
            if entry.status != Status.WAITING:
                raise ValidationError({"entries": "Choose people who are waiting: one of them already has a place."})
            if entry.staff.mappa_area_id != current_place.area_id:
                raise ValidationError({"entries": "These places are for the waiting lists of another area."})
        for change in offering:
            change.record.place = current_place
            _move(ctx, change, Status.OFFERED)
    return locked


# Buddies -------------------------------------------------------------------------------------------------------


def assign_buddy(ctx: AccessContext, new_joiner: Staff, buddy: Staff, *, started_on: dt.date | None = None) -> Buddy:
    """Pair a new joiner (or an officer whose course has lapsed) with an experienced, trained buddy."""
    on = started_on or timezone.localdate()
    pairing = Buddy(new_joiner=new_joiner, buddy=buddy, started_on=on, recorded_by=ctx.user)
    with transaction.atomic():
        gate.check(ctx, Operation.CREATE, pairing)
        gate.locked(Staff, new_joiner.pk)  # one current buddy, even in a race
        _not_future("started_on", on, "The date the pairing starts")
        if buddy.pk == new_joiner.pk:
            raise ValidationError({"buddy": "Choose someone other than the new joiner as their buddy."})
        if not buddy.is_active:
            raise ValidationError({"buddy": "Choose a buddy who is still an active member of staff."})
        # Reading the buddy's training record: through the gate, and audited.
        gate.authorise(ctx, Operation.VIEW, buddy, {"use": "buddy check"})
        settings = settings_of(new_joiner)
        completions = completions_by_staff([new_joiner.pk, buddy.pk])
        joiner_finding = needs_buddy(completions.get(new_joiner.pk, []), on, settings)
        if not joiner_finding.needs_buddy:
            courses = " and ".join(COURSES[c] for c in sorted(settings.buddy_until_courses))
            raise ValidationError(
                {"__all__": f"This officer holds a counting {courses} on {_day(on)}, so works without a buddy."}
            )
        buddy_finding = needs_buddy(completions.get(buddy.pk, []), on, settings)
        if buddy_finding.needs_buddy:
            missing = " and ".join(COURSES[c] for c in buddy_finding.missing_courses)
            raise ValidationError(
                {"buddy": f"The buddy must hold a counting {missing} on {_day(on)}: choose someone who does."}
            )
        current = Buddy.objects.filter(new_joiner=new_joiner, ended_on=None).first()
        if current is not None:
            raise ValidationError(
                {
                    "buddy": f"This officer already has a buddy (since {_day(current.started_on)}): "
                    "end that pairing first."
                }
            )
        _as_user(pairing, ctx)
        save_record(ctx, pairing)
    return pairing


def end_buddy(ctx: AccessContext, pairing: Buddy, *, ended_on: dt.date | None = None) -> Buddy:
    """End a buddy pairing (the new joiner is trained, or one of them has moved)."""
    on = ended_on or timezone.localdate()
    with gate.changing(ctx, Buddy, pairing.pk, related=("new_joiner",)) as change:
        current = change.record
        if current.ended_on is not None:
            raise ValidationError({"__all__": f"This pairing already ended on {_day(current.ended_on)}."})
        _not_future("ended_on", on, "The date the pairing ends")
        if on < current.started_on:
            raise ValidationError(
                {"ended_on": f"The date the pairing ends must be on or after it started ({_day(current.started_on)})."}
            )
        current.ended_on = on
        _saved(ctx, change)
    return current


# Reading, for the pages ----------------------------------------------------------------------------------------

# How far ahead the training pages warn of courses that stop counting. Safeguard's choice: no guidance sets it.
EXPIRY_HORIZON_DAYS = 90


@dataclass(frozen=True)
class OfficerTraining:
    """One member of staff's training on a day: competence, buddy, what expires soon, what the viewer may do."""

    staff: Staff
    competence: Competence
    is_offender_manager: bool
    buddy_finding: BuddyFinding
    current_buddy: Buddy | None
    expiring: tuple[tuple[str, dt.date], ...]
    may_record: bool

    @property
    def chair_levels(self) -> list[int]:
        return sorted(self.competence.may_chair_levels)


def officer_training(
    user: Staff, staff: list[Staff], on: dt.date, buddies: dict[int, Buddy] | None = None
) -> list[OfficerTraining]:
    """Competence and buddies of these members of staff on day ``on`` (already scoped by the caller): their
    completions read once, each area's settings once, and their current buddies (``buddies``, when the caller
    has read them already with :func:`current_buddies`)."""
    completions = completions_by_staff(s.pk for s in staff)
    settings_by_area: dict = {}
    for member in staff:
        if member.mappa_area_id not in settings_by_area:
            settings_by_area[member.mappa_area_id] = settings_of(member)
    answers = competences(staff, on, completions, settings_by_area)
    if buddies is None:
        buddies = current_buddies(s.pk for s in staff)
    rows = []
    for member in staff:
        answer = answers[member.pk]
        rows.append(
            OfficerTraining(
                staff=member,
                competence=answer,
                is_offender_manager=member.has_role(Role.OFFENDER_MANAGER),
                buddy_finding=needs_buddy(completions.get(member.pk, []), on, settings_by_area[member.mappa_area_id]),
                current_buddy=buddies.get(member.pk),
                expiring=tuple((COURSES[c], d) for c, d in answer.expiring_within(EXPIRY_HORIZON_DAYS)),
                may_record=bool(gate.decide(user, Operation.CHANGE, member)),
            )
        )
    return rows


# What the pages show of a buddy: the name. Their other columns are not read.
BUDDY_SHOWN = ("new_joiner_id", "started_on", "ended_on", "buddy__first_name", "buddy__last_name", "buddy__username")


def current_buddies(staff_ids) -> dict[int, Buddy]:
    """The current buddy pairing of each of these members of staff who has one (one query)."""
    pairings = Buddy.objects.filter(new_joiner_id__in=set(staff_ids), ended_on=None)
    return {b.new_joiner_id: b for b in pairings.select_related("buddy").only(*BUDDY_SHOWN)}


@dataclass(frozen=True)
class WaitingRow:
    entry: WaitingListEntry
    waited_days: int
    current_buddy: Buddy | None
    may_change: bool


def open_entries(staff) -> QuerySet[WaitingListEntry]:
    """The open waiting-list entries of these members of staff (a list, or a queryset already scoped)."""
    return WaitingListEntry.objects.filter(staff__in=staff, status__in=WaitingListEntry.OPEN).select_related(
        "staff__agency__area", "staff__team", "course", "place"
    )


# What the training page's waiting list shows of an entry (and the gate reads to decide a change: the officer's
# team): the course's name, the officer's name, the place offered. Nothing else is read for the page's rows.
ENTRY_SHOWN = (
    "staff_id",
    "course_id",
    "place_id",
    "joined_on",
    "status",
    "staff__first_name",
    "staff__last_name",
    "staff__username",
    "staff__team_id",
    "course__name",
    "place__starts_on",
    "place__offered_by",
)


def listed_entries(staff) -> QuerySet[WaitingListEntry]:
    """:func:`open_entries` with only what the training page's waiting list shows of each (a page of them)."""
    return (
        WaitingListEntry.objects.filter(staff__in=staff, status__in=WaitingListEntry.OPEN)
        .select_related("staff", "course", "place")
        .only(*ENTRY_SHOWN)
    )


def waiting_rows(user: Staff, staff: list[Staff], on: dt.date) -> list[WaitingRow]:
    """The open waiting-list entries of these members of staff, by course and longest waiting first."""
    return rows_of_entries(user, list(open_entries(staff).order_by("course__name", "joined_on", "pk")), on)


def rows_of_entries(
    user: Staff, entries: list[WaitingListEntry], on: dt.date, buddies: dict[int, Buddy] | None = None
) -> list[WaitingRow]:
    """Waiting-list entries (already in the user's scope) with time waited, buddy and what the user may do
    (``buddies``: the officers' current pairings, when the caller has read them with :func:`current_buddies`)."""
    if buddies is None:
        buddies = current_buddies(e.staff_id for e in entries)
    return [
        WaitingRow(
            entry=e,
            waited_days=(on - e.joined_on).days,
            current_buddy=buddies.get(e.staff_id),
            may_change=bool(gate.decide(user, Operation.CHANGE, e.staff)),
        )
        for e in entries
    ]


@dataclass(frozen=True)
class PlaceRow:
    place: CoursePlace
    taken: int

    @property
    def left(self) -> int:
        return max(self.place.places - self.taken, 0)


# What the pages show of a course run (with how many places are taken).
PLACE_SHOWN = ("course_id", "area_id", "offered_by", "starts_on", "places", "course__name")


def places_to_come(area_id: int | None, on: dt.date) -> QuerySet[CoursePlace]:
    """Places on course runs of the area that have not started before ``on``, each with how many are taken."""
    if area_id is None:
        return CoursePlace.objects.none()
    return (
        CoursePlace.objects.filter(area_id=area_id, starts_on__gte=on)
        .select_related("course")
        .only(*PLACE_SHOWN)
        .annotate(taken=Count("entries", filter=Q(entries__status__in=TAKEN)))
    )


def place_rows(area_id: int | None, on: dt.date) -> list[PlaceRow]:
    """Places on course runs of the area that have not started before ``on``, soonest first."""
    return [PlaceRow(p, p.taken) for p in places_to_come(area_id, on).order_by("starts_on", "pk")]


@dataclass(frozen=True)
class CompletionRow:
    completion: TrainingCompletion
    expires_on: dt.date | None  # recorded, or from the area's refresh period; None: it does not expire
    from_refresh_period: bool
    counts: bool


def completion_rows(member: Staff, on: dt.date) -> list[CompletionRow]:
    """Each completion of a member of staff with the day it stops counting and whether it counts on ``on``.

    Both answers are the rules' (``rules.competence.competence`` on the one completion), so they cannot
    disagree with the competence shown beside them.
    """
    settings = settings_of(member)
    rows = []
    for completion in (
        TrainingCompletion.objects.filter(staff=member).select_related("course").order_by("-completed_on", "-pk")
    ):
        one = Completion(completion.course.code, completion.completed_on, completion.expires_on)
        on_the_day = competence([one], None, completion.completed_on, settings)
        expiry = dict(on_the_day.expiries).get(one.course)
        counts = one.course in competence([one], None, on, settings).valid_courses
        rows.append(CompletionRow(completion, expiry, completion.expires_on is None and expiry is not None, counts))
    return rows
