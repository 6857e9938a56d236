"""Role cases for the workforce training pages (collected by tests/workforce/url_roles.py).

The `world` fixture has no training records, so the cases build the few they need on it the first time
they are asked (``records(world)``): a completion, waiting-list entries and a buddy pairing for `om`
(supervised by `supervisor`), and places on a MOSOVO run in the home area.

Who may do what (safeguard.access.policy): an officer sees their own training; the supervisor of their
team sees and records it; the MAPPA coordinator and a chair of the area see it. Course places: a
supervisor or the MAPPA coordinator of the area.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from safeguard.workforce.catalogue import sync_courses
from safeguard.workforce.models import Buddy, Course, CoursePlace, Staff, TrainingCompletion, WaitingListEntry
from tests.url_matrix import RoleCase

STAFF = "workforce.staff"
EVERY_ROLE = ("om", "supervisor", "coordinator", "chair", "marac", "idva", "partner", "analyst", "admin")
# Those who may see om's training, and some who may not.
SEE_OM = ("om", "supervisor", "coordinator", "chair")
NOT_SEE_OM = ("om2", "marac", "idva", "analyst", "admin", "away_om", "norole")
# Only om's supervisor records om's training.
CHANGE_OM = ("supervisor",)
NOT_CHANGE_OM = ("om", "coordinator", "chair", "om2", "analyst", "norole")


def records(world) -> SimpleNamespace:
    """The training records the cases use, made once per world."""
    found = getattr(world, "training", None)
    if found is not None:
        return found
    sync_courses()
    today = dt.date.today()
    om, supervisor = world.users.om, world.users.supervisor
    mosovo, arms, visor = (Course.objects.get(code=c) for c in ("mosovo", "arms", "visor"))
    trained = Staff.objects.create(
        username="trained_om",
        agency=world.police,
        team=om.team,
        roles=["offender_manager"],
        rank_or_grade="Detective Constable",
    )
    TrainingCompletion.objects.create(
        staff=trained, course=mosovo, completed_on=today - dt.timedelta(days=400), recorded_by=supervisor
    )
    completion = TrainingCompletion.objects.create(
        staff=om, course=visor, completed_on=today - dt.timedelta(days=30), recorded_by=supervisor
    )
    place = CoursePlace.objects.create(
        course=mosovo,
        offered_by="Neighbouring Police",
        starts_on=today + dt.timedelta(days=20),
        places=2,
        area=world.home["mappa"],
        recorded_by=supervisor,
    )
    arms_place = CoursePlace.objects.create(
        course=arms,
        offered_by="Force trainers",
        starts_on=today + dt.timedelta(days=40),
        places=4,
        area=world.home["mappa"],
        recorded_by=supervisor,
    )
    waiting = WaitingListEntry.objects.create(staff=om, course=mosovo, joined_on=today - dt.timedelta(days=60))
    offered = WaitingListEntry.objects.create(
        staff=om, course=arms, joined_on=today - dt.timedelta(days=10), status="offered", place=arms_place
    )
    buddy = Buddy.objects.create(
        new_joiner=om, buddy=trained, started_on=today - dt.timedelta(days=5), recorded_by=supervisor
    )
    world.training = SimpleNamespace(
        trained=trained,
        completion=completion,
        place=place,
        waiting=waiting,
        offered=offered,
        buddy=buddy,
        mosovo=mosovo,
        arms=arms,
        today=today,
    )
    return world.training


def _om(w) -> dict:
    records(w)
    return {"pk": w.users.om.pk}


def _om_record(w) -> tuple[str, int]:
    return (STAFF, w.users.om.pk)


def _pk(name: str):
    return lambda w: {"pk": getattr(records(w), name).pk}


def _record(model: str, name: str):
    return lambda w: (model, getattr(records(w), name).pk)


def _latest(model, **filters):
    def record(w):
        found = model.objects.filter(**{k: v(w) for k, v in filters.items()}).order_by("-pk").first()
        return (model._meta.label_lower, found.pk if found else -1)

    return record


def _iso(days: int = 0):
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


COMPLETION = "workforce.trainingcompletion"
ENTRY = "workforce.waitinglistentry"
BUDDY = "workforce.buddy"
PLACE = "workforce.courseplace"

CASES: list[RoleCase] = [
    # The training page: every role sees at least their own record; no role, nothing (404, audited).
    RoleCase("workforce:training", allowed=EVERY_ROLE, refused=(), record=lambda w: (STAFF, None)),
    RoleCase(
        "workforce:training",
        label="no-role",
        allowed=(),
        refused=("norole",),
        record=lambda w: (STAFF, w.users.norole.pk),
    ),
    RoleCase("workforce:training", label="inactive", allowed=(), refused=("inactive",), refused_status=(302,)),
    RoleCase(
        "workforce:training-officer",
        kwargs=_om,
        allowed=SEE_OM,
        refused=NOT_SEE_OM,
        record=_om_record,
    ),
    # Forms on om's records: the supervisor of om's team only.
    RoleCase("workforce:training-record", kwargs=_om, allowed=CHANGE_OM, refused=NOT_CHANGE_OM, record=_om_record),
    RoleCase(
        "workforce:training-record",
        label="post",
        method="post",
        kwargs=_om,
        data=lambda w: {"course": records(w).mosovo.pk, "completed_on": _iso(-3)},
        allowed=CHANGE_OM,
        refused=(),
        ok_status=(302,),
        record=_latest(TrainingCompletion, staff=lambda w: w.users.om, course__code=lambda w: "mosovo"),
    ),
    RoleCase(
        "workforce:training-record",
        label="post-refused",
        method="post",
        kwargs=_om,
        data=lambda w: {"course": records(w).mosovo.pk, "completed_on": _iso(-3)},
        allowed=(),
        refused=("om", "coordinator", "chair"),
        record=_om_record,
    ),
    RoleCase("workforce:training-wait", kwargs=_om, allowed=CHANGE_OM, refused=NOT_CHANGE_OM, record=_om_record),
    RoleCase(
        "workforce:training-wait",
        label="post",
        method="post",
        kwargs=_om,
        data=lambda w: {"course": Course.objects.get(code="digital_investigation").pk},
        allowed=CHANGE_OM,
        refused=(),
        ok_status=(302,),
        record=_latest(WaitingListEntry, staff=lambda w: w.users.om, course__code=lambda w: "digital_investigation"),
    ),
    RoleCase(
        "workforce:training-wait",
        label="post-refused",
        method="post",
        kwargs=_om,
        data=lambda w: {"course": Course.objects.get(code="digital_investigation").pk},
        allowed=(),
        refused=("om", "coordinator"),
        record=_om_record,
    ),
    RoleCase("workforce:training-buddy", kwargs=_om, allowed=CHANGE_OM, refused=NOT_CHANGE_OM, record=_om_record),
    RoleCase(
        "workforce:training-buddy",
        label="post-refused",
        method="post",
        kwargs=_om,
        data=lambda w: {"buddy": records(w).trained.pk},
        allowed=(),
        refused=("om", "coordinator"),
        record=_om_record,
    ),
    RoleCase(
        "workforce:training-correct",
        kwargs=_pk("completion"),
        allowed=CHANGE_OM,
        refused=NOT_CHANGE_OM,
        record=_record(COMPLETION, "completion"),
    ),
    RoleCase(
        "workforce:training-correct",
        label="post",
        method="post",
        kwargs=_pk("completion"),
        data=lambda w: {
            "course": records(w).completion.course_id,
            "completed_on": _iso(-31),
            "reason": "The certificate gives the day before.",
        },
        allowed=CHANGE_OM,
        refused=("om", "coordinator"),
        ok_status=(302,),
        record=_record(COMPLETION, "completion"),
    ),
    RoleCase(
        "workforce:training-remove",
        kwargs=_pk("completion"),
        allowed=CHANGE_OM,
        refused=NOT_CHANGE_OM,
        record=_record(COMPLETION, "completion"),
    ),
    RoleCase(
        "workforce:training-remove",
        label="post",
        method="post",
        kwargs=_pk("completion"),
        data=lambda w: {"reason": "Recorded against the wrong officer."},
        allowed=CHANGE_OM,
        refused=("om", "chair"),
        ok_status=(302,),
        record=_record(COMPLETION, "completion"),
    ),
    RoleCase(
        "workforce:training-entry",
        kwargs=_pk("offered"),
        allowed=CHANGE_OM,
        refused=NOT_CHANGE_OM,
        record=_record(ENTRY, "offered"),
    ),
    RoleCase(
        "workforce:training-entry",
        label="post",
        method="post",
        kwargs=_pk("offered"),
        data=lambda w: {"action": "booked", "version": records(w).offered.version},
        allowed=CHANGE_OM,
        refused=("om", "coordinator"),
        ok_status=(302,),
        record=_record(ENTRY, "offered"),
    ),
    RoleCase(
        "workforce:training-buddy-end",
        kwargs=_pk("buddy"),
        allowed=CHANGE_OM,
        refused=NOT_CHANGE_OM,
        record=_record(BUDDY, "buddy"),
    ),
    RoleCase(
        "workforce:training-buddy-end",
        label="post",
        method="post",
        kwargs=_pk("buddy"),
        data=lambda w: {},
        allowed=CHANGE_OM,
        refused=("om", "coordinator"),
        ok_status=(302,),
        record=_record(BUDDY, "buddy"),
    ),
    # Course places belong to the area: a supervisor or the MAPPA coordinator records them.
    RoleCase("workforce:training-places", allowed=("supervisor", "coordinator"), refused=()),
    RoleCase(
        "workforce:training-places",
        label="refused",
        allowed=(),
        refused=("om", "chair", "marac", "analyst", "admin", "norole", "away_om"),
        record=lambda w: (PLACE, None),
    ),
    RoleCase(
        "workforce:training-places",
        label="post",
        method="post",
        data=lambda w: {
            "course": Course.objects.get(code="mosovo").pk,
            "offered_by": "Neighbouring Police",
            "starts_on": _iso(30),
            "places": "3",
        },
        allowed=("supervisor", "coordinator"),
        refused=("om", "chair"),
        ok_status=(302,),
    ),
    RoleCase(
        "workforce:training-offer",
        kwargs=_pk("place"),
        allowed=("supervisor", "coordinator"),
        refused=(),
        record=lambda w: (STAFF, None),
    ),
    RoleCase(
        "workforce:training-offer",
        label="refused",
        kwargs=_pk("place"),
        allowed=(),
        refused=("om", "chair", "analyst", "away_om"),
        record=_record(PLACE, "place"),
    ),
    RoleCase(
        "workforce:training-offer",
        label="post",
        method="post",
        kwargs=_pk("place"),
        data=lambda w: {"entries": [records(w).waiting.pk]},
        allowed=("supervisor",),
        refused=("om", "chair"),
        ok_status=(302,),
    ),
]
