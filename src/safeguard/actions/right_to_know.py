"""The Right to Know prompt: a person under management is linked to a new intimate partner.

When a MAPPA nominal, a MATAC nominal or a MARAC case's perpetrator is linked to a new intimate partner (a
recorded relationship, a domestic-abuse incident together, or a merge of records that brings one), their
offender manager and the coordinators of the forums holding them get "consider a Clare's Law Right to Know
disclosure" on their work, with the evidence. The rule is ``rules.new_partner``; this module gathers its facts
and raises the prompts, once per person and partner (a unique rule on the prompt holds it). The disclosure
itself is the disclosure scheme's own record.

Who is told (the guidance names no one; these are the people managing the person):
- the offender manager of each active nominal (MAPPA);
- the coordinators of each forum with an open case for the person (MAPPA Level 2 or 3, MATAC), and of the
  MARAC forum of an accepted or listed MARAC referral naming the person as a perpetrator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase
from safeguard.offenders.models import Nominal
from safeguard.people.models import Relationship
from safeguard.referrals.models import Referral
from safeguard.rules import new_partner as rule

from .models import Prompt

MANAGING_FORUMS = (Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MAPPA_LEVEL_3, Forum.Kind.MATAC)
MARAC_LIVE = (Referral.Status.ACCEPTED, Referral.Status.LISTED)


@dataclass
class Management:
    """How a person is managed now: since when (the earliest), by whom, and the nominal if any."""

    since: dt.date | None = None
    assignees: set[int] = field(default_factory=set)
    nominal_id: int | None = None
    labels: list[str] = field(default_factory=list)

    def add(self, since: dt.date, label: str, assignees: Iterable[int]) -> None:
        self.since = since if self.since is None else min(self.since, since)
        self.assignees |= set(assignees)
        self.labels.append(label)


def _coordinators(forum: Forum) -> list[int]:
    from safeguard.referrals.services.facts import coordinators_of

    return [s.pk for s in coordinators_of(forum)]


def management_of(person_id: int) -> Management:
    found = Management()
    nominals = Nominal.objects.filter(person_id=person_id, status=Nominal.Status.ACTIVE).order_by("pk")
    for nominal in nominals.select_related("offender_manager"):
        om = nominal.offender_manager
        found.add(nominal.managed_from, "MAPPA nominal", [om.pk] if om and om.is_active else [])
        found.nominal_id = found.nominal_id or nominal.pk
    cases = ForumCase.objects.filter(person_id=person_id, closed_on=None, forum__kind__in=MANAGING_FORUMS)
    for case in cases.select_related("forum").order_by("pk"):
        found.add(case.opened_on, f"{case.forum.get_kind_display()} case", _coordinators(case.forum))
    referrals = Referral.objects.filter(kind=Referral.Kind.MARAC, perpetrators=person_id, status__in=MARAC_LIVE)
    for referral in referrals.select_related("forum").order_by("pk"):
        since = timezone.localdate(referral.decided_at) if referral.decided_at else referral.created_at.date()
        found.add(since, "perpetrator on a MARAC case", _coordinators(referral.forum))
    return found


def pair_facts(person_id: int) -> list[rule.PairFact]:
    """Every recorded relationship of the person (either side) and every domestic-abuse incident where they are
    the perpetrator and another a victim."""
    facts = []
    relationships = Relationship.objects.filter(Q(person_id=person_id) | Q(other_id=person_id)).order_by("pk")
    for r in relationships:
        recorded = r.history.order_by("history_date").values_list("history_date", flat=True).first()
        seen = timezone.localdate(recorded) if recorded else timezone.localdate()
        other = r.other_id if r.person_id == person_id else r.person_id
        facts.append(rule.PairFact(other, rule.Source.RELATIONSHIP, seen, r.kind, r.former, r.from_date))
    as_perpetrator = IncidentPerson.objects.filter(
        person_id=person_id, role=IncidentRole.PERPETRATOR, incident__domestic_abuse=True
    ).values("incident_id")
    victims = IncidentPerson.objects.filter(incident_id__in=as_perpetrator, role=IncidentRole.VICTIM).exclude(
        person_id=person_id
    )
    for other, occurred in victims.values_list("person_id", "incident__occurred_at").order_by("pk"):
        facts.append(rule.PairFact(other, rule.Source.INCIDENT, timezone.localdate(occurred)))
    return facts


def consider(ctx: AccessContext, person_id: int) -> list[Prompt]:
    """Raise the prompts the person's facts call for now; returns the prompts raised (none already raised)."""
    managed = management_of(person_id)
    if managed.since is None or not managed.assignees:
        return []
    prompted = Prompt.objects.filter(kind=Prompt.Kind.RIGHT_TO_KNOW, person_id=person_id)
    done = set(prompted.values_list("partner_id", flat=True))
    raised = []
    for verdict in rule.new_partners(managed.since, pair_facts(person_id), done):
        reasons = [f"Managed as: {', '.join(sorted(set(managed.labels)))}", *verdict.reasons]
        for staff_id in sorted(managed.assignees):
            prompt = Prompt.objects.create(
                kind=Prompt.Kind.RIGHT_TO_KNOW,
                assigned_to_id=staff_id,
                person_id=person_id,
                partner_id=verdict.other_id,
                nominal_id=managed.nominal_id,
                reasons=reasons,
                raised_on=timezone.localdate(),
            )
            gate.audit_allowed(ctx, Operation.CREATE, prompt, "prompt raised", {"kind": prompt.kind, "for": staff_id})
            raised.append(prompt)
    return raised


def consider_pair(ctx: AccessContext, *person_ids: int) -> list[Prompt]:
    """Both sides of a new link: either may be the one under management."""
    raised = []
    for person_id in dict.fromkeys(person_ids):
        raised += consider(ctx, person_id)
    return raised


def consider_around(ctx: AccessContext, person_id: int) -> list[Prompt]:
    """After a merge: the kept record, and everyone now linked to it (the kept record may be the partner)."""
    others = {f.other_id for f in pair_facts(person_id)}
    perpetrators = IncidentPerson.objects.filter(
        role=IncidentRole.PERPETRATOR,
        incident__domestic_abuse=True,
        incident__people__person_id=person_id,
        incident__people__role=IncidentRole.VICTIM,
    ).values_list("person_id", flat=True)
    return consider_pair(ctx, person_id, *sorted(others | set(perpetrators)))
