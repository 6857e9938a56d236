"""Relationship-data quality: for each domestic abuse incident and crime, whether the relationship between
its victim and its suspect is recorded.

A DA incident (``events.Incident.domestic_abuse``) is a **crime** where an offence is recorded on it, an
**incident** otherwise. Its relationship is **recorded** where a ``people.Relationship`` joins one of its
victims and one of its suspects (either way round); an incident with no victim or no suspect on it cannot
have one and counts as not recorded (the gap the problem profile names is the same gap).

Two readings:

- ``quality``: counts by month, recording agency and local area, for the area's analysts, supervisors, MAPPA
  coordinators and chairs (``AGGREGATE_ROLES``), each line suppressed with the area's threshold (recorded and
  missing with their total) and audited as figures of the area. The target (``OversightSettings.
  relationship_target``) is a setting: no guidance sets one.
- ``missing_for``: the incidents the user may see (the gate's scope) that miss one, each with the one-click
  link to the add-relationship page of its victim with the suspect chosen; audited as a list.

Not yet counted: MARAC cases (a case holds the victim only; its suspects are on the referral) and teams
(an incident has no team): said so on the page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.policy import roles_of
from safeguard.audit.models import Operation
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.people.models import Person, Relationship
from safeguard.rules import suppression
from safeguard.workforce.models import Agency, Area

from ..access import allowed_area
from ..models import OversightSettings
from . import mappa_annual

RECORD_TYPE = "oversight.relationship_quality"
MONTHS = 12
PER_PAGE = 25


@dataclass(frozen=True)
class Checked:
    incident_id: int
    reference: str
    kind: str  # "crime" or "incident"
    month: str  # YYYY-MM
    agency_id: int
    local_area_id: int | None
    victims: tuple[int, ...]
    suspects: tuple[int, ...]
    recorded: bool


def check(incidents) -> list[Checked]:
    """Each DA incident of the queryset, checked, in three queries."""
    rows = list(
        incidents.filter(domestic_abuse=True).values_list(
            "pk", "reference", "offence_id", "occurred_at", "recorded_by_id", "local_area_id"
        )
    )
    roles: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    links = IncidentPerson.objects.filter(
        incident_id__in=[r[0] for r in rows], role__in=[IncidentRole.VICTIM, IncidentRole.PERPETRATOR]
    )
    for incident_id, person_id, role in links.values_list("incident_id", "person_id", "role"):
        roles[incident_id][role].append(person_id)
    people = {p for by_role in roles.values() for ids in by_role.values() for p in ids}
    pairs = set()
    for a, b in Relationship.objects.filter(person_id__in=people, other_id__in=people).values_list(
        "person_id", "other_id"
    ):
        pairs.update({(a, b), (b, a)})
    out = []
    for pk, reference, offence_id, occurred_at, agency_id, local_area_id in rows:
        victims = tuple(sorted(roles[pk][IncidentRole.VICTIM]))
        suspects = tuple(sorted(roles[pk][IncidentRole.PERPETRATOR]))
        recorded = any((v, s) in pairs for v in victims for s in suspects)
        month = timezone.localtime(occurred_at).strftime("%Y-%m")
        kind = "crime" if offence_id else "incident"
        out.append(Checked(pk, reference, kind, month, agency_id, local_area_id, victims, suspects, recorded))
    return out


@dataclass(frozen=True)
class Breakdown:
    title: str
    labels: list[str]
    table: suppression.Table  # columns: recorded, missing; row totals: all
    percents: list[str]  # per line: the share recorded, or "" where a figure is suppressed


@dataclass(frozen=True)
class Quality:
    area: Area
    threshold: int
    target: int | None
    first_month: str
    breakdowns: list[Breakdown]


def _breakdown(title: str, checked: list[Checked], key, label_of, threshold: int) -> Breakdown:
    recorded, missing = Counter(), Counter()
    for c in checked:
        (recorded if c.recorded else missing)[key(c)] += 1
    keys = sorted(set(recorded) | set(missing), key=lambda k: (k is None, str(label_of(k))))
    grid = [[recorded[k], missing[k]] for k in keys]
    table = suppression.suppress(grid or [[0, 0]], threshold)
    percents = []
    for row, total in zip(table.cells, table.row_totals, strict=True):
        shown = row[0].value is not None and total.value
        percents.append(f"{round(100 * row[0].value / total.value)}%" if shown else "")
    return Breakdown(title, [str(label_of(k)) for k in keys] or ["None"], table, percents)


def first_month_of(today: dt.date) -> str:
    """The first of the ``MONTHS`` months shown, this month the last."""
    year, month = today.year, today.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}"


def build_quality(area_id: int, today: dt.date) -> Quality:
    settings = OversightSettings.for_area(area_id)
    threshold = settings.small_number_threshold
    first_month = first_month_of(today)
    start = timezone.make_aware(dt.datetime.strptime(first_month + "-01", "%Y-%m-%d"))
    incidents = Incident.objects.filter(Q(local_area_id__in=mappa_annual.area_ids(area_id)), occurred_at__gte=start)
    checked = check(incidents)
    agencies = dict(Agency.objects.values_list("pk", "name"))
    areas = dict(Area.objects.values_list("pk", "name"))
    return Quality(
        area=Area.objects.get(pk=area_id),
        threshold=threshold,
        target=settings.relationship_target,
        first_month=first_month,
        breakdowns=[
            _breakdown("By month", checked, lambda c: c.month, lambda k: k, threshold),
            _breakdown("By kind", checked, lambda c: c.kind, lambda k: k.capitalize(), threshold),
            _breakdown("By recording agency", checked, lambda c: c.agency_id, lambda k: agencies.get(k, k), threshold),
            _breakdown("By local area", checked, lambda c: c.local_area_id, lambda k: areas.get(k, k), threshold),
        ],
    )


def quality(ctx: gate.AccessContext) -> Quality:
    area_id, reason = allowed_area(ctx, Operation.VIEW, RECORD_TYPE)
    result = build_quality(area_id, timezone.localdate())
    gate.audit_aggregate(ctx, Operation.VIEW, RECORD_TYPE, area_id, reason)
    return result


def missing_for(ctx: gate.AccessContext, page_number=None):
    """A page of the DA incidents the user may see whose victim-suspect relationship is not recorded, newest
    first, and the victims on it the user may change (who can have the relationship added from the list).
    The page's incidents are audited as one list."""
    if not roles_of(ctx.user):
        raise gate.AccessRefused(ctx, Operation.VIEW, RECORD_TYPE, None, "no role")
    visible = gate.scoped(ctx.user, Incident.objects.all())
    missing = sorted(
        (c for c in check(visible) if not c.recorded), key=lambda c: (c.month, c.incident_id), reverse=True
    )
    page = Paginator(missing, PER_PAGE).get_page(page_number)
    gate.audit_list(ctx, Operation.VIEW, Incident, [c.incident_id for c in page], {"list": "relationship missing"})
    victims = {v for c in page for v in c.victims}
    changeable = gate.scoped(ctx.user, Person.objects.filter(pk__in=victims), Operation.CHANGE)
    return page, set(changeable.values_list("pk", flat=True))
