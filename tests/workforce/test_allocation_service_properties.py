"""What a batch stores and applies never breaks a hard rule (Hypothesis over small random teams).

The rules are checked here from the records, written again from the module
docstring of workforce.solver.model, not with the code under test: each
officer's cases and high-risk cases outside the batch, their MOSOVO, the area's
ratio and cap, the incidents linking people. A batch said to be infeasible is
checked by trying every allocation.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safeguard.access.gate import AccessContext
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import AllocationBatch, AreaSettings
from safeguard.workforce.services import allocation as service
from tests.workforce.roles_allocation import add_nominal, add_officer, team_of

ROSH = ("low", "medium", "high", "very_high")
HIGH = {"high", "very_high"}

officer_st = st.fixed_dictionaries(
    {
        "trained": st.booleans(),
        "cases": st.lists(st.sampled_from(ROSH), max_size=5),
    }
)
nominal_st = st.fixed_dictionaries(
    {
        "level": st.sampled_from((1, 1, 2, 3)),
        "rosh": st.sampled_from(ROSH),
        "links": st.lists(st.integers(0, 3), max_size=2),  # officers whose case this nominal's person harmed
    }
)
team_st = st.fixed_dictionaries(
    {
        "ratio": st.integers(2, 7),
        "cap": st.integers(10, 60),
        "officers": st.lists(officer_st, min_size=1, max_size=3),
        "nominals": st.lists(nominal_st, min_size=1, max_size=4),
    }
)


class Rollback(Exception):
    pass


def _link(world, perpetrator, victim) -> None:
    record = Incident.objects.create(
        reference=f"INC-P{Incident.objects.count() + 1}",
        occurred_at=dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC),
        local_area=world.home["local"][0],
        recorded_by=world.police,
    )
    IncidentPerson.objects.create(incident=record, person=perpetrator, role=IncidentRole.PERPETRATOR)
    IncidentPerson.objects.create(incident=record, person=victim, role=IncidentRole.VICTIM)


def _facts(world, spec, officers, batch):
    """Each officer's figures outside the batch and each nominal's barred officers, from the records."""
    batch_ids = {n.pk for n in batch}
    figures = {}
    for o in [world.users.om, *officers]:
        held = Nominal.objects.filter(offender_manager=o, status="active").exclude(pk__in=batch_ids)
        figures[o.pk] = {
            "cases": held.count(),
            "high": held.filter(rosh__in=HIGH).count(),
            "trained": o.completions.filter(course__code="mosovo").exists(),
        }
    barred = {}
    for n in batch:
        victims = IncidentPerson.objects.filter(
            role=IncidentRole.VICTIM, incident__people__person=n.person, incident__people__role=IncidentRole.PERPETRATOR
        ).values_list("person_id", flat=True)
        barred[n.pk] = set(
            Nominal.objects.filter(person_id__in=list(victims), status="active")
            .exclude(pk__in=batch_ids)
            .values_list("offender_manager_id", flat=True)
        )
    return figures, barred


def _obeys(assignment: dict, batch, figures, barred, ratio: int, cap: int) -> bool:
    given_to: dict[int, list[Nominal]] = {}
    for n in batch:
        officer = assignment[n.pk]
        f = figures[officer]
        if n.management_level >= 2 and not f["trained"]:
            return False
        if officer in barred[n.pk]:
            return False
        at_cap = f["cases"] > 0 and 100 * f["high"] >= cap * f["cases"]
        if n.rosh in HIGH and at_cap:
            return False
        given_to.setdefault(officer, []).append(n)
    return all(figures[o]["cases"] + len(ns) <= ratio for o, ns in given_to.items())


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=team_st)
def test_stored_and_applied_allocations_obey_every_hard_rule(world, spec):
    try:
        with transaction.atomic():
            _check_example(world, spec)
            raise Rollback
    except Rollback:
        pass


def _check_example(world, spec) -> None:
    AreaSettings.objects.update_or_create(
        area=world.home["mappa"],
        defaults={"ratio_cases_per_officer": spec["ratio"], "high_risk_cap_percent": spec["cap"]},
    )
    officers = []
    held: dict[int, list[Nominal]] = {}
    for i, o in enumerate(spec["officers"]):
        officer = add_officer(world, f"prop{i}", trained=o["trained"])
        officers.append(officer)
        held[i] = [add_nominal(world, om=officer, rosh=rosh) for rosh in o["cases"]]
    batch_nominals = []
    for n in spec["nominals"]:
        nominal = add_nominal(world, management_level=n["level"], rosh=n["rosh"])
        batch_nominals.append(nominal)
        for i in n["links"]:
            if held.get(i):
                _link(world, nominal.person, held[i][0].person)
    ctx = AccessContext(user=world.users.supervisor, purpose="public_protection")
    request = service.BatchRequest(kind=service.UNALLOCATED, area=world.home["mappa"], team=team_of(world))
    batch = service.start_batch(ctx, request)
    event(batch.status)
    figures, barred = _facts(world, spec, officers, batch_nominals)
    pool = list(figures)
    if batch.status == AllocationBatch.Status.INFEASIBLE:
        every = (
            dict(zip([n.pk for n in batch_nominals], choice, strict=True))
            for choice in itertools.product(pool, repeat=len(batch_nominals))
        )
        assert not any(_obeys(a, batch_nominals, figures, barred, spec["ratio"], spec["cap"]) for a in every)
        assert batch.infeasible_reasons
        return
    stored = {r.nominal_id: r.recommended_officer_id for r in batch.recommendations.all()}
    assert stored.keys() == {n.pk for n in batch_nominals}
    assert _obeys(stored, batch_nominals, figures, barred, spec["ratio"], spec["cap"])
    done = service.accept_all(ctx, batch, expected_version=batch.version)
    assert done.refused == []
    applied = dict(Nominal.objects.filter(pk__in=stored).values_list("pk", "offender_manager_id"))
    assert applied == stored
