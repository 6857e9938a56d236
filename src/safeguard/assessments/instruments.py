"""Loading the instrument definitions shipped in ``safeguard.rules`` into the database.

A definition already loaded is never overwritten (assessments point at it);
a new edition is added and becomes the current one for its code. An area
that holds a licensed version (for example ARMS with the manual's factor
names) loads it as a new edition in Django admin.
"""

from __future__ import annotations

from django.db import transaction

from safeguard.rules import arms, dara, dash, rm2000  # noqa: F401  (each registers its definitions)
from safeguard.rules.instruments import DEFINITIONS


def sync_instruments(using: str = "default") -> int:
    from .models import InstrumentVersion

    added = 0
    with transaction.atomic(using=using):
        for (code, edition), definition in DEFINITIONS.items():
            _, created = InstrumentVersion.objects.using(using).get_or_create(
                code=code,
                edition=edition,
                defaults={
                    "name": definition["name"],
                    "source": definition["source"][:300],
                    "status": definition["status"],
                    "definition": definition,
                },
            )
            if created:
                added += 1
                InstrumentVersion.objects.using(using).filter(code=code).exclude(edition=edition).update(current=False)
    return added
