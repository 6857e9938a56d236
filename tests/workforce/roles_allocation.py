"""Role cases for the workforce allocation pages (collected by tests/workforce/url_roles.py).

Also the small builders the allocation tests share: officers of the supervisor's
team (trained or not), nominals to allocate, and a batch with one recommendation.
"""

from __future__ import annotations

import datetime as dt
import itertools

from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.rules.competence import MOSOVO
from safeguard.workforce.models import (
    AllocationBatch,
    AllocationRecommendation,
    Course,
    Role,
    Staff,
    TrainingCompletion,
)
from tests.url_matrix import RoleCase

_serial = itertools.count(1)
REASON = "Knows the family from an earlier case"


def team_of(world):
    """The supervisor's team (Public Protection Unit North, covering Northtown)."""
    return world.users.supervisor.team


def train(staff: Staff, *, on: dt.date | None = None, expires_on: dt.date | None = None) -> TrainingCompletion:
    """A MOSOVO completion, so that the officer may hold Level 2/3 nominals."""
    course, _ = Course.objects.get_or_create(code=MOSOVO, defaults={"name": "MOSOVO"})
    return TrainingCompletion.objects.create(
        staff=staff,
        course=course,
        completed_on=on or dt.date.today() - dt.timedelta(days=400),
        expires_on=expires_on,
        recorded_by=staff,
    )


def add_officer(world, username: str, *, trained: bool = False, team=None, last: str | None = None) -> Staff:
    officer = f.staff(
        username,
        world.police,
        [Role.OFFENDER_MANAGER],
        team_=team or team_of(world),
        rank="Detective Constable",
        first="Officer",
        last=last or username.title(),
    )
    if trained:
        train(officer)
    return officer


def add_nominal(world, *, om=None, local=0, person=None, **fields) -> Nominal:
    """An active nominal of the home area (Northtown by default), unallocated unless ``om`` is given."""
    n = next(_serial)
    person = person or f.person(world.home["mappa"], "Test", f"Person{n}", dt.date(1980, 1, 1) + dt.timedelta(days=n))
    return f.nominal(person, world.home["local"][local], world.police, om, **fields)


def add_release(world, days: int = 30, **fields) -> Nominal:
    fields.setdefault("location", "custody")
    return add_nominal(world, release_date=dt.date.today() + dt.timedelta(days=days), **fields)


def matrix_recommendation(world) -> AllocationRecommendation:
    """One batch of the supervisor's team with one waiting recommendation (the same on every call)."""
    supervisor = world.users.supervisor
    batch, _ = AllocationBatch.objects.get_or_create(
        description="Role matrix batch",
        defaults={
            "area": world.home["mappa"],
            "team": team_of(world),
            "created_by": world.users.coordinator,
            "method": "highs",
            "proven_optimal": True,
            "gap": 0.0,
            "figures": {},
        },
    )
    nominal = Nominal.objects.filter(reference="NOM-MATRIX1").first() or f.nominal(
        world.people.victim, world.home["local"][0], world.police, None
    )
    if nominal.reference != "NOM-MATRIX1":
        nominal.reference = "NOM-MATRIX1"
        nominal.save(update_fields=["reference"])
    rec, _ = AllocationRecommendation.objects.get_or_create(
        batch=batch,
        nominal=nominal,
        defaults={"recommended_officer": world.users.om, "reasons": ["Lowest caseload"]},
    )
    Staff.objects.get_or_create(
        username="matrix_om",
        defaults={
            "agency": world.police,
            "team": supervisor.team,
            "roles": [Role.OFFENDER_MANAGER],
            "first_name": "Matrix",
            "last_name": "Officer",
        },
    )
    return rec


def _batch_kwargs(world) -> dict:
    return {"pk": matrix_recommendation(world).batch_id}


def _rec_kwargs(world) -> dict:
    rec = matrix_recommendation(world)
    return {"pk": rec.batch_id, "rec_pk": rec.pk}


def _batch_record(world):
    return ("workforce.allocationbatch", matrix_recommendation(world).batch_id)


def _rec_record(world):
    return ("workforce.allocationrecommendation", matrix_recommendation(world).pk)


def _start_data(world) -> dict:
    matrix_recommendation(world)  # an unallocated nominal of Northtown exists
    return {"team": team_of(world).pk, "kind": "unallocated"}


def _accept_data(world) -> dict:
    return {"version": matrix_recommendation(world).nominal.version}


def _accept_all_data(world) -> dict:
    return {"version": matrix_recommendation(world).batch.version}


def _override_data(world) -> dict:
    rec = matrix_recommendation(world)
    return {"officer": Staff.objects.get(username="matrix_om").pk, "reason": REASON, "version": rec.nominal.version}


NOT_ALLOCATORS = ("om", "om2", "analyst", "partner", "idva", "chair", "marac", "admin", "away_om", "norole")

CASES: list[RoleCase] = [
    RoleCase(
        "workforce:allocation",
        allowed=("supervisor", "coordinator"),
        refused=NOT_ALLOCATORS,
        record=lambda world: ("workforce.allocationbatch", None),
    ),
    RoleCase(
        "workforce:allocation",
        allowed=("supervisor", "coordinator"),
        refused=("om", "analyst", "away_om"),
        method="post",
        data=_start_data,
        ok_status=(302,),
        label="start",
    ),
    RoleCase(
        "workforce:batch",
        allowed=("supervisor", "coordinator"),
        refused=NOT_ALLOCATORS,
        kwargs=_batch_kwargs,
        record=_batch_record,
    ),
    RoleCase(
        "workforce:batch-accept",
        allowed=("supervisor", "coordinator"),
        refused=("om", "om2", "analyst", "chair", "away_om"),
        kwargs=_rec_kwargs,
        method="post",
        data=_accept_data,
        ok_status=(302,),
        record=_rec_record,
    ),
    RoleCase(
        "workforce:batch-accept-all",
        allowed=("supervisor", "coordinator"),
        refused=("om", "analyst", "away_om"),
        kwargs=_batch_kwargs,
        method="post",
        data=_accept_all_data,
        ok_status=(302,),
        record=_batch_record,
    ),
    RoleCase(
        "workforce:batch-override",
        allowed=("supervisor", "coordinator"),
        refused=("om", "om2", "analyst", "away_om"),
        kwargs=_rec_kwargs,
        record=_rec_record,
    ),
    RoleCase(
        "workforce:batch-override",
        allowed=("supervisor",),
        refused=("om", "analyst"),
        kwargs=_rec_kwargs,
        method="post",
        data=_override_data,
        ok_status=(302,),
        record=_rec_record,
        label="post",
    ),
]
