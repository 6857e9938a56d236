"""Moving a referral through its states: one function per move, each one transaction through the gate.

The states and what each move needs are the pure rule
``safeguard.rules.referrals`` (``transition()``): no move happens that the
rule refuses, and each one keeps a ``ReferralTransition`` (from, to, who,
when, why) and an audit event in the same transaction. A stale version is
refused, as everywhere (access.services.save_record).

Who may make each move (access.policy): the referrer submits and withdraws
(``may_refer``: the referrer, or the forum's coordinator); the forum's
coordinator screens, accepts, declines, lists and de-lists
(``may_decide_referral``). The gate dispatches ``may_refer`` for
``Operation.CREATE`` only, so a referrer's move is checked as CREATE and
audited as the CHANGE it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.meetings.services.minutes.invitations import meeting_title
from safeguard.offenders import services as offender_services
from safeguard.offenders.models import ManagementLevel, MappaCategory, Nominal
from safeguard.rules import marac
from safeguard.rules import referrals as rules
from safeguard.rules.working import RuleInputError

from ..models import Referral, ReferralTransition
from . import facts, links, repeat
from .cases import open_forum_case

S = Referral.Status


def _rule_error(exc: RuleInputError) -> ValidationError:
    return ValidationError({exc.field: exc.message})


def _move(
    ctx: AccessContext,
    referral: Referral,
    to_status: str,
    *,
    rationale: str = "",
    level_set: int | None = None,
    expected_version: int | None = None,
    by_referrer: bool = False,
    prepare: Callable[[Referral, object], dict | None] | None = None,
) -> Referral:
    """One move, inside the caller's transaction: lock, gate, rule, save, transition, audit. Returns the fresh row."""
    operation = Operation.CREATE if by_referrer else Operation.CHANGE
    with gate.changing(
        ctx,
        Referral,
        referral.pk,
        expected_version,
        operation=operation,
        related=("forum", "person"),
        audited_as=Operation.CHANGE,
    ) as change:
        current = change.record
        try:
            move = rules.transition(
                current.status, to_status, rationale=rationale, kind=current.kind, level_set=level_set
            )
        except RuleInputError as exc:
            raise _rule_error(exc) from exc
        now = timezone.now()
        from_status = current.status
        current.status = to_status
        current.status_since = now
        change.detail |= {"from": from_status, "to": to_status, "working": [step.text for step in move.working]}
        if prepare is not None:
            change.detail |= prepare(current, now) or {}
        change.save()
        transition = ReferralTransition.objects.create(
            referral=current,
            from_status=from_status,
            to_status=to_status,
            by=ctx.user,
            at=now,
            rationale=rationale.strip(),
        )
        change.detail["transition"] = transition.pk
    return current


# Submitting ---------------------------------------------------------------------


def _check_complete(referral: Referral) -> None:
    """What a referral must say before it goes to the forum (the forms ask for it; the API may not)."""
    errors: dict[str, str] = {}
    if referral.kind == Referral.Kind.MAPPA:
        if referral.level_sought not in rules.MAPPA_LEVELS:
            errors["level_sought"] = "Choose the level the referral seeks: 2 or 3"
        if not referral.reason.strip():
            errors["reason"] = "Give the reason for the referral"
        if not referral.risk_summary.strip():
            errors["risk_summary"] = "Give a summary of the risk"
    elif referral.kind == Referral.Kind.MARAC:
        if referral.incident_date is None:
            errors["incident_date"] = "Enter the date of the incident behind the referral"
        if referral.victim_aware is None:
            errors["victim_aware"] = "Say whether the victim is aware of the referral"
        if referral.victim_consents is None:
            errors["victim_consents"] = "Say whether the victim consents to the referral"
        if (referral.victim_aware is False or referral.victim_consents is False) and not (
            referral.no_consent_reason.strip()
        ):
            errors["no_consent_reason"] = "Say why the victim is not aware or does not consent"
    elif referral.kind == Referral.Kind.IOM and not referral.iom_cohort:
        errors["iom_cohort"] = "Choose the IOM cohort"
    elif referral.kind == Referral.Kind.MATAC and referral.rfg_score is None:
        errors["rfg_score"] = "Score the perpetrator against the RFG before submitting"
    if errors:
        raise ValidationError(errors)


def _apply_repeat(referral: Referral) -> dict:
    """Repeat detection on submission: flag it, name the referral it repeats, and add or remove the criterion."""
    found = repeat.find_repeat(referral)
    referral.is_repeat = found.is_repeat
    referral.repeat_of = found.repeat_of
    criteria = [c for c in referral.criteria_met if c != marac.REPEAT]
    if found.is_repeat:
        criteria.append(marac.REPEAT)
    referral.criteria_met = criteria
    working = [w for w in referral.criteria_working if not w.get("repeat_check")]
    working += [step.as_dict() | {"repeat_check": True} for step in found.working]
    referral.criteria_working = working
    if not criteria:
        raise ValidationError(
            {
                "criteria_met": "No MARAC referral criterion is met and this is not a repeat: withdraw the draft and "
                "make a new referral choosing the criteria the case meets"
            }
        )
    return {"repeat": found.is_repeat, "repeat_of": found.repeat_of.pk if found.repeat_of else None}


def submit_referral(ctx: AccessContext, referral: Referral, *, expected_version: int | None = None) -> Referral:
    """The referrer sends the draft to the forum; a MARAC referral is checked for a repeat."""

    def prepare(current: Referral, now) -> dict:
        _check_complete(current)
        current.submitted_at = now
        return _apply_repeat(current) if current.kind == Referral.Kind.MARAC else {}

    with transaction.atomic():
        return _move(ctx, referral, S.SUBMITTED, expected_version=expected_version, by_referrer=True, prepare=prepare)


def start_screening(ctx: AccessContext, referral: Referral, *, expected_version: int | None = None) -> Referral:
    """The coordinator starts screening a submitted referral."""
    with transaction.atomic():
        return _move(ctx, referral, S.SCREENING, expected_version=expected_version)


# Deciding -------------------------------------------------------------------------


def _decided(ctx: AccessContext, rationale: str):
    def prepare(current: Referral, now) -> dict:
        current.decided_at = now
        current.decided_by = ctx.user
        current.decision_rationale = rationale.strip()
        return {}

    return prepare


def _set_mappa_level(
    ctx: AccessContext, referral: Referral, rationale: str, local_area=None, lead_agency=None
) -> Nominal:
    """Set the level on the person's nominal (change_nominal, the rationale as its reason), or open one."""
    nominal = referral.nominal if referral.nominal_id else facts.active_nominal(referral.person)
    level = referral.level_set
    if nominal is None:
        errors = {}
        if local_area is None:
            errors["local_area"] = "This person has no nominal: choose the local area where it will be managed"
        if lead_agency is None:
            errors["lead_agency"] = "This person has no nominal: choose its lead agency (police, probation or a prison)"
        if errors:
            raise ValidationError(errors)
        category = referral.mappa_category if referral.mappa_category in MappaCategory.values else "tbd"
        nominal = Nominal(
            person=referral.person,
            mappa_category=category,
            management_level=level,
            local_area=local_area,
            lead_agency=lead_agency,
        )
        if not gate.decide(ctx.user, Operation.CREATE, nominal).allowed:
            raise ValidationError({"local_area": "You may not open a nominal in this area: choose one of your area's"})
        return offender_services.open_nominal(ctx, nominal)
    nominal = Nominal.objects.select_related("person", "local_area", "offender_manager").get(pk=nominal.pk)
    if nominal.management_level == level:
        return nominal
    if not gate.decide(ctx.user, Operation.CHANGE, nominal).allowed:
        raise ValidationError(
            {
                "level_set": "You may not change this nominal's level: its offender manager or the area's "
                "MAPPA coordinator can"
            }
        )
    expected = nominal.version
    nominal.management_level = ManagementLevel(level)
    offender_services.change_nominal(ctx, nominal, expected_version=expected, reason=rationale.strip())
    return nominal


def accept_referral(
    ctx: AccessContext,
    referral: Referral,
    *,
    rationale: str,
    level_set: int | None = None,
    local_area=None,
    lead_agency=None,
    expected_version: int | None = None,
) -> Referral:
    """The coordinator accepts: the forum opens (or keeps) a case for the person, and the links follow.

    MAPPA: the coordinator sets the level (2 or 3, which may differ from the
    level sought; the referral moves to the area's forum for that level where
    there is one), the nominal's management level is set through
    ``offenders.services.change_nominal`` with the screening rationale as its
    reason, and a nominal is opened (``local_area``, ``lead_agency``) when the
    person has none.
    """
    level = int(level_set) if level_set not in (None, "") else None

    def prepare(current: Referral, now) -> dict:
        _decided(ctx, rationale)(current, now)
        detail = {}
        if current.kind == Referral.Kind.MAPPA:
            current.level_set = level
            kind = facts.MAPPA_FORUM_FOR_LEVEL[level]
            if current.forum.kind != kind:
                local_id = current.nominal.local_area_id if current.nominal_id else None
                moved = facts.forum_for(kind, current.forum.area_id, local_id)
                if moved is not None:
                    detail["moved_from_forum"] = current.forum_id
                    current.forum = moved
        return detail

    with transaction.atomic():
        accepted = _move(
            ctx,
            referral,
            S.ACCEPTED,
            rationale=rationale,
            level_set=level,
            expected_version=expected_version,
            prepare=prepare,
        )
        case, _ = open_forum_case(ctx, accepted.forum, accepted.person)
        accepted.forum_case = case
        if accepted.kind == Referral.Kind.MAPPA:
            accepted.nominal = _set_mappa_level(ctx, accepted, rationale, local_area, lead_agency)
        accepted.save(update_fields=["forum_case", "nominal"])
        links.after_acceptance(ctx, accepted)
    return accepted


def decline_referral(
    ctx: AccessContext, referral: Referral, *, rationale: str, expected_version: int | None = None
) -> Referral:
    """The coordinator declines, with the reason; final (a new referral is made instead)."""
    with transaction.atomic():
        return _move(
            ctx,
            referral,
            S.DECLINED,
            rationale=rationale,
            expected_version=expected_version,
            prepare=_decided(ctx, rationale),
        )


def withdraw_referral(
    ctx: AccessContext, referral: Referral, *, rationale: str, expected_version: int | None = None
) -> Referral:
    """The referrer (or the coordinator) withdraws, with the reason; final."""
    with transaction.atomic():
        return _move(
            ctx, referral, S.WITHDRAWN, rationale=rationale, expected_version=expected_version, by_referrer=True
        )


# Meetings ------------------------------------------------------------------------


def list_referral(ctx: AccessContext, referral: Referral, meeting, *, expected_version: int | None = None) -> Referral:
    """An accepted referral is listed on one of its forum's meetings (the meetings' agenda calls this).

    Sets the status and records the move; the agenda item itself is the
    caller's. Refused for a meeting of another forum, or one held or cancelled.
    """
    from safeguard.meetings.models import Meeting

    fresh = Referral.objects.select_related("forum").get(pk=referral.pk)
    if meeting.forum_id != fresh.forum_id:
        raise ValidationError({"meeting": "Choose a meeting of the forum the referral was accepted by"})
    if meeting.status not in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS):
        raise ValidationError({"meeting": "Choose a meeting that has not yet been held or cancelled"})
    when = timezone.localtime(meeting.starts_at)

    def prepare(current: Referral, now) -> dict:
        return {"meeting": meeting.pk}

    with transaction.atomic():
        return _move(
            ctx,
            referral,
            S.LISTED,
            rationale=f"Listed for the {meeting_title(fresh.forum.name)} on {when.day} {when:%B %Y}",
            expected_version=expected_version,
            prepare=prepare,
        )


def delist_referral(
    ctx: AccessContext, referral: Referral, *, rationale: str, expected_version: int | None = None
) -> Referral:
    """Taken off a meeting's agenda before it is heard, with the reason: accepted again."""
    with transaction.atomic():
        return _move(ctx, referral, S.ACCEPTED, rationale=rationale, expected_version=expected_version)


# IOM --------------------------------------------------------------------------------


def deselect_from_iom(
    ctx: AccessContext, referral: Referral, *, reason: str, expected_version: int | None = None
) -> Referral:
    """De-select a person from the IOM cohort, with the reason: the selection is withdrawn and the case closed.

    A selection listed for a panel is first taken off its agenda (both moves
    are recorded). The forum case closes unless another accepted selection
    still holds it.
    """
    if referral.kind != Referral.Kind.IOM:
        raise ValidationError({"__all__": "Only an IOM cohort selection can be de-selected"})
    today = timezone.localdate()
    with transaction.atomic():
        current = referral
        if Referral.objects.get(pk=referral.pk).status == S.LISTED:
            current = _move(
                ctx,
                current,
                S.ACCEPTED,
                rationale=f"Taken off the agenda to de-select from the IOM cohort: {reason.strip()}",
                expected_version=expected_version,
            )
            expected_version = current.version
        fresh = Referral.objects.get(pk=referral.pk)
        if fresh.status != S.ACCEPTED:
            raise ValidationError({"__all__": "Only a person selected into the cohort (accepted) can be de-selected"})

        def prepare(row: Referral, now) -> dict:
            row.deselected_on = today
            row.deselection_reason = reason.strip()
            return {"deselected": True}

        current = _move(ctx, current, S.WITHDRAWN, rationale=reason, expected_version=expected_version, prepare=prepare)
        case = current.forum_case
        if case is not None and case.closed_on is None:
            still = Referral.objects.filter(forum_case=case, status__in=[S.ACCEPTED, S.LISTED]).exists()
            if not still:
                case.closed_on = today
                case.save(update_fields=["closed_on"])
                gate.audit_allowed(ctx, Operation.CHANGE, case, "forum case closed on de-selection", {"closed": True})
    return current
