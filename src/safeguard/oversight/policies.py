"""Who may see and record a person's protected characteristics (access.registry): part of the person's record,
read as the person is read, recorded by those who may change the person. Who may read a snapshot of an area's
figures (``FigureSnapshotPolicy``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import Decision
from safeguard.access.registry import NOBODY, PartOf, Policy, register
from safeguard.people.models import Person

from .access import DASHBOARD_ROLES, may_view_area_figures
from .models import FigureSnapshot, ProtectedCharacteristics

register({ProtectedCharacteristics: PartOf(Person, "person")})


class FigureSnapshotPolicy(Policy):
    """A snapshot of an area's published figures: read by whoever may see the area's PCC dashboard (analysts of
    the area, ``services.dashboard.ROLES``), the rule and its filter side by side. Nobody creates or changes one
    through the gate: the month-end job writes it as the system (``gate.audit_system``), once."""

    def _area(self, user: Any) -> int | None:
        return user.mappa_area_id if may_view_area_figures(user, DASHBOARD_ROLES) else None

    def may_read(self, user: Any, record: FigureSnapshot) -> Decision:
        area = self._area(user)
        if area is not None and record.area_id == area:
            return Decision(True, "aggregate figures of the area")
        return Decision(False, "no access to the area's figures")

    def readable(self, user: Any) -> Q:
        area = self._area(user)
        return NOBODY if area is None else Q(area_id=area)

    def may_change(self, user: Any, record: FigureSnapshot) -> Decision:
        return Decision(False, "a snapshot is written once, by the system, and never changed")

    def changeable(self, user: Any) -> Q:
        return NOBODY


register({FigureSnapshot: FigureSnapshotPolicy()})
