"""Role cases for the workforce pack pages (collected by tests/workforce/url_roles.py).

The monthly pack is aggregates of the user's MAPPA area (policy.may_view_workforce_figures): analysts
(the Office of the PCC), supervisors, the MAPPA coordinator and chairs. Each view (VIEW) and download
(EXPORT) is audited against the area, record type workforce.pack; so is each refusal.
"""

from __future__ import annotations

from tests.url_matrix import RoleCase

ALLOWED = ("analyst", "supervisor", "coordinator", "chair")
REFUSED = ("om", "om2", "marac", "idva", "partner", "admin", "norole")


def _record(world) -> tuple[str, int]:
    return ("workforce.pack", world.home["mappa"].pk)


CASES = [
    RoleCase(name, allowed=ALLOWED, refused=REFUSED, record=_record)
    for name in ("workforce:pack", "workforce:pack-csv", "workforce:pack-xlsx")
]


# Preparing the pack's file as a background job: the same people; the answer is the job's page.
CASES.append(
    RoleCase(
        "workforce:pack-export",
        allowed=ALLOWED,
        refused=REFUSED,
        method="post",
        data=lambda world: {"format": "csv"},
        ok_status=(302,),
        record=_record,
    )
)
