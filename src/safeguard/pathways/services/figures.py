"""The area's take-up and outcome figures (counts only, never a name): ``rules.pathway_figures`` over the
referrals and the release-day outcomes of the area's nominals, one query each."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from safeguard.rules import pathway_figures as rule

from ..models import InterventionReferral, PathwayItem, ReleasePlan


def _in_area(area_id: int, prefix: str) -> Q:
    return Q(**{f"{prefix}local_area__parent_id": area_id}) | Q(**{f"{prefix}local_area_id": area_id})


def area_figures(area_id: int) -> dict:
    referrals = InterventionReferral.objects.filter(_in_area(area_id, "nominal__")).values_list(
        "programme__name", "programme__provider", "status"
    )
    released = ReleasePlan.Outcome.RELEASED, ReleasePlan.Outcome.RELEASED_EARLY
    items = PathwayItem.objects.filter(_in_area(area_id, "plan__nominal__"), plan__outcome__in=released).values_list(
        "plan_id", "pathway", "in_place_on_day"
    )
    by_plan: dict[int, dict[str, bool | None]] = defaultdict(dict)
    for plan_id, pathway, in_place in items:
        by_plan[plan_id][pathway] = in_place
    return {
        "programmes": rule.programme_figures(referrals),
        "release": rule.release_figures(by_plan.values()),
        "minimum": rule.DEFAULTS["minimum_count"].value,
    }
