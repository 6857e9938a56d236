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
- An officer (offender manager) is an active member of staff who holds the
  offender manager role or holds at least one active nominal, so that a
  supervisor holding cases is counted with them.
- Probation case types (community, custody, licence) are read from the
  nominal's location and expected release date: see :func:`case_type_of`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import BooleanField, Case, Count, Value, When

from safeguard.offenders.models import Location, Nominal
from safeguard.rules.workload import (
    APPROVED_PREMISES,
    COMMUNITY,
    CUSTODY,
    LICENCE,
    CaseFacts,
    CaseloadMeasure,
    CaseloadSettings,
    caseload_measure,
)

from .models import AreaSettings, Role, Staff

MONTHS_SHOWN = 12  # the trend: this month and the 11 before it

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


# --- Who counts as an officer, and the settings that apply -------------------------------------------


def is_officer(member: Staff, holding: set[int] | frozenset[int] = frozenset()) -> bool:
    """An offender manager: holds the role, or holds an active case (``holding``: ids of staff who do)."""
    return member.is_active and (member.has_role(Role.OFFENDER_MANAGER) or member.pk in holding)


def holding_cases(staff_ids=None) -> set[int]:
    """Ids of the members of staff who hold at least one active nominal.

    ``staff_ids``: ids, or a queryset of staff (a subquery: no long list of parameters); None: anyone.
    """
    queryset = Nominal.objects.filter(status=Nominal.Status.ACTIVE, offender_manager__isnull=False)
    if staff_ids is not None:
        ids = staff_ids if hasattr(staff_ids, "query") else list(staff_ids)
        queryset = queryset.filter(offender_manager__in=ids)
    return set(queryset.order_by().values_list("offender_manager_id", flat=True).distinct())


def officers_among(staff: Iterable[Staff], holding: set[int] | None = None) -> list[Staff]:
    """The offender managers among these members of staff (the role, or an active case held).

    ``holding``: the ids of staff holding cases, when the caller already has them.
    """
    listed = list(staff)
    if holding is None:
        holding = holding_cases(s.pk for s in listed)
    return [s for s in listed if is_officer(s, holding)]


def mappa_area_of(member: Staff) -> int | None:
    """The MAPPA area whose settings apply to a member of staff: their agency's, else their team's."""
    if member.agency_id is not None:
        return member.mappa_area_id
    if member.team_id is not None:
        return member.team.area.mappa_area.pk
    return None


class SettingsCache:
    """Each MAPPA area's settings, read once (AreaSettings.for_area gives the defaults for an area with none)."""

    def __init__(self) -> None:
        self._areas: dict[int | None, AreaSettings] = {}

    def area(self, area_id: int | None) -> AreaSettings:
        if area_id not in self._areas:
            self._areas[area_id] = AreaSettings.for_area(area_id)
        return self._areas[area_id]

    def caseload(self, area_id: int | None) -> CaseloadSettings:
        return self.area(area_id).caseload_settings()


def level_2_3_cases(facts: Iterable[CaseFacts]) -> int:
    return sum(1 for c in facts if c.management_level >= 2)


# --- The probation workload model: case types and points ---------------------------------------------


def case_type_of(location: str, released: bool) -> str:
    """The probation case type of a nominal: custody, licence or community.

    Safeguard's reading (the workload model names the three types; how a
    nominal maps onto them is not written down anywhere Safeguard can cite):
    a nominal in custody (or detained in hospital) is a **custody** case; a
    nominal not in custody whose expected release date has been reached (today
    or earlier) was released on licence and is a **licence** case (so is a
    person living in Approved Premises after release); anyone else in the
    community (no release date, or one still to come) is a **community** case.
    """
    if location in (Location.CUSTODY, Location.HOSPITAL):
        return CUSTODY
    return LICENCE if released else COMMUNITY


def probation_cases_by_officer(officer_ids: Iterable[int], on: dt.date) -> dict[int, list[tuple[str, str, int]]]:
    """Each officer's active cases as (tier, case type, how many), from one grouped query."""
    released = Case(When(release_date__lte=on, then=Value(True)), default=Value(False), output_field=BooleanField())
    rows = (
        Nominal.objects.filter(status=Nominal.Status.ACTIVE, offender_manager_id__in=list(officer_ids))
        .order_by()
        .annotate(released=released)
        .values_list("offender_manager_id", "workload_tier", "location", "released")
        .annotate(n=Count("id"))
    )
    found: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for officer_id, tier, location, was_released, n in rows:
        found[officer_id][(tier.strip().upper(), case_type_of(location, was_released))] += n
    return {
        officer_id: sorted((tier, case_type, n) for (tier, case_type), n in cases.items())
        for officer_id, cases in found.items()
    }


# --- Months ----------------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month_start(month) - dt.timedelta(days=1)).replace(day=1)


def months_ending(on: dt.date, count: int = MONTHS_SHOWN) -> list[dt.date]:
    """The first days of the ``count`` months ending with the month of ``on``, oldest first."""
    months = [month_start(on)]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]
