"""Who may see and record a nominal's orders, breaches and outcomes (access.registry).

Each is part of the nominal's record: read as the nominal is read, recorded by those who may change the
nominal (its offender manager, the area's MAPPA coordinator, the team's supervisor). A breach is part of its
order.
"""

from __future__ import annotations

from safeguard.access.registry import PartOf, register
from safeguard.offenders.models import Nominal

from .models import Order, OrderBreach, Outcome

register(
    {
        Order: PartOf(Nominal, "nominal"),
        OrderBreach: PartOf(Order, "order"),
        Outcome: PartOf(Nominal, "nominal"),
    }
)
