"""Making a referral: one function per kind, each saving a draft in one transaction through the gate.

A draft is the referrer's until it is submitted (``moves.submit_referral``).
While one referral of a kind waits for a forum's decision (draft, submitted,
in screening), a second one for the same person to the same forum is refused:
it would be screened twice. Once decided, a new referral may be made (a MARAC
repeat is exactly that).

- MAPPA (old MAPPA A): the category (the record's supported category is
  shown, ``rules.mappa``), the level sought (2 or 3), the reason and a risk
  summary; the forum is the area's Level 2 or Level 3 forum for the level
  sought (the one covering the nominal's local area).
- MARAC (SafeLives referral form): from a DASH, the criteria are worked out
  with ``rules.marac`` using the MARAC's own settings and the records (DA
  events in its escalation window, the last MARAC referral, whether the
  incident was a crime); by hand, the referrer chooses the criteria (visible
  high risk needs a DASH count of 14 or more, professional judgement needs a
  written reason, as ``rules.marac`` asks whenever judgement is recorded) and
  the rule's working on the records is kept beside the choice.
- MATAC: a nomination from the RFG ranking (a serial perpetrator on the
  records) or a partner referral, both scored with ``rules.rfg`` on the
  person's records and the area's RFG settings; the score and its working are
  kept.
- IOM: a selection into a cohort (fixed, flex or free) with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.assessments import rfg_ranking
from safeguard.assessments.models import Assessment
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.offenders.models import MappaCategory, Nominal
from safeguard.people.models import Person
from safeguard.rules import marac, rfg
from safeguard.rules import referrals as rules
from safeguard.rules.working import RuleInputError, Step

from ..models import Referral
from . import facts, repeat

CHOOSABLE_CRITERIA = (marac.VISIBLE_HIGH_RISK, marac.PROFESSIONAL_JUDGEMENT, marac.POTENTIAL_ESCALATION)
SOURCE_SAFEGUARD = "Safeguard's reading (the guidance is silent)"


def _save_draft(ctx: AccessContext, referral: Referral, perpetrators: Sequence[Person] = ()) -> Referral:
    """Check the forum, refuse a second undecided referral, pass the gate, save and audit."""
    forum = referral.forum
    if forum.kind not in facts.FORUM_KINDS_FOR_REFERRAL[referral.kind]:
        raise ValidationError({"forum": f"Choose a forum that hears {referral.get_kind_display()}s"})
    if forum.area_id != facts.mappa_area_id_of(referral.person):
        raise ValidationError({"forum": "Choose a forum of the person's MAPPA area"})
    referral.referred_by = ctx.user
    referral.referring_agency_id = getattr(ctx.user, "agency_id", None)
    with transaction.atomic():
        decision = gate.check(ctx, Operation.CREATE, referral)
        waiting = facts.undecided_referral(referral.kind, referral.person, forum)
        if waiting is not None:
            raise ValidationError(
                {"__all__": f"Referral {waiting.pk} of this person to {forum.name} is still waiting for a decision"}
            )
        referral.full_clean(exclude=["perpetrators", "victim_aware", "victim_consents"])  # null until answered
        referral.save()
        if perpetrators:
            referral.perpetrators.set(perpetrators)
        gate.audit_allowed(ctx, Operation.CREATE, referral, decision.reason, {"kind": referral.kind})
    return referral


# MAPPA ----------------------------------------------------------------------------


def create_mappa_referral(
    ctx: AccessContext,
    *,
    person: Person,
    level_sought: int,
    mappa_category: str,
    reason: str,
    risk_summary: str,
    nominal: Nominal | None = None,
) -> Referral:
    """A referral to MAPPA Level 2 or 3 management (a draft)."""
    errors = {}
    if level_sought not in rules.MAPPA_LEVELS:
        errors["level_sought"] = "Choose the level the referral seeks: 2 or 3"
    if mappa_category not in MappaCategory.values:
        errors["mappa_category"] = "Choose the MAPPA category"
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the referral"
    if not (risk_summary or "").strip():
        errors["risk_summary"] = "Give a summary of the risk"
    if errors:
        raise ValidationError(errors)
    nominal = nominal or facts.active_nominal(person)
    kind = facts.MAPPA_FORUM_FOR_LEVEL[level_sought]
    forum = facts.forum_for(kind, facts.mappa_area_id_of(person), nominal.local_area_id if nominal else None)
    if forum is None:
        raise ValidationError(
            {"level_sought": f"The area has no {Forum.Kind(kind).label} forum: ask an administrator to set one up"}
        )
    referral = Referral(
        kind=Referral.Kind.MAPPA,
        forum=forum,
        person=person,
        nominal=nominal,
        mappa_category=mappa_category,
        level_sought=level_sought,
        reason=reason.strip(),
        risk_summary=risk_summary.strip(),
    )
    return _save_draft(ctx, referral)


# MARAC ----------------------------------------------------------------------------


@dataclass
class MaracDetails:
    """The SafeLives referral form's answers (the victim is the referral's person)."""

    incident_date: dt.date
    perpetrators: list[Person] = field(default_factory=list)
    victim_aware: bool | None = None
    victim_consents: bool | None = None
    no_consent_reason: str = ""
    children: list[dict] = field(default_factory=list)
    feared: str = ""
    safe_contact: str = ""
    reason: str = ""
    risk_summary: str = ""
    # By hand only (from a DASH these come from the DASH):
    criteria: list[str] = field(default_factory=list)
    dash_yes_count: int | None = None
    professional_judgement_reason: str = ""


@dataclass(frozen=True)
class CriteriaFinding:
    criteria: list[str]
    working: list[dict]
    professional_judgement_reason: str


def _steps(steps) -> list[dict]:
    return [step.as_dict() for step in steps]


def _rule_error(exc: RuleInputError, field_map: dict | None = None) -> ValidationError:
    return ValidationError({(field_map or {}).get(exc.field, exc.field): exc.message})


def criteria_from_dash(person: Person, forum: Forum, dash: Assessment, incident_date: dt.date) -> CriteriaFinding:
    """The MARAC criteria a DASH meets, worked out again with this MARAC's settings and today's records."""
    if dash.instrument.code not in ("dash", "dash-yp"):
        raise ValidationError({"dash": "A MARAC referral can start only from a DASH"})
    settings = forum.marac_settings()
    yes_count = int(dash.result.get("yes_count", 0))
    judged = bool(dash.answers.get("professional_judgement"))
    try:
        finding = marac.marac_criteria(
            yes_count=yes_count,
            professional_judgement=judged,
            reason=dash.answers.get("reason", ""),
            events_in_window=facts.events_in_window(person, incident_date, settings),
            last_marac_referral=repeat.last_referral_date(person, incident_date),
            incident_date=incident_date,
            incident_is_crime=facts.incident_is_crime(person, incident_date, dash.incident),
            settings=settings,
            dash_settings=forum.dash_settings(),
            definition=dash.instrument.definition,
        )
    except RuleInputError as exc:
        raise _rule_error(exc) from exc
    first = Step(
        f"From the DASH of {dash.assessed_on.isoformat()} ({yes_count} yes): the criteria worked out with "
        f"{forum.name}'s settings and the records on {timezone.localdate().isoformat()}",
        marac.SOURCE,
    )
    return CriteriaFinding(
        list(finding.criteria), _steps((first, *finding.working)), dash.answers.get("reason", "") if judged else ""
    )


def criteria_by_hand(person: Person, forum: Forum, details: MaracDetails) -> CriteriaFinding:
    """The criteria the referrer chose, checked; the rule's working on the records is kept beside them."""
    settings = forum.marac_settings()
    chosen = [c for c in CHOOSABLE_CRITERIA if c in set(details.criteria)]
    unknown = set(details.criteria) - set(CHOOSABLE_CRITERIA)
    errors = {}
    if unknown:
        errors["criteria"] = "Choose from visible high risk, professional judgement and potential escalation"
    count = details.dash_yes_count
    threshold = settings.visible_high_risk_from
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        errors["dash_yes_count"] = "Enter the number of yes answers on the DASH as a whole number, 0 or more"
        count = None
    if marac.VISIBLE_HIGH_RISK in chosen and (count is None or count < threshold):
        errors["dash_yes_count"] = (
            f"Visible high risk needs a DASH with {threshold} or more yes answers: enter the count, "
            "or choose another criterion"
        )
    judged = marac.PROFESSIONAL_JUDGEMENT in chosen
    reason = details.professional_judgement_reason.strip()
    if judged and not reason:
        errors["professional_judgement_reason"] = (
            "Give the reason for your professional judgement that the risk is high"
        )
    if errors:
        raise ValidationError(errors)
    events = facts.events_in_window(person, details.incident_date, settings)
    try:
        finding = marac.marac_criteria(
            yes_count=count or 0,
            professional_judgement=judged,
            reason=reason,
            events_in_window=events,
            last_marac_referral=repeat.last_referral_date(person, details.incident_date),
            incident_date=details.incident_date,
            incident_is_crime=facts.incident_is_crime(person, details.incident_date),
            settings=settings,
            dash_settings=forum.dash_settings(),
        )
    except RuleInputError as exc:
        raise _rule_error(exc, {"reason": "professional_judgement_reason"}) from exc
    labels = ", ".join(marac.CRITERION_LABELS[c].lower() for c in chosen) or "none"
    steps = [Step(f"Criteria chosen by the referrer: {labels}", f"{marac.SOURCE} (any one criterion)")]
    if count is None:
        steps.append(Step("No DASH count given: counted as 0 yes in the working below", SOURCE_SAFEGUARD))
    criteria = list(finding.criteria)
    if marac.POTENTIAL_ESCALATION in chosen and marac.POTENTIAL_ESCALATION not in criteria:
        steps.append(
            Step(
                f"Potential escalation stated by the referrer (events known to another agency); Safeguard's records "
                f"show {events} in the window",
                f"{marac.SOURCE}: potential escalation (known to any agency)",
            )
        )
        criteria.append(marac.POTENTIAL_ESCALATION)
    criteria = [c for c in marac.CRITERIA if c in set(criteria) | set(chosen)]
    if not criteria:
        raise ValidationError(
            {"criteria": "Choose the criteria the case meets: the records show no repeat of an earlier MARAC referral"}
        )
    return CriteriaFinding(criteria, _steps((*steps, *finding.working)), reason if judged else "")


def _check_marac_details(person: Person, details: MaracDetails) -> None:
    errors = {}
    today = timezone.localdate()
    if not isinstance(details.incident_date, dt.date):
        errors["incident_date"] = "Enter the date of the incident behind the referral"
    elif details.incident_date > today:
        errors["incident_date"] = "The incident date must be today or in the past"
    if any(p.pk == person.pk for p in details.perpetrators):
        errors["perpetrators"] = "The victim cannot also be named as a perpetrator"
    if details.victim_aware is None:
        errors["victim_aware"] = "Say whether the victim is aware of the referral"
    if details.victim_consents is None:
        errors["victim_consents"] = "Say whether the victim consents to the referral"
    if (details.victim_aware is False or details.victim_consents is False) and not details.no_consent_reason.strip():
        errors["no_consent_reason"] = "Say why the victim is not aware or does not consent"
    for n, child in enumerate(details.children, start=1):
        born = child.get("date_of_birth")
        if born and dt.date.fromisoformat(born) > today:
            errors["children"] = f"Child {n}: the date of birth must be today or in the past"
    if errors:
        raise ValidationError(errors)


def create_marac_referral(
    ctx: AccessContext, *, person: Person, forum: Forum, details: MaracDetails, dash: Assessment | None = None
) -> Referral:
    """A MARAC referral of a victim (a draft): from a DASH (criteria worked out) or by hand (criteria chosen)."""
    _check_marac_details(person, details)
    if dash is not None and dash.person_id != person.pk:
        raise ValidationError({"dash": "The DASH is about someone else"})
    if forum.kind != Forum.Kind.MARAC:
        raise ValidationError({"forum": "Choose a MARAC"})
    found = (
        criteria_from_dash(person, forum, dash, details.incident_date)
        if dash is not None
        else criteria_by_hand(person, forum, details)
    )
    for perpetrator in details.perpetrators:
        if not gate.decide(ctx.user, Operation.VIEW, perpetrator).allowed:
            raise ValidationError({"perpetrators": "Name only perpetrators whose records you may see"})
    referral = Referral(
        kind=Referral.Kind.MARAC,
        forum=forum,
        person=person,
        dash=dash,
        criteria_met=found.criteria,
        criteria_working=found.working,
        professional_judgement_reason=found.professional_judgement_reason,
        victim_aware=details.victim_aware,
        victim_consents=details.victim_consents,
        no_consent_reason=details.no_consent_reason.strip(),
        children=list(details.children),
        feared=details.feared.strip(),
        safe_contact=details.safe_contact.strip(),
        reason=details.reason.strip(),
        risk_summary=details.risk_summary.strip(),
        incident_date=details.incident_date,
    )
    return _save_draft(ctx, referral, details.perpetrators)


# MATAC -----------------------------------------------------------------------------


def _score(person: Person, forum: Forum, as_of: dt.date) -> rfg.RfgScore:
    try:
        return rfg_ranking.score_person(person.pk, as_of, facts.rfg_settings(forum))
    except RuleInputError as exc:
        raise _rule_error(exc) from exc


def _rfg_working(score: rfg.RfgScore, as_of: dt.date) -> list[dict]:
    head = Step(
        f"RFG {score.total} on {as_of.isoformat()}: recency {score.recency}, frequency {score.frequency}, "
        f"gravity {score.gravity}, victims {score.victims}",
        rfg.SOURCE_RFG,
    )
    return _steps((head, *score.working))


def nominate_for_matac(
    ctx: AccessContext, *, person: Person, forum: Forum, reason: str = "", as_of: dt.date | None = None
) -> Referral:
    """A nomination from the force's RFG ranking (a draft): only a serial perpetrator on the records is ranked."""
    as_of = as_of or timezone.localdate()
    score = _score(person, forum, as_of)
    if not score.serial_perpetrator:
        raise ValidationError(
            {
                "__all__": "The records do not show a serial perpetrator, so the ranking does not list them: "
                "use a partner referral, which is scored the same way"
            }
        )
    referral = Referral(
        kind=Referral.Kind.MATAC,
        forum=forum,
        person=person,
        matac_source=Referral.MatacSource.RANKING,
        rfg_score=score.total,
        rfg_working=_rfg_working(score, as_of),
        reason=(reason or "Nominated from the RFG ranking").strip(),
    )
    return _save_draft(ctx, referral)


def refer_to_matac(ctx: AccessContext, *, person: Person, forum: Forum, reason: str) -> Referral:
    """A partner's referral to MATAC (a draft), scored against the same RFG as the ranking."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for the referral"})
    as_of = timezone.localdate()
    score = _score(person, forum, as_of)
    referral = Referral(
        kind=Referral.Kind.MATAC,
        forum=forum,
        person=person,
        matac_source=Referral.MatacSource.PARTNER,
        rfg_score=score.total,
        rfg_working=_rfg_working(score, as_of),
        reason=reason.strip(),
    )
    return _save_draft(ctx, referral)


# IOM ---------------------------------------------------------------------------------


def select_for_iom(
    ctx: AccessContext, *, person: Person, forum: Forum, cohort: str, reason: str, nominal: Nominal | None = None
) -> Referral:
    """A selection into an IOM cohort (a draft): fixed, flex or free, with the reason."""
    errors = {}
    if cohort not in Referral.IomCohort.values:
        errors["iom_cohort"] = "Choose the IOM cohort: fixed, flex or free"
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the selection"
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        kind=Referral.Kind.IOM,
        forum=forum,
        person=person,
        nominal=nominal or facts.active_nominal(person),
        iom_cohort=cohort,
        reason=reason.strip(),
    )
    return _save_draft(ctx, referral)
