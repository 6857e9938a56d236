"""My work's hook for interventions, release pathways and peer feedback: one function the home page calls, its
sections drawn by ``pathways/my_work.html``. Each section is the user's own (their caseload, the meetings they
chaired) and short; the records shown are audited as one list event each."""

from __future__ import annotations

import datetime as dt

from safeguard.access import gate
from safeguard.access.policy import CASE_ROLES
from safeguard.audit.models import Operation
from safeguard.workforce.policies import may_manage_places

from .models import InterventionReferral, PathwayItem, PeerObservation
from .services import interventions, observations, release

SHOWN = 50


def my_work_context(ctx, user, today: dt.date) -> dict:
    steps = list(gate.scoped(user, interventions.steps_due(user, today))[:SHOWN])
    gaps = list(gate.scoped(user, release.my_gaps(user, today))[:SHOWN])
    shared = list(gate.scoped(user, observations.for_chair(user))[:SHOWN])
    for model, records, page in (
        (InterventionReferral, steps, "my work: intervention steps"),
        (PathwayItem, gaps, "my work: release gaps"),
        (PeerObservation, shared, "my work: peer feedback"),
    ):
        if records:
            gate.audit_list(ctx, Operation.VIEW, model, [r.pk for r in records], {"page": page})
    return {
        "pathway_steps": steps,
        "release_gaps": gaps,
        "shared_observations": shared,
        "may_see_releases": bool(gate.policy.roles_of(user) & CASE_ROLES),
        "may_run_cpd": bool(may_manage_places(user, user.mappa_area_id)),
        "may_see_pathway_figures": bool(gate.policy.may_view_workforce_figures(user, user.mappa_area_id)),
    }
