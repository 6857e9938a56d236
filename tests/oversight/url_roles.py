"""Role cases for the oversight pages: the index, the MAPPA annual tables (analysts, supervisors, MAPPA
coordinators and chairs of the area), the SafeLives return (the MARAC's coordinator; analysts of the area),
and a person's protected characteristics (recorded by those who may change the person)."""

from __future__ import annotations

from tests.url_matrix import RoleCase

ALLOWED = ("analyst", "supervisor", "coordinator", "chair")
REFUSED = ("om", "marac", "idva", "partner", "admin", "norole")
SAFELIVES = ("marac", "analyst")
NOT_SAFELIVES = ("om", "coordinator", "supervisor", "chair", "idva", "partner", "admin", "norole")
RECORDERS = ("om", "om2", "coordinator", "supervisor", "marac")
NOT_RECORDERS = ("chair", "partner", "idva", "analyst", "admin", "away_om", "norole")


def _record(world):
    return ("oversight.mappa_annual", world.home["mappa"].pk)


def _year(world):
    return {"year": 2026}


def _marac(world):
    return {"forum": world.marac.pk, "year": 2026, "quarter": 3}


def _marac_record(world):
    return ("oversight.safelives", world.marac.pk)


def _offender(world):
    return {"pk": world.people.offender.pk}


def _offender_record(world):
    return ("people.person", world.people.offender.pk)


PCC = ("analyst",)
NOT_PCC = ("om", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "admin", "norole")


def _area_record(world):
    return ("oversight.dashboard", world.home["mappa"].pk)


WITH_A_ROLE = ("om", "om2", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "analyst", "admin")


def _quality_record(world):
    return ("oversight.relationship_quality", world.home["mappa"].pk)


CASES = [
    RoleCase("oversight:relationships", allowed=ALLOWED, refused=REFUSED, record=_quality_record),
    RoleCase("oversight:relationships-missing", allowed=WITH_A_ROLE, refused=("norole",)),
    RoleCase("oversight:dashboard", allowed=PCC, refused=NOT_PCC, record=_area_record),
    RoleCase("oversight:dashboard-csv", allowed=PCC, refused=NOT_PCC, record=_area_record),
    RoleCase("oversight:dashboard-xlsx", allowed=PCC, refused=NOT_PCC, record=_area_record),
    RoleCase("oversight:index", allowed=(*ALLOWED, "marac"), refused=("om", "idva", "partner", "admin", "norole")),
    RoleCase("oversight:mappa-annual", allowed=ALLOWED, refused=REFUSED, record=_record),
    RoleCase("oversight:mappa-annual-csv", allowed=ALLOWED, refused=REFUSED, kwargs=_year, record=_record),
    RoleCase("oversight:mappa-annual-xlsx", allowed=ALLOWED, refused=REFUSED, kwargs=_year, record=_record),
    RoleCase("oversight:safelives", allowed=SAFELIVES, refused=NOT_SAFELIVES),
    RoleCase("oversight:safelives-csv", allowed=SAFELIVES, refused=NOT_SAFELIVES, kwargs=_marac, record=_marac_record),
    RoleCase("oversight:safelives-xlsx", allowed=SAFELIVES, refused=NOT_SAFELIVES, kwargs=_marac, record=_marac_record),
    RoleCase(
        "oversight:characteristics", allowed=RECORDERS, refused=NOT_RECORDERS, kwargs=_offender, record=_offender_record
    ),
    RoleCase(
        "oversight:characteristics",
        label="post",
        method="post",
        data=lambda w: {"disabled": "not_known", "lgbt_plus": "prefer_not", "ethnicity_answer": "stated"},
        ok_status=(302,),
        allowed=("om", "coordinator", "marac"),
        refused=("chair", "partner", "idva", "analyst", "away_om"),
        kwargs=_offender,
        record=_offender_record,
    ),
]
