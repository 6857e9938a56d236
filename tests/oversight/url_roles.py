"""Role cases for the oversight figures: counts of the user's MAPPA area for analysts (the Office of the PCC),
supervisors, MAPPA coordinators and chairs; each view and download audited against the area."""

from __future__ import annotations

from tests.url_matrix import RoleCase

ALLOWED = ("analyst", "supervisor", "coordinator", "chair")
REFUSED = ("om", "marac", "idva", "partner", "admin", "norole")


def _record(world):
    return ("oversight.mappa_annual", world.home["mappa"].pk)


def _year(world):
    return {"year": 2026}


CASES = [
    RoleCase("oversight:mappa-annual", allowed=ALLOWED, refused=REFUSED, record=_record),
    RoleCase("oversight:mappa-annual-csv", allowed=ALLOWED, refused=REFUSED, kwargs=_year, record=_record),
    RoleCase("oversight:mappa-annual-xlsx", allowed=ALLOWED, refused=REFUSED, kwargs=_year, record=_record),
]
