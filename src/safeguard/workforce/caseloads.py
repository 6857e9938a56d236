"""Caseload figures from the nominals: ``rules.workload`` applied to what the database holds.

One grouped query gives, for each offender manager, how many active nominals
they hold by location, RoSH and MAPPA level; the rules turn those into the
measures (cases against the ratio, high-risk share against the cap, weighted
units, community against custody) with their working. The caseload pages, the
monthly snapshots, the performance pack and allocation all count from here.

Decisions Safeguard had to make:
- A nominal in hospital (detained under a hospital order) counts as custody:
  the rules know community, custody and Approved Premises, and a detained
  patient is not managed in the community. Safeguard's reading.
- Only active nominals count (status active); a nominal waiting for allocation
  counts for nobody.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from safeguard.offenders.models import Location, Nominal
from safeguard.rules.workload import (
    APPROVED_PREMISES,
    COMMUNITY,
    CUSTODY,
    CaseFacts,
    CaseloadMeasure,
    CaseloadSettings,
    caseload_measure,
)

RULE_LOCATION = {
    Location.COMMUNITY: COMMUNITY,
    Location.APPROVED_PREMISES: APPROVED_PREMISES,
    Location.CUSTODY: CUSTODY,
    Location.HOSPITAL: CUSTODY,
}


def case_facts_by_officer(officer_ids: Iterable[int] | None = None, nominals=None) -> dict[int, list[CaseFacts]]:
    """Each officer's active cases as the rules take them, from one grouped query.

    ``officer_ids`` limits the officers (None: every officer holding a case);
    ``nominals`` is the queryset to count (default: every active nominal).
    """
    queryset = nominals if nominals is not None else Nominal.objects.all()
    queryset = queryset.filter(status=Nominal.Status.ACTIVE, offender_manager__isnull=False)
    if officer_ids is not None:
        queryset = queryset.filter(offender_manager_id__in=list(officer_ids))
    rows = (
        queryset.order_by()
        .values_list("offender_manager_id", "location", "rosh", "management_level")
        .annotate(n=Count("id"))
    )
    facts: dict[int, list[CaseFacts]] = defaultdict(list)
    shared: dict[tuple, CaseFacts] = {}
    for officer_id, location, rosh, level, n in rows:
        key = (RULE_LOCATION.get(location, COMMUNITY), rosh, level)
        if key not in shared:
            shared[key] = CaseFacts(location=key[0], rosh=rosh, management_level=level)
        facts[officer_id].extend([shared[key]] * n)
    return facts


def measures_for(officer_ids: Iterable[int], settings: CaseloadSettings) -> dict[int, CaseloadMeasure]:
    """The caseload measure of each officer (an officer with no cases has an empty caseload)."""
    listed = list(officer_ids)
    facts = case_facts_by_officer(listed)
    return {officer_id: caseload_measure(facts.get(officer_id, []), settings) for officer_id in listed}
