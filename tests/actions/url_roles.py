"""Every actions page, as roles that may use it and roles that may not (records: tests/actions/records.py).

Who may (safeguard.access.policy): an action is seen by its owner, staff of its owner agency, the forum's
coordinator and whoever may see the person (a partner of the MARAC sees the victim's case); it is changed by
the owner, the owner agency's staff and the coordinator. A prompt is the business of the person it is for.
The completion rates are a forum's figures: its coordinators, member agencies and the area's case workers.
"""

from __future__ import annotations

from django.utils import timezone

from tests.actions.records import records
from tests.url_matrix import RoleCase

ACTION = "actions.action"


def _action(world):
    return {"pk": records(world).marac_action.pk}


def _action_record(world):
    return (ACTION, records(world).marac_action.pk)


def _version(world):
    return {"version": str(records(world).marac_action.version)}


def _evidence(world):
    return {**_version(world), "completion_evidence": "Safety plan shared with the GP; receipt confirmed."}


def _new_date(world):
    day = timezone.localdate() + timezone.timedelta(days=14)
    return {
        **_version(world),
        "due_on_0": str(day.day),
        "due_on_1": str(day.month),
        "due_on_2": str(day.year),
        "reason": "The GP surgery is closed for a fortnight.",
    }


def _prompt(world):
    return {"pk": records(world).prompt.pk}


SEE = ("om", "om2", "coordinator", "supervisor", "marac", "chair", "idva", "partner")
NOT_SEE = ("away_om", "analyst", "admin", "norole")
CHANGE = ("om", "om2", "coordinator", "supervisor", "marac")
NOT_CHANGE = ("chair", "partner", "idva", "analyst", "away_om", "norole")

CASES = [
    RoleCase("actions:action", allowed=SEE, refused=NOT_SEE, kwargs=_action, record=_action_record),
    RoleCase("actions:complete", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_action, record=_action_record),
    RoleCase(
        "actions:complete",
        label="post",
        method="post",
        data=_evidence,
        allowed=("om", "marac"),
        refused=("partner", "chair", "analyst"),
        ok_status=(302,),
        kwargs=_action,
        record=_action_record,
    ),
    RoleCase(
        "actions:start",
        method="post",
        data=_version,
        allowed=("om", "om2", "marac"),
        refused=("partner", "idva", "chair", "away_om"),
        ok_status=(302,),
        kwargs=_action,
        record=_action_record,
    ),
    RoleCase("actions:cancel", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_action, record=_action_record),
    RoleCase(
        "actions:cancel",
        label="post",
        method="post",
        data=lambda w: {**_version(w), "reason": "The victim has moved out of the area."},
        allowed=("om", "marac"),
        refused=("partner", "chair"),
        ok_status=(302,),
        kwargs=_action,
        record=_action_record,
    ),
    RoleCase("actions:due-date", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_action, record=_action_record),
    RoleCase(
        "actions:due-date",
        label="post",
        method="post",
        data=_new_date,
        allowed=("marac", "supervisor"),
        refused=("partner", "idva"),
        ok_status=(302,),
        kwargs=_action,
        record=_action_record,
    ),
    RoleCase("actions:reassign", allowed=CHANGE, refused=NOT_CHANGE, kwargs=_action, record=_action_record),
    RoleCase(
        "actions:reassign",
        label="post",
        method="post",
        data=lambda w: {**_version(w), "owner": str(w.users.om2.pk)},
        allowed=("om", "marac"),
        refused=("partner", "analyst"),
        ok_status=(302,),
        kwargs=_action,
        record=_action_record,
    ),
    # Our agency's actions: anyone who works cases or forums for an agency; the list is the agency's own.
    RoleCase(
        "actions:agency",
        allowed=("om", "coordinator", "supervisor", "chair", "marac", "idva", "partner"),
        refused=("analyst", "admin", "norole", "inactive"),
        refused_status=(404, 302),
    ),
    RoleCase(
        "actions:rates",
        allowed=("marac", "om", "coordinator", "supervisor", "chair", "idva", "partner"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"forum_pk": w.marac.pk},
        record=lambda w: ("meetings.forum", w.marac.pk),
    ),
    RoleCase(
        "actions:prompt",
        allowed=("coordinator",),
        refused=("om", "marac", "chair", "partner", "analyst"),
        kwargs=_prompt,
        record=lambda w: ("actions.prompt", records(w).prompt.pk),
    ),
    RoleCase(
        "actions:prompt",
        label="post",
        method="post",
        data=lambda w: {"decision": "not_referred", "decision_rationale": "Level 1 management is working well."},
        allowed=("coordinator",),
        refused=("om", "supervisor"),
        ok_status=(302,),
        kwargs=_prompt,
        record=lambda w: ("actions.prompt", records(w).prompt.pk),
    ),
]

# Running the Category 3 scan now (a background job): MAPPA coordinators of a Responsible Authority only.
NOT_SCAN = ("om", "om2", "supervisor", "chair", "marac", "idva", "partner", "analyst", "admin", "norole")
CASES += [
    RoleCase(
        "actions:category3",
        allowed=("coordinator",),
        refused=NOT_SCAN,
        record=lambda w: ("jobs.job", None),
    ),
    RoleCase(
        "actions:category3",
        allowed=("coordinator",),
        refused=("om", "marac", "analyst"),
        method="post",
        ok_status=(302,),
        label="run",
    ),
]
