"""Use cases for events: recording incidents and convictions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation

from .models import Conviction, Incident, IncidentPerson


def record_incident(ctx: AccessContext, incident: Incident, people: list[tuple[object, str]]) -> Incident:
    """An incident with the people in it, all or nothing. `people` is [(person, role)]."""
    if not people:
        raise ValidationError({"people": "Add at least one person to the incident."})
    with transaction.atomic():
        save_record(ctx, incident)
        for person, role in people:
            link = IncidentPerson(incident=incident, person=person, role=role)
            link.full_clean()
            gate.check(ctx, Operation.CHANGE, person)
            link.save()
        gate.audit_allowed(ctx, Operation.CHANGE, incident, "people added", {"people": [[p.pk, r] for p, r in people]})
    return incident


def add_person_to_incident(ctx: AccessContext, link: IncidentPerson) -> IncidentPerson:
    return save_record(ctx, link)


def record_conviction(ctx: AccessContext, conviction: Conviction) -> Conviction:
    """Schedule flags default from the offence list unless the recorder set them."""
    if conviction.offence_id and not (conviction.soa_schedule_3 or conviction.cja_schedule_15):
        conviction.soa_schedule_3 = conviction.offence.soa_schedule_3
        conviction.cja_schedule_15 = conviction.offence.cja_schedule_15
    return save_record(ctx, conviction)
