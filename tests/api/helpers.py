"""Records the world fixture lacks, built on demand (get_or_create: safe to call more than once per test)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.events.models import Incident, IncidentPerson, IncidentRole, Offence

ASSAULT = "TEST-CJA1988-s39"
ABH = "TEST-OAPA1861-s47"


def offence(code: str = ASSAULT) -> Offence:
    found, _ = Offence.objects.get_or_create(
        code=code,
        defaults={
            "description": f"Test offence {code}",
            "statute": "A fictional statute",
            "domestic_abuse_related": True,
            "cja_schedule_15": code == ABH,
        },
    )
    return found


def incident(world, reference: str = "TEST-INC-0001", *, days_ago: int = 10, domestic_abuse: bool = True) -> Incident:
    """An incident in Northtown: the offender as perpetrator, the victim as victim."""
    found, created = Incident.objects.get_or_create(
        reference=reference,
        defaults={
            "occurred_at": timezone.now() - dt.timedelta(days=days_ago),
            "local_area": world.home["local"][0],
            "domestic_abuse": domestic_abuse,
            "offence": offence(),
            "recorded_by": world.police,
        },
    )
    if created:
        IncidentPerson.objects.create(incident=found, person=world.people.offender, role=IncidentRole.PERPETRATOR)
        IncidentPerson.objects.create(incident=found, person=world.people.victim, role=IncidentRole.VICTIM)
    return found
