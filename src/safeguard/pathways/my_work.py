"""My work's hook for interventions, release pathways and peer feedback: one function the home page calls, its
sections drawn by ``pathways/my_work.html``. Each section is the user's own (their caseload, the meetings they
chaired) and short; the records shown are audited as one list event each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import QuerySet

from safeguard.access import gate
from safeguard.access.policy import CASE_ROLES
from safeguard.audit.models import Operation
from safeguard.workforce.policies import may_manage_places

from .models import InterventionReferral, PathwayItem, PeerObservation
from .services import interventions, observations, release

SHOWN = 50
SECTIONS = ("pathway_steps", "release_gaps", "shared_observations")


def candidates(user, today: dt.date, steps_due_by: dt.date | None = None) -> dict[str, QuerySet]:
    """Each section's records before the gate narrows them (the user's own: their caseload's, the meetings they
    chaired). My work asks in one query which of them have any (web.my_work.present); ``steps_due_by``: the last
    day of the steps listed as due, when the caller has worked it out (``interventions.steps_due_by``)."""
    return {
        "pathway_steps": interventions.steps_due(user, today, due_by=steps_due_by),
        "release_gaps": release.my_gaps(user, today),
        "shared_observations": observations.for_chair(user),
    }


def my_work_context(ctx, user, today: dt.date, having: Mapping[str, QuerySet] | None = None) -> dict:
    """Each section: the gate's scope of its candidates, the first ``SHOWN``. ``having``: the candidates that
    have records, as my work found them (None: all of them); a section not in it has nothing the gate could
    show, so its scoped query is not built."""
    having = candidates(user, today) if having is None else having
    shown = {name: list(gate.scoped(user, having[name])[:SHOWN]) if name in having else [] for name in SECTIONS}
    steps, gaps, shared = shown["pathway_steps"], shown["release_gaps"], shown["shared_observations"]
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
