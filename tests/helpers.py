"""Builders the tests of several apps share: the test world's users by name, an access context, an offence,
an incident, and the checks of an audit event and of a page's error summary.

Records the world fixture lacks are built on demand (get_or_create: safe to call more than once per test).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.audit.models import AuditEvent
from safeguard.events.models import Incident, IncidentPerson, IncidentRole, Offence

# The members of staff of the test world (tests/conftest.py), by name: everyone, everyone who can sign in,
# and everyone who holds a role.
EVERY_SIGNED_IN = (
    "om",
    "om2",
    "coordinator",
    "supervisor",
    "chair",
    "marac",
    "idva",
    "partner",
    "analyst",
    "admin",
    "away_om",
    "norole",
)
EVERY_USER = (*EVERY_SIGNED_IN, "inactive")
WITH_A_ROLE = tuple(name for name in EVERY_SIGNED_IN if name != "norole")

ASSAULT = "TEST-CJA1988-s39"
ABH = "TEST-OAPA1861-s47"


def ctx_for(user, purpose: str = "forum") -> AccessContext:
    """The access context of a service call made by ``user`` for ``purpose``."""
    return AccessContext(user=user, purpose=purpose)


def offence(code: str = ASSAULT, **defaults) -> Offence:
    found, _ = Offence.objects.get_or_create(
        code=code,
        defaults={
            "description": f"Test offence {code}",
            "statute": "A fictional statute",
            "domestic_abuse_related": True,
            "cja_schedule_15": code == ABH,
            **defaults,
        },
    )
    return found


def incident(
    world,
    reference: str = "TEST-INC-0001",
    *,
    days_ago: int = 10,
    domestic_abuse: bool = True,
    offence_code: str | None = ASSAULT,
    **fields,
) -> Incident:
    """An incident in Northtown: the offender as perpetrator, the victim as victim."""
    found, created = Incident.objects.get_or_create(
        reference=reference,
        defaults={
            "occurred_at": timezone.now() - dt.timedelta(days=days_ago),
            "local_area": world.home["local"][0],
            "domestic_abuse": domestic_abuse,
            "offence": offence(offence_code) if offence_code else None,
            "recorded_by": world.police,
            **fields,
        },
    )
    if created:
        IncidentPerson.objects.create(incident=found, person=world.people.offender, role=IncidentRole.PERPETRATOR)
        IncidentPerson.objects.create(incident=found, person=world.people.victim, role=IncidentRole.VICTIM)
    return found


def audited(user, record_type: str, record_id=None, operation: str = "change", outcome: str = "allowed") -> bool:
    """Whether ``user`` left an audit event of this operation and outcome on the record (on any record of
    the type when ``record_id`` is None)."""
    events = AuditEvent.objects.filter(actor_id=user.pk, record_type=record_type, operation=operation, outcome=outcome)
    if record_id is not None:
        events = events.filter(record_id=record_id)
    return events.exists()


def error_page(response, message: str) -> str:
    """The page shown again with the error summary and ``message`` (a form refused), as text."""
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    return page
