"""Who may see an area's oversight figures (counts only, never a name), and the audit of each look.

The MAPPA annual tables: the Office of the PCC (analysts), supervisors, MAPPA coordinators and chairs of the
area (``access.policy.AGGREGATE_ROLES``, as the monthly pack). Each view (VIEW) and download (EXPORT) writes
one audit event against the MAPPA area through ``gate.audit_aggregate``; a refusal is the one 404.
"""

from __future__ import annotations

from typing import Any

from safeguard.access import gate
from safeguard.access.policy import AGGREGATE_ROLES, Decision, roles_of
from safeguard.workforce.models import Role

# The PCC dashboard, and the snapshots of its figures, are for those who see no names: the area's analysts.
DASHBOARD_ROLES = frozenset({Role.ANALYST})


def may_view_area_figures(user: Any, roles: frozenset[str] = AGGREGATE_ROLES) -> Decision:
    if roles_of(user) & roles and user.agency_id and user.mappa_area_id:
        return Decision(True, "aggregate figures of the area")
    return Decision(False, "no access to the area's figures")


def allowed_area(ctx: gate.AccessContext, operation: str, record_type: str, roles=AGGREGATE_ROLES) -> tuple[int, str]:
    """The user's MAPPA area and the reason, or a refusal (404, audited)."""
    user = ctx.user
    decision = may_view_area_figures(user, roles)
    area_id = user.mappa_area_id if getattr(user, "agency_id", None) else None
    if not decision.allowed or area_id is None:
        raise gate.AccessRefused(ctx, operation, record_type, area_id, decision.reason)
    return area_id, decision.reason
