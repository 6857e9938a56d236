"""Use cases for events: recording and changing incidents (with their people) and convictions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation

from .models import Conviction, Incident, IncidentPerson, IncidentRole, Notification


def _person_changed(person_id: int) -> None:
    from safeguard.offenders.recalculate import person_changed

    person_changed(person_id)


def _consider_right_to_know(ctx: AccessContext, people_ids: list[int]) -> None:
    """A perpetrator and a victim of a domestic-abuse incident: either may be someone under management."""
    from safeguard.actions.right_to_know import consider_pair

    consider_pair(ctx, *people_ids)


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
        for person, role in people:
            if role == IncidentRole.PERPETRATOR:
                _person_changed(person.pk)
        if incident.domestic_abuse:
            _consider_right_to_know(ctx, [p.pk for p, r in people if r == IncidentRole.PERPETRATOR])
    return incident


def record_conviction(ctx: AccessContext, conviction: Conviction) -> Conviction:
    """Schedule flags default from the offence list unless the recorder set them."""
    if conviction.offence_id and not (conviction.soa_schedule_3 or conviction.cja_schedule_15):
        conviction.soa_schedule_3 = conviction.offence.soa_schedule_3
        conviction.cja_schedule_15 = conviction.offence.cja_schedule_15
    with transaction.atomic():
        save_record(ctx, conviction)
        _person_changed(conviction.person_id)
    return conviction


def change_conviction(ctx: AccessContext, conviction: Conviction, *, expected_version: int | None = None) -> Conviction:
    """The schedule flags stay as the recorder set them (a change may clear one the offence list suggested)."""
    with transaction.atomic():
        save_record(ctx, conviction, expected_version=expected_version)
        _person_changed(conviction.person_id)
    return conviction


def change_incident(ctx: AccessContext, incident: Incident, *, expected_version: int | None = None) -> Incident:
    """The incident's own details; the people in it change through the two functions below.

    The gate is asked twice: may the user change the incident as it was, and as it would be (a move to an
    area outside their own is bad input on `local_area`, not a way to hand the incident to another area).
    """
    with transaction.atomic():
        gate.check(ctx, Operation.CHANGE, Incident.objects.select_related("local_area").get(pk=incident.pk))
        if incident.local_area_id and not gate.decide(ctx.user, Operation.CHANGE, incident).allowed:
            raise ValidationError({"local_area": "Choose a local authority area in your own MAPPA area"})
        return save_record(ctx, incident, expected_version=expected_version)


def add_person_to_incident(ctx: AccessContext, link: IncidentPerson) -> IncidentPerson:
    """One more person (with a role) in a recorded incident: the user must be able to record on them too."""
    with transaction.atomic():
        gate.check(ctx, Operation.CHANGE, link.incident)
        gate.check(ctx, Operation.CHANGE, link.person)
        if IncidentPerson.objects.filter(incident=link.incident, person=link.person, role=link.role).exists():
            raise ValidationError({"role": "This person already has this role in the incident"})
        save_record(ctx, link)
        gate.audit_allowed(
            ctx, Operation.CHANGE, link.incident, "person added", {"people_added": [[link.person_id, link.role]]}
        )
        if link.role == IncidentRole.PERPETRATOR:
            _person_changed(link.person_id)
        if link.incident.domestic_abuse and link.role in (IncidentRole.PERPETRATOR, IncidentRole.VICTIM):
            perpetrators = link.incident.people.filter(role=IncidentRole.PERPETRATOR).values_list(
                "person_id", flat=True
            )
            _consider_right_to_know(ctx, sorted(set(perpetrators)))
    return link


def remove_person_from_incident(ctx: AccessContext, link: IncidentPerson) -> None:
    """Take one person-role link off an incident. An incident keeps at least one person.

    The incident is locked and audited (its people change); the rule decided is the link's own."""
    links = IncidentPerson.objects.select_related("incident__local_area", "person")
    with gate.changing(ctx, Incident, link.incident_id, on=lambda incident: links.get(pk=link.pk)) as change:
        if change.record.people.count() <= 1:
            raise ValidationError({"people": "An incident must have at least one person: add another before removing"})
        current = change.decided
        change.detail["people_removed"] = [[current.person_id, current.role]]
        current.delete()


def record_notification(ctx: AccessContext, notification: Notification) -> Notification:
    """A notification made at a police station: the next one due is worked out again at once.

    A child in the household (2012 Regulations) also tells the offender manager and any linked MARAC or triage
    coordinator on their "my work", in the same transaction.
    """
    from safeguard.offenders.child_notices import raise_child_in_household

    with transaction.atomic():
        save_record(ctx, notification)
        _person_changed(notification.person_id)
        raise_child_in_household(ctx, notification)
    return notification
