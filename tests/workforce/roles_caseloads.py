"""Role cases for the workforce caseloads pages (collected by tests/workforce/url_roles.py).

Who may do what (safeguard.access.policy): the landing page is for the workforce roles (offender
manager, supervisor, MAPPA coordinator, chair, analyst). A supervisor opens their team's caseloads, the
MAPPA coordinator and a chair the area's teams; an offender manager is sent to their own figures. One
officer's figures: the officer, the supervisor of their team, the coordinator and chairs of the area.
"""

from __future__ import annotations

from tests.url_matrix import RoleCase

STAFF = "workforce.staff"
NO_WORKFORCE_ROLE = ("marac", "idva", "partner", "admin", "norole")


def _om(world) -> dict:
    return {"pk": world.users.om.pk}


def _om_record(world) -> tuple[str, int]:
    return (STAFF, world.users.om.pk)


CASES = [
    RoleCase(
        "workforce:index",
        allowed=("om", "supervisor", "coordinator", "chair", "analyst", "away_om"),
        refused=NO_WORKFORCE_ROLE,
    ),
    # The supervisor's team: one audit event lists the staff shown (record id None: a list).
    RoleCase(
        "workforce:caseloads",
        allowed=("supervisor",),
        refused=("analyst", *NO_WORKFORCE_ROLE),
        record=lambda world: (STAFF, None),
    ),
    # The coordinator and chairs see the area's teams (aggregates) and pick one.
    RoleCase("workforce:caseloads", label="area", allowed=("coordinator", "chair"), refused=("analyst", "marac")),
    # An offender manager is sent to their own figures.
    RoleCase(
        "workforce:caseloads",
        label="officer",
        allowed=("om", "om2", "away_om"),
        ok_status=(302,),
        refused=("analyst", "idva"),
    ),
    RoleCase(
        "workforce:officer",
        allowed=("om", "supervisor", "coordinator", "chair"),
        refused=("om2", "away_om", "analyst", *NO_WORKFORCE_ROLE),
        kwargs=_om,
        record=_om_record,
    ),
    RoleCase(
        "workforce:officer",
        label="impact",
        method="post",
        data=lambda world: {"tier": "B2", "case_type": "community"},
        allowed=("om", "supervisor", "coordinator"),
        refused=("om2", "away_om", "analyst", "partner"),
        kwargs=_om,
        record=_om_record,
    ),
]
