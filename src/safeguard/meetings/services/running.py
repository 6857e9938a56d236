"""Running a meeting: start, attendance and the confidentiality statement, each case heard, end.

Who: the forum's coordinator, or the meeting's chair (``policy.may_run_meeting``),
through the gate for every record. Applying a level or a review to a MAPPA
nominal is a change of the nominal (``offenders.services.change_nominal``), so
it needs the right to change that nominal too: a chair who holds no such right
is told so and the coordinator records it (nothing is half-saved).

The order of a meeting (MAPPA Guidance; SafeLives):
1. start it (its chair set and still eligible on the day);
2. the confidentiality statement read, and each attendee's agreement marked;
   attendance by agency: name, role, present or apologies;
3. for each case on the agenda: what each agency shared (fact apart from
   opinion; what was withheld and why; items restricted from named agencies,
   who never see them: ``policy.visible_shared``), the risk level agreed (and
   for MAPPA the management level, applied to the nominal with the decision as
   the reason), decisions with their rationale and any dissent, the risk
   management plan (``plans.save_plan``), actions with an owner agency and a
   due date, the next review date, and the case marked heard or deferred;
4. end it (every case heard or deferred).

Decisions Safeguard had to make:
- A meeting starts on or after its day, not before.
- The next review date a panel agrees for a Level 2 or 3 nominal may not be
  later than the area's review interval allows from the meeting
  (``rules.mappa.review_due``); earlier is the panel's choice. Hearing a MAPPA
  case records the meeting as the nominal's last multi-agency review, so the
  due dates (``offenders.due_dates``) move by the area's interval; the date the
  panel agreed stays on the agenda item and brings the case back to the
  forum's agenda by then. The lead agency's own review date
  (``Nominal.next_review_due``) is left to the lead agency.
- An action's rationale is required at MAPPA meetings (minutes record every
  action with its rationale) and optional elsewhere.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.actions import tactics
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.offenders import services as offender_services
from safeguard.offenders.models import Nominal, RiskOfSeriousHarm
from safeguard.rules import dash
from safeguard.rules import mappa as mappa_rules
from safeguard.workforce.models import AreaSettings

from ..models import AgendaItem, Attendance, Decision, Meeting, RiskManagementPlan, SharedInformation
from .forums import MAPPA_KINDS

MIN_TEXT = 10  # the same floor as a nominal's reasons (offenders.services)
MAPPA_RISK_LEVELS = [(c, label) for c, label in RiskOfSeriousHarm.choices if c != RiskOfSeriousHarm.NOT_KNOWN]
DA_RISK_LEVELS = [(g, dash.GRADE_LABELS[g].split(" (")[0]) for g in reversed(dash.GRADES)]
MANAGEMENT_LEVELS = (1, 2, 3)


def risk_levels_for(forum) -> list[tuple[str, str]]:
    """The risk levels a forum agrees: RoSH at MAPPA and IOM, the DASH grades at the domestic-abuse forums."""
    if forum.kind in MAPPA_KINDS or forum.kind == forum.Kind.IOM:
        return MAPPA_RISK_LEVELS
    return DA_RISK_LEVELS


def require_in_progress(meeting: Meeting) -> None:
    meeting.require_in_progress()


def _required(value: str, field: str, what: str, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        more = f" (at least {minimum} characters)" if minimum > 1 else ""
        raise ValidationError({field: f"Enter {what}{more}."})
    return value


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _meeting_day(meeting: Meeting) -> dt.date:
    return timezone.localdate(meeting.starts_at)


def _as_changed(meeting: Meeting, changed: Meeting) -> Meeting:
    """The caller's meeting object brought up to the saved row (pages read it after the change)."""
    for field in ("status", "ends_at", "version"):
        setattr(meeting, field, getattr(changed, field))
    return meeting


def _save_meeting(ctx: AccessContext, meeting: Meeting, expected_version: int, detail: dict) -> Meeting:
    with transaction.atomic():
        save_record(ctx, meeting, expected_version=expected_version, detail=detail)
    return meeting


# The meeting ------------------------------------------------------------------------------------------------


def start_meeting(ctx: AccessContext, meeting: Meeting, *, expected_version: int, today: dt.date | None = None):
    """Start a scheduled meeting on (or after) its day, with an eligible chair."""
    from .chair import chair_still_eligible

    today = today or timezone.localdate()
    with gate.changing(ctx, Meeting, meeting.pk, expected_version, detail={"started": True}) as change:
        change.record.start(today, chair_still_eligible(change.record))
        change.save()
    return _as_changed(meeting, change.record)


def read_confidentiality(ctx: AccessContext, meeting: Meeting, *, agreed: list[int], expected_version: int) -> Meeting:
    """The confidentiality statement read at the meeting; the attendees who agreed to it marked."""
    require_in_progress(meeting)
    if not meeting.forum.confidentiality_statement.strip():
        raise ValidationError(
            {"__all__": "The forum has no confidentiality statement: an administrator sets it in the forum's settings."}
        )
    present = {a.pk: a for a in meeting.attendance.filter(present=True)}
    unknown = set(agreed) - set(present)
    if unknown:
        raise ValidationError({"agreed": "Choose only people recorded as present."})
    with transaction.atomic():
        for pk, attendance in present.items():
            should = pk in agreed
            if attendance.agreed_confidentiality != should:
                attendance.agreed_confidentiality = should
                save_record(ctx, attendance, detail={"agreed_confidentiality": should})
        meeting.confidentiality_read_at = meeting.confidentiality_read_at or timezone.now()
        save_record(ctx, meeting, expected_version=expected_version, detail={"confidentiality_read": True})
    return meeting


def record_attendance(
    ctx: AccessContext,
    meeting: Meeting,
    *,
    agency,
    name: str,
    role: str = "",
    present: bool = True,
    agreed_confidentiality: bool = False,
    staff=None,
) -> Attendance:
    """Someone at the meeting (or sending apologies), for a member agency of the forum."""
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS):
        raise ValidationError({"__all__": "Attendance can only be recorded before or during the meeting."})
    name = _required(name, "name", "the name as signed on the attendance list")
    if not meeting.forum.member_agencies.filter(pk=agency.pk).exists():
        raise ValidationError({"agency": "Choose one of the forum's member agencies."})
    if agreed_confidentiality and not present:
        raise ValidationError(
            {"agreed_confidentiality": "Someone who sent apologies was not there to agree to the statement."}
        )
    attendance = Attendance(
        meeting=meeting,
        agency=agency,
        staff=staff,
        name=name,
        role=(role or "").strip(),
        present=present,
        agreed_confidentiality=agreed_confidentiality,
    )
    with transaction.atomic():
        save_record(ctx, attendance, detail={"meeting": meeting.pk, "present": present})
    return attendance


def end_meeting(ctx: AccessContext, meeting: Meeting, *, expected_version: int) -> Meeting:
    """End the meeting (held): every case on the agenda heard or deferred first."""
    with gate.changing(ctx, Meeting, meeting.pk, expected_version, detail={"ended": True}) as change:
        current = change.record
        current.end(still_listed=current.items.filter(outcome=AgendaItem.Outcome.LISTED).count())
        change.save()
    return _as_changed(meeting, change.record)


# Each case --------------------------------------------------------------------------------------------------


def share_information(
    ctx: AccessContext,
    item: AgendaItem,
    *,
    agency,
    content: str,
    is_opinion: bool = False,
    withheld: str = "",
    restricted_from=(),
) -> SharedInformation:
    """What one agency shared about the case; items restricted from agencies are never shown to them."""
    meeting = item.meeting
    require_in_progress(meeting)
    content = _required(content, "content", "what the agency shared")
    members = set(meeting.forum.member_agencies.values_list("pk", flat=True))
    if agency.pk not in members:
        raise ValidationError({"agency": "Choose one of the forum's member agencies."})
    restricted = list(restricted_from)
    if any(a.pk not in members for a in restricted):
        raise ValidationError({"restricted_from": "Restrict only from the forum's member agencies."})
    if any(a.pk == agency.pk for a in restricted):
        raise ValidationError({"restricted_from": "The agency that shared the item cannot be restricted from it."})
    shared = SharedInformation(
        item=item,
        agency=agency,
        content=content,
        is_opinion=is_opinion,
        withheld=(withheld or "").strip(),
        recorded_by=ctx.user,
    )
    with transaction.atomic():
        save_record(ctx, shared, detail={"item": item.pk, "restricted_from": [a.pk for a in restricted]})
        shared.restricted_from.set(restricted)
    return shared


def _nominal_for(item: AgendaItem) -> Nominal | None:
    if item.nominal_id:
        return Nominal.objects.select_related("local_area", "offender_manager", "person").get(pk=item.nominal_id)
    return (
        Nominal.objects.filter(person_id=item.person_id, status=Nominal.Status.ACTIVE)
        .select_related("local_area", "offender_manager", "person")
        .order_by("-management_level", "pk")
        .first()
    )


def _may_change_nominal(ctx: AccessContext, nominal: Nominal, field: str, what: str) -> None:
    if not gate.decide(ctx.user, Operation.CHANGE, nominal).allowed:
        raise ValidationError(
            {
                field: f"You may not change this nominal, so cannot record {what} on it: the forum's coordinator "
                "or the nominal's offender manager records it."
            }
        )


def _decision(ctx: AccessContext, item: AgendaItem, text: str, rationale: str, dissent: str, dissent_agency):
    dissent = (dissent or "").strip()
    if dissent_agency is not None and not dissent:
        raise ValidationError({"dissent": "Enter the dissenting view of the agency chosen."})
    decision = Decision(
        item=item,
        text=text,
        rationale=rationale,
        dissent=dissent,
        dissent_agency=dissent_agency,
        recorded_by=ctx.user,
    )
    save_record(ctx, decision, detail={"item": item.pk, "dissent": bool(dissent)})
    return decision


def agree_levels(
    ctx: AccessContext,
    item: AgendaItem,
    *,
    risk_level: str,
    management_level: int | None = None,
    rationale: str,
    dissent: str = "",
    dissent_agency=None,
    expected_version: int,
) -> Decision:
    """The risk level agreed (and at MAPPA the management level, applied to the nominal), as a decision."""
    meeting = item.meeting
    forum = meeting.forum
    require_in_progress(meeting)
    levels = dict(risk_levels_for(forum))
    if risk_level not in levels:
        raise ValidationError({"risk_level": "Choose the risk level agreed."})
    rationale = _required(rationale, "rationale", "the rationale", MIN_TEXT)
    mappa = forum.kind in MAPPA_KINDS
    nominal = None
    text = f"Risk level agreed: {levels[risk_level]}"
    if mappa:
        if management_level not in MANAGEMENT_LEVELS:
            raise ValidationError({"management_level": "Choose the MAPPA management level agreed: 1, 2 or 3."})
        nominal = _nominal_for(item)
        if nominal is None:
            raise ValidationError(
                {"management_level": "This person has no active nominal: open one before a level is agreed."}
            )
        current = nominal.management_level
        text += f". MAPPA management level agreed: Level {management_level}" + (
            " (unchanged)" if current == management_level else f" (was Level {current})"
        )
        if current != management_level:
            _may_change_nominal(ctx, nominal, "management_level", "the level")
    item.risk_level_agreed = risk_level
    item.management_level_agreed = management_level if mappa else None
    if nominal is not None:
        item.nominal = nominal
    with transaction.atomic():
        save_record(ctx, item, expected_version=expected_version, detail={"levels_agreed": True})
        decision = _decision(ctx, item, text + ".", rationale, dissent, dissent_agency)
        if nominal is not None and nominal.management_level != management_level:
            version = nominal.version
            nominal.management_level = management_level
            offender_services.change_nominal(
                ctx,
                nominal,
                expected_version=version,
                reason=f"{meeting.forum.name}, {_day(_meeting_day(meeting))}: {text}. {rationale}",
            )
    return decision


def record_decision(
    ctx: AccessContext, item: AgendaItem, *, text: str, rationale: str, dissent: str = "", dissent_agency=None
) -> Decision:
    """A decision on the case with its rationale, and any dissenting view with the agency that holds it."""
    require_in_progress(item.meeting)
    text = _required(text, "text", "the decision")
    rationale = _required(rationale, "rationale", "the rationale", MIN_TEXT)
    with transaction.atomic():
        return _decision(ctx, item, text, rationale, dissent, dissent_agency)


def create_action(
    ctx: AccessContext,
    item: AgendaItem,
    *,
    description: str,
    owner_agency,
    due_on: dt.date,
    owner=None,
    rationale: str = "",
    plan: RiskManagementPlan | None = None,
    tactic: str = "",
) -> Action:
    """A timed action from the meeting: an owner agency (and person, where known) and a due date; at a MATAC,
    the tactic it is part of (``actions.tactics``: required there, empty at every other forum).

    Completion, reminders and chasing belong to the actions part; this only creates the action.
    """
    meeting = item.meeting
    forum = meeting.forum
    require_in_progress(meeting)
    description = _required(description, "description", "the action")
    rationale = (rationale or "").strip()
    if forum.kind in MAPPA_KINDS and len(rationale) < MIN_TEXT:
        raise ValidationError({"rationale": f"Enter the rationale for the action (at least {MIN_TEXT} characters)."})
    tactic = tactics.checked_tactic(forum.kind, tactic)
    if owner_agency is None or not forum.member_agencies.filter(pk=owner_agency.pk).exists():
        raise ValidationError({"owner_agency": "Choose the owner agency from the forum's member agencies."})
    if owner is not None and (owner.agency_id != owner_agency.pk or not owner.is_active):
        raise ValidationError({"owner": "Choose someone from the owner agency, or leave the owner empty."})
    if due_on is None or due_on < _meeting_day(meeting):
        raise ValidationError({"due_on": "The due date must be on or after the day of the meeting."})
    if plan is not None and plan.agenda_item_id != item.pk:
        raise ValidationError({"plan": "Link only the plan saved for this case at this meeting."})
    action = Action(
        forum=forum,
        forum_case_id=item.forum_case_id,
        person_id=item.person_id,
        agenda_item=item,
        plan=plan,
        description=description,
        rationale=rationale,
        tactic=tactic,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=ctx.user,
    )
    with transaction.atomic():
        save_record(ctx, action, detail={"item": item.pk, "owner_agency": owner_agency.pk})
    return action


def latest_review_allowed(item: AgendaItem, level: int | None) -> dt.date | None:
    """The last day the next Level 2 or 3 review may be on, from this meeting (None: no limit)."""
    if level not in (2, 3):
        return None
    settings = AreaSettings.for_area(item.meeting.forum.area_id).mappa_settings()
    return mappa_rules.review_due(level, _meeting_day(item.meeting), settings).due


def record_outcome(
    ctx: AccessContext,
    item: AgendaItem,
    *,
    outcome: str,
    next_review_on: dt.date | None = None,
    summary: str = "",
    expected_version: int,
) -> AgendaItem:
    """The case heard (with the next review date, if the panel set one) or deferred (with the reason)."""
    meeting = item.meeting
    require_in_progress(meeting)
    if outcome not in (AgendaItem.Outcome.HEARD, AgendaItem.Outcome.DEFERRED):
        raise ValidationError({"outcome": "Choose heard or deferred."})
    summary = (summary or "").strip()
    day = _meeting_day(meeting)
    if outcome == AgendaItem.Outcome.DEFERRED:
        summary = _required(summary, "summary", "why the case is deferred", MIN_TEXT)
        next_review_on = None
    mappa = meeting.forum.kind in MAPPA_KINDS
    nominal = _nominal_for(item) if mappa else None
    if next_review_on is not None:
        if next_review_on <= day:
            raise ValidationError({"next_review_on": "The next review must be after the day of the meeting."})
        level = item.management_level_agreed or (nominal.management_level if nominal else None)
        latest = latest_review_allowed(item, level)
        if latest is not None and next_review_on > latest:
            raise ValidationError(
                {
                    "next_review_on": f"A Level {level} case is reviewed at least every so often: the next review "
                    f"must be on or before {_day(latest)} (the area's interval from this meeting)."
                }
            )
    review_nominal = (
        nominal is not None
        and outcome == AgendaItem.Outcome.HEARD
        and (nominal.last_reviewed_on is None or nominal.last_reviewed_on < day)
    )
    if review_nominal:
        _may_change_nominal(ctx, nominal, "outcome", "the review")
    item.outcome = outcome
    item.next_review_on = next_review_on
    item.summary = summary
    if nominal is not None:
        item.nominal = nominal
    with transaction.atomic():
        save_record(ctx, item, expected_version=expected_version, detail={"outcome": outcome})
        if review_nominal:
            version = nominal.version
            nominal.last_reviewed_on = day
            offender_services.change_nominal(
                ctx,
                nominal,
                expected_version=version,
                reason=f"Reviewed at {meeting.forum.name} on {_day(day)}",
            )
    return item
