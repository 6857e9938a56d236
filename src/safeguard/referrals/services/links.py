"""Reciprocal links between forums: a MARAC case's perpetrator who is a MAPPA nominal, and the reverse.

When a MARAC referral is accepted, each perpetrator of its victim who has an
active nominal links the MARAC case to the nominal's MAPPA case; when a MAPPA
referral is accepted (or :func:`link_nominal` is called for a nominal), each
victim of the nominal with an open MARAC case links the other way. A MATAC
subject who is a nominal is linked too. Each forum's coordinators and the
nominal's offender manager are told, with the reasons, by a "linked case"
prompt. Running it again changes nothing: one link per pair of cases (either
way round) and one open prompt per person told.

Who is whose victim (Safeguard's definition; no guidance defines it). A
person is the nominal's victim, and the nominal their perpetrator, when the
records show any of:
- an incident (``events.IncidentPerson``) with the nominal's person recorded as
  suspect or perpetrator and the other recorded as victim, whatever the
  offence (a sexual or violent offender's victim heard at MARAC counts, not
  only domestic-abuse incidents);
- a relationship between the two (``people.Relationship``, either way round)
  flagged domestic abuse: the flag says abuse passed between them, and the one
  heard at MARAC is the victim there;
- a MARAC referral of the other (not withdrawn or declined) naming the
  nominal's person as a perpetrator.
A relationship without the domestic-abuse flag (a parent, a neighbour) is not
enough on its own.

Which MAPPA case: the nominal's open case on a MAPPA Level 2 or 3 forum of its
area, else one opened on the forum for its level (the one covering its local
area). A nominal managed at Level 1 has no MAPPA forum case, so no link can be
made: its offender manager and the area's MAPPA coordinators are still told,
since the other forum's information may bear on the level.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.actions.models import Prompt
from safeguard.actions.prompts import raise_prompt
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase
from safeguard.offenders.models import Nominal
from safeguard.people.models import Person, Relationship

from ..models import CaseLink, Referral
from . import facts
from .cases import open_forum_case

GONE = (Referral.Status.WITHDRAWN, Referral.Status.DECLINED)


@dataclass
class Harm:
    """Why the records say one person harmed another: each reason a line a coordinator can check."""

    reasons: list[str] = field(default_factory=list)


def _harms(*, perpetrator: Person | None = None, victim: Person | None = None) -> dict[tuple[int, int], Harm]:
    """(perpetrator id, victim id) -> the reasons, for one perpetrator's victims or one victim's perpetrators."""
    found: dict[tuple[int, int], Harm] = {}

    def add(perp_id: int, victim_id: int, reason: str) -> None:
        if perp_id != victim_id:
            found.setdefault((perp_id, victim_id), Harm()).reasons.append(reason)

    links = IncidentPerson.objects.filter(role=IncidentRole.PERPETRATOR)
    links = (
        links.filter(person=perpetrator)
        if perpetrator
        else links.filter(incident__people__person=victim, incident__people__role=IncidentRole.VICTIM)
    )
    perp_rows = list(links.values_list("incident_id", "person_id", "incident__reference"))
    incident_ids = {row[0] for row in perp_rows}
    victims = IncidentPerson.objects.filter(incident_id__in=incident_ids, role=IncidentRole.VICTIM)
    if victim is not None:
        victims = victims.filter(person=victim)
    victims_by_incident: dict[int, set[int]] = {}
    for incident_id, victim_id in victims.values_list("incident_id", "person_id"):
        victims_by_incident.setdefault(incident_id, set()).add(victim_id)
    for incident_id, perp_id, reference in perp_rows:
        for victim_id in victims_by_incident.get(incident_id, ()):
            add(perp_id, victim_id, f"recorded as suspect or perpetrator against the victim on incident {reference}")

    one = perpetrator or victim
    for person_id, other_id in Relationship.objects.filter(
        Q(person=one) | Q(other=one), domestic_abuse=True
    ).values_list("person_id", "other_id"):
        a, b = (person_id, other_id) if person_id == one.pk else (other_id, person_id)
        pair = (a, b) if perpetrator else (b, a)
        add(*pair, "a relationship between them is recorded as domestic abuse")

    named = Referral.objects.filter(kind=Referral.Kind.MARAC).exclude(status__in=GONE)
    if perpetrator is not None:
        rows = named.filter(perpetrators=perpetrator).values_list("person_id", "pk")
        for victim_id, referral_id in rows:
            add(perpetrator.pk, victim_id, f"named as a perpetrator on MARAC referral {referral_id}")
    else:
        rows = named.filter(person=victim).values_list("perpetrators", "pk")
        for perp_id, referral_id in rows:
            if perp_id is not None:
                add(perp_id, victim.pk, f"named as a perpetrator on MARAC referral {referral_id}")
    return found


def mappa_case(ctx: AccessContext, nominal: Nominal) -> ForumCase | None:
    """The nominal's MAPPA Level 2/3 forum case, opened if its level's forum has none; None at Level 1."""
    existing = (
        ForumCase.objects.filter(person=nominal.person, closed_on=None, forum__kind__in=facts.MAPPA_FORUM_KINDS)
        .select_related("forum")
        .order_by("pk")
    )
    level_kind = facts.MAPPA_FORUM_FOR_LEVEL.get(nominal.management_level)
    if level_kind is None:
        return None
    cases = list(existing)
    for case in cases:
        if case.forum.kind == level_kind:
            return case
    if cases:
        return cases[0]
    local = nominal.local_area
    forum = facts.forum_for(level_kind, local.parent_id or local.pk, local.pk)
    if forum is None:
        return None
    case, _ = open_forum_case(ctx, forum, nominal.person)
    return case


def _link(ctx: AccessContext, from_case: ForumCase, to_case: ForumCase, reason: str) -> tuple[CaseLink, bool]:
    existing = CaseLink.objects.filter(
        Q(from_case=from_case, to_case=to_case) | Q(from_case=to_case, to_case=from_case)
    ).first()
    if existing is not None:
        return existing, False
    link = CaseLink(from_case=from_case, to_case=to_case, reason=reason)
    decision = gate.check(ctx, Operation.CREATE, link)
    link.save()
    gate.audit_allowed(ctx, Operation.CREATE, link, decision.reason, {"reason": reason})
    return link, True


def _tell(ctx: AccessContext, staff, person: Person, reasons: list[str], link, nominal=None) -> None:
    """A linked-case prompt for each member of staff; an open one keeps its reasons and gains the new ones."""
    seen = set()
    for member in staff:
        if member is None or member.pk in seen or not member.is_active:
            continue
        seen.add(member.pk)
        open_prompt = Prompt.objects.filter(
            kind=Prompt.Kind.LINKED_CASE, assigned_to=member, person=person, closed_on=None
        ).first()
        merged = list(open_prompt.reasons) if open_prompt else []
        merged += [reason for reason in reasons if reason not in merged]
        raise_prompt(
            ctx,
            kind=Prompt.Kind.LINKED_CASE,
            assigned_to=member,
            person=person,
            reasons=merged,
            nominal=nominal,
            link=link,
        )


def _connect(
    ctx: AccessContext,
    *,
    marac_case: ForumCase,
    nominal: Nominal,
    harm: Harm,
    reason: str,
    from_mappa: ForumCase | None = None,
) -> None:
    """Link a MARAC case with a nominal's MAPPA case, and tell both sides.

    The link runs from the case of the forum whose decision made it (the MARAC
    case, or ``from_mappa`` when a MAPPA referral was accepted), so that the
    gate asks the coordinator who made that decision.
    """
    other = from_mappa or mappa_case(ctx, nominal)
    link = None
    if other is not None and other.pk != marac_case.pk:
        pair = (other, marac_case) if from_mappa is not None else (marac_case, other)
        link, _ = _link(ctx, *pair, reason)
    victim = marac_case.person
    reasons = [
        f"{marac_case.forum.name} holds a case for {victim.full_name} (opened {marac_case.opened_on:%-d %B %Y})",
        f"{nominal.person.full_name} is nominal {nominal.reference}, managed at Level {nominal.management_level}",
        f"The records show the nominal as a perpetrator against {victim.full_name}: {'; '.join(harm.reasons)}",
    ]
    if other is None:
        reasons.append("No MAPPA Level 2 or 3 forum holds the nominal's case, so no link was made: consider the level")
        mappa_staff = facts.area_mappa_coordinators(nominal.local_area.parent_id or nominal.local_area_id)
    else:
        reasons.append(f"Linked with the {other.forum.name} case")
        mappa_staff = facts.coordinators_of(other.forum)
    _tell(ctx, facts.coordinators_of(marac_case.forum), victim, reasons, link, nominal=nominal)
    _tell(ctx, [*mappa_staff, nominal.offender_manager], nominal.person, reasons, link, nominal=nominal)


def _nominals(person_ids) -> list[Nominal]:
    return list(
        Nominal.objects.filter(person_id__in=list(person_ids), status=Nominal.Status.ACTIVE)
        .select_related("person", "local_area", "offender_manager")
        .order_by("pk")
    )


def link_marac_case(ctx: AccessContext, case: ForumCase) -> None:
    """A MARAC case: link it with the MAPPA case of each of the victim's perpetrators who is a nominal."""
    harms = _harms(victim=case.person)
    for nominal in _nominals({perp for perp, _victim in harms}):
        harm = harms[(nominal.person_id, case.person_id)]
        _connect(ctx, marac_case=case, nominal=nominal, harm=harm, reason=CaseLink.Reason.MARAC_PERPETRATOR_IS_NOMINAL)


def link_nominal(ctx: AccessContext, nominal: Nominal, mappa: ForumCase | None = None) -> None:
    """A nominal: link its MAPPA case (``mappa``, else found or opened) with each of its victims' open MARAC cases."""
    nominal = Nominal.objects.select_related("person", "local_area", "offender_manager").get(pk=nominal.pk)
    harms = _harms(perpetrator=nominal.person)
    mappa = mappa or mappa_case(ctx, nominal)
    victims = {victim for _perp, victim in harms}
    cases = (
        ForumCase.objects.filter(person_id__in=victims, closed_on=None, forum__kind=Forum.Kind.MARAC)
        .select_related("forum", "person")
        .order_by("pk")
    )
    for case in cases:
        harm = harms[(nominal.person_id, case.person_id)]
        _connect(
            ctx,
            marac_case=case,
            nominal=nominal,
            harm=harm,
            reason=CaseLink.Reason.NOMINAL_VICTIM_AT_MARAC,
            from_mappa=mappa,
        )


def link_matac_case(ctx: AccessContext, case: ForumCase) -> None:
    """A MATAC case: the subject's own nominal, if any, is linked (the subject is the perpetrator)."""
    for nominal in _nominals([case.person_id]):
        other = mappa_case(ctx, nominal)
        nominal_line = f"The MATAC subject is nominal {nominal.reference}, managed at Level {nominal.management_level}"
        forum_line = f"{case.forum.name} holds a case for {case.person.full_name}"
        link = None
        if other is not None:
            link, _ = _link(ctx, case, other, CaseLink.Reason.MATAC_SUBJECT_IS_NOMINAL)
            mappa_staff = facts.coordinators_of(other.forum)
            reasons = [forum_line, nominal_line, f"Linked with the {other.forum.name} case"]
        else:
            mappa_staff = facts.area_mappa_coordinators(nominal.local_area.parent_id or nominal.local_area_id)
            reasons = [
                forum_line,
                nominal_line,
                "No MAPPA Level 2 or 3 forum holds the nominal's case: consider the level",
            ]
        _tell(
            ctx,
            [*facts.coordinators_of(case.forum), *mappa_staff, nominal.offender_manager],
            case.person,
            reasons,
            link,
            nominal,
        )


def after_acceptance(ctx: AccessContext, referral: Referral) -> None:
    """The reciprocal links an accepted referral brings."""
    if referral.kind == Referral.Kind.MARAC and referral.forum_case is not None:
        link_marac_case(ctx, referral.forum_case)
    elif referral.kind == Referral.Kind.MAPPA and referral.nominal is not None:
        link_nominal(ctx, referral.nominal, mappa=referral.forum_case)
    elif referral.kind == Referral.Kind.MATAC and referral.forum_case is not None:
        link_matac_case(ctx, referral.forum_case)


def links_of(case: ForumCase | None) -> list[CaseLink]:
    if case is None:
        return []
    return list(
        CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case))
        .select_related("from_case__forum", "from_case__person", "to_case__forum", "to_case__person")
        .order_by("created_at", "pk")
    )
