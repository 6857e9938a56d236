"""Every pathways page, as roles that may use it and roles that may not (records: tests/pathways/records.py).

Who may (pathways/policies.py): a referral and a release checklist are part of the nominal (read by the area's
case workers, changed by its offender manager, the area's MAPPA coordinator and the team's supervisor); a peer
observation is its observers' and the forum's coordinators', and the chair's once shared; the themes page is the
forum's coordinators'.
"""

from __future__ import annotations

from django.utils import timezone

from safeguard.rules import release_pathways
from tests.pathways.records import records
from tests.url_matrix import RoleCase

SEE = ("om", "om2", "coordinator", "supervisor", "chair", "marac")
NOT_SEE = ("away_om", "analyst", "admin", "norole", "idva", "partner")
CHANGE = ("om", "coordinator", "supervisor")
NOT_CHANGE = ("om2", "chair", "marac", "analyst", "away_om", "norole")


def _nominal(world):
    return {"pk": records(world).mine.pk}


def _nominal_record(world):
    return ("offenders.nominal", records(world).mine.pk)


def _referral(world):
    return {"pk": records(world).referral.pk}


def _referral_record(world):
    return ("pathways.interventionreferral", records(world).referral.pk)


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _step(world):
    referral = records(world).referral
    soon = timezone.localdate() + timezone.timedelta(days=14)
    return {"version": str(referral.version), "to_status": "started", **_date("next_step_due_on", soon)}


def _refer(world):
    return {"programme": str(records(world).programme.pk), "pillar": "interventions_and_treatment"}


def _item(world):
    return {"pk": records(world).gp.pk}


def _item_data(world):
    gp = records(world).gp
    return {
        "version": str(gp.version),
        "owner_agency": str(world.probation.pk),
        "status": release_pathways.ARRANGED,
        "detail": "Registered with Fictional Street surgery from the day of release.",
        **_date("due_on", gp.due_on),
    }


def _plan(world):
    return {"pk": records(world).plan.pk}


def _observation(world):
    return {"pk": records(world).observation.pk}


def _observation_record(world):
    return ("pathways.peerobservation", records(world).observation.pk)


def _held(world):
    return {"pk": records(world).held.pk}


def _forum(world):
    return {"pk": records(world).forums.forum.pk}


def _action(world):
    return {"pk": records(world).forums.action.pk}


CASES = [
    RoleCase("pathways:interventions", allowed=SEE, refused=NOT_SEE, kwargs=_nominal, record=_nominal_record),
    RoleCase("pathways:refer", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_nominal),
    RoleCase(
        "pathways:refer",
        label="post",
        allowed=CHANGE,
        refused=NOT_CHANGE,
        kwargs=_nominal,
        method="post",
        data=_refer,
        ok_status=(302,),
    ),
    RoleCase(
        "pathways:refer-from-action",
        allowed=("om", "om2", "coordinator"),
        refused=("away_om", "analyst", "norole"),
        kwargs=_action,
        ok_status=(302,),
    ),
    RoleCase("pathways:referral", allowed=SEE, refused=NOT_SEE, kwargs=_referral, record=_referral_record),
    RoleCase(
        "pathways:step",
        allowed=CHANGE,
        refused=NOT_CHANGE,
        kwargs=_referral,
        method="post",
        data=_step,
        ok_status=(302,),
        record=_referral_record,
    ),
    RoleCase("pathways:release", allowed=SEE, refused=NOT_SEE, kwargs=_nominal, record=_nominal_record),
    RoleCase(
        "pathways:release-start",
        allowed=CHANGE,
        refused=NOT_CHANGE,
        kwargs=_nominal,
        method="post",
        ok_status=(302,),
    ),
    RoleCase("pathways:release-item", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_item),
    RoleCase(
        "pathways:release-item",
        label="post",
        allowed=CHANGE,
        refused=NOT_CHANGE,
        kwargs=_item,
        method="post",
        data=_item_data,
        ok_status=(302,),
    ),
    RoleCase("pathways:release-outcome", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_plan),
    RoleCase(
        "pathways:releases",
        allowed=("om", "coordinator", "supervisor", "chair", "marac"),
        refused=("analyst", "admin", "norole", "idva", "partner"),
    ),
    RoleCase(
        "pathways:observe",
        allowed=("coordinator", "om", "supervisor", "chair"),
        refused=("away_om", "analyst", "admin", "norole", "partner", "idva"),
        kwargs=_held,
    ),
    RoleCase(
        "pathways:observation",
        allowed=("supervisor", "om2", "coordinator", "chair"),
        refused=("om", "marac", "analyst", "admin", "away_om", "norole", "partner"),
        kwargs=_observation,
        record=_observation_record,
    ),
    RoleCase(
        "pathways:share-observation",
        allowed=("supervisor", "om2", "coordinator"),
        refused=("chair", "om", "marac", "analyst", "norole"),
        kwargs=_observation,
        method="post",
        data=lambda world: {"version": str(records(world).observation.version)},
        ok_status=(302,),
    ),
    RoleCase(
        "pathways:observation-themes",
        allowed=("coordinator",),
        refused=("om", "chair", "supervisor", "analyst", "norole"),
        kwargs=_forum,
    ),
    RoleCase(
        "pathways:cpd",
        allowed=("coordinator", "supervisor"),
        refused=("om", "chair", "marac", "analyst", "away_om", "norole"),
    ),
    RoleCase(
        "pathways:cpd-new",
        allowed=("coordinator", "supervisor"),
        refused=("om", "chair", "marac", "analyst", "away_om", "norole"),
    ),
    RoleCase(
        "pathways:cpd-event",
        allowed=("coordinator", "supervisor"),
        refused=("om", "chair", "marac", "analyst", "away_om", "norole"),
        kwargs=lambda world: {"pk": records(world).cpd.pk},
        record=lambda world: ("pathways.cpdevent", records(world).cpd.pk),
    ),
    RoleCase(
        "pathways:cpd-event",
        label="post",
        allowed=("coordinator", "supervisor"),
        refused=("om", "chair", "marac", "analyst", "norole"),
        kwargs=lambda world: {"pk": records(world).cpd.pk},
        method="post",
        data=lambda world: {"staff": str(world.users.om.pk)},
        ok_status=(302,),
    ),
    RoleCase(
        "pathways:iom",
        allowed=SEE,
        refused=NOT_SEE,
        kwargs=lambda world: {"pk": records(world).member.nominal_id},
        record=lambda world: ("offenders.nominal", records(world).member.nominal_id),
    ),
    RoleCase(
        "pathways:iom",
        label="post",
        allowed=CHANGE,
        refused=NOT_CHANGE,
        kwargs=_nominal,
        method="post",
        data=lambda world: {
            "stream": "fixed",
            "neighbourhood_crime": "on",
            "reason": "Burglary series; the panel selects.",
            **_date("next_review_on", timezone.localdate() + timezone.timedelta(days=56)),
        },
        ok_status=(302,),
    ),
    RoleCase(
        "pathways:iom-review",
        allowed=("om2", "coordinator"),
        refused=("om", "supervisor", "chair", "marac", "analyst", "away_om", "norole"),
        kwargs=lambda world: {"pk": records(world).member.pk},
        method="post",
        data=lambda world: {
            "version": str(records(world).member.version),
            **_date("next_review_on", timezone.localdate() + timezone.timedelta(days=56)),
        },
        ok_status=(302,),
        record=lambda world: ("pathways.iommembership", records(world).member.pk),
    ),
    RoleCase(
        "pathways:iom-exit",
        allowed=("om2", "coordinator"),
        refused=("om", "supervisor", "chair", "marac", "analyst", "away_om", "norole"),
        kwargs=lambda world: {"pk": records(world).member.pk},
        method="post",
        data=lambda world: {"version": str(records(world).member.version), "exit_reason": "risk_reduced"},
        ok_status=(302,),
    ),
    RoleCase(
        "pathways:iom-cohort",
        allowed=("om", "coordinator", "supervisor", "chair", "marac"),
        refused=("analyst", "admin", "norole", "idva", "partner"),
    ),
    RoleCase(
        "pathways:figures",
        allowed=("analyst", "supervisor", "coordinator", "chair"),
        refused=("om", "marac", "admin", "norole", "away_om", "partner"),
    ),
    # The API's reads of a nominal's pathways: the nominal through the gate (refused: the one 404, audited).
    *(
        RoleCase(name, allowed=SEE, refused=NOT_SEE, kwargs=_nominal, record=_nominal_record)
        for name in (
            "api-nominal-pathways-intervention-referrals",
            "api-nominal-pathways-release-checklists",
            "api-nominal-pathways-iom-memberships",
        )
    ),
]
