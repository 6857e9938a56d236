"""The system member of staff: who background work acts as, in every database (made by a data migration).

No roles, no agency, no usable password, not active: it cannot sign in and the gate allows it no record; its
work is audited through ``gate.audit_system``.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from safeguard.workforce.models import Staff

SYSTEM_USERNAME = "system"


def system_staff() -> Staff:
    """The system member of staff (made again, as the migration makes it, if a database was emptied)."""
    user, _ = Staff.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={
            "first_name": "System",
            "last_name": "Process",
            "roles": [],
            "password": make_password(None),
            "is_active": False,
        },
    )
    return user
