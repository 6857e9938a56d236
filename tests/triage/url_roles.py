"""Every triage page, as roles that may and may not use it (tests/builders.py builds the triage).

The triage forum's members are police, housing and children's services; the MARAC coordinator coordinates
it. Area case workers of Responsible Authorities see the board; the IDVA service is not on this triage.
"""

from tests.url_matrix import RoleCase

from .builders import build

SEE = ("marac", "partner", "om", "coordinator", "chair")
NOT_SEE = ("idva", "analyst", "admin", "norole", "away_om")
# may_triage: the coordinator and the member agencies' practitioners (police officers, the housing partner).
TRIAGE = ("marac", "partner", "om")
NOT_TRIAGE = ("chair", "idva", "analyst", "norole", "away_om")
RUN = ("marac",)
NOT_RUN = ("partner", "om", "chair", "idva", "analyst", "norole")


def _forum(world):
    return {"forum_pk": build(world).forum.pk}


def _meeting(world):
    return {"pk": build(world).meeting.pk}


def _case(world):
    return {"pk": build(world).case.pk}


def _case_record(world):
    return ("triage.triagecase", build(world).case.pk)


def _meeting_record(world):
    return ("meetings.meeting", build(world).meeting.pk)


CASES = [
    # Signed out (an inactive account): sent to sign in, like every page.
    *(
        RoleCase(name, label="inactive", allowed=(), refused=("inactive",), kwargs=kw, refused_status=(302,))
        for name, kw in (("triage:index", lambda w: {}), ("triage:board", _meeting), ("triage:case", _case))
    ),
    RoleCase("triage:index", allowed=SEE, refused=NOT_SEE, kwargs=lambda w: build(w) and {}),
    RoleCase("triage:today", allowed=SEE, refused=NOT_SEE, kwargs=_forum, ok_status=(200, 302)),
    RoleCase("triage:meetings", allowed=SEE, refused=NOT_SEE, kwargs=_forum),
    RoleCase("triage:open", allowed=RUN, refused=NOT_RUN, kwargs=_forum, method="post", ok_status=(200, 302)),
    RoleCase("triage:board", allowed=SEE, refused=NOT_SEE, kwargs=_meeting, record=_meeting_record),
    RoleCase("triage:load", allowed=RUN, refused=NOT_RUN, kwargs=_meeting, method="post", ok_status=(302,)),
    RoleCase("triage:add-incident", allowed=RUN, refused=NOT_RUN, kwargs=_meeting),
    RoleCase(
        "triage:add-incident",
        allowed=RUN,
        refused=NOT_RUN,
        kwargs=_meeting,
        method="post",
        data=lambda w: {"reference": "NT/NONE/1", "reason": "Recorded after its day's triage."},
        label="post",
    ),
    RoleCase(
        "triage:close",
        allowed=RUN,
        refused=NOT_RUN,
        kwargs=_meeting,
        method="post",
        data=lambda w: {"version": str(build(w).meeting.version)},
        ok_status=(302,),
        record=_meeting_record,
    ),
    RoleCase("triage:close", allowed=RUN, refused=NOT_RUN, kwargs=_meeting, record=_meeting_record, label="ask"),
    RoleCase(
        "triage:reopen",
        allowed=RUN,
        refused=NOT_RUN,
        kwargs=_meeting,
        method="post",
        data=lambda w: {"version": str(build(w).meeting.version)},
        ok_status=(200, 302),
        record=_meeting_record,
    ),
    RoleCase("triage:case", allowed=SEE, refused=NOT_SEE, kwargs=_case, record=_case_record),
    RoleCase(
        "triage:grade",
        allowed=TRIAGE,
        refused=NOT_TRIAGE,
        kwargs=_case,
        method="post",
        data=lambda w: {"grade-grade": "amber", "grade-version": str(build(w).case.version)},
        ok_status=(302,),
        record=_case_record,
    ),
    RoleCase(
        "triage:safety-plan",
        allowed=TRIAGE,
        refused=NOT_TRIAGE,
        kwargs=_case,
        method="post",
        data=lambda w: {"plan-plan": "Panic alarm fitted; IDVA to call.", "plan-version": str(build(w).case.version)},
        ok_status=(302,),
        record=_case_record,
    ),
    RoleCase("triage:marac-referral", allowed=TRIAGE, refused=NOT_TRIAGE, kwargs=_case, record=_case_record),
    RoleCase(
        "triage:marac-referral",
        allowed=TRIAGE,
        refused=NOT_TRIAGE,
        kwargs=_case,
        method="post",
        data=lambda w: {
            "forum": str(w.marac.pk),
            "incident_date": build(w).day.isoformat(),
            "criteria": "professional_judgement",
            "professional_judgement_reason": "Third incident this month; strangulation reported.",
            "victim_aware": "yes",
            "victim_consents": "yes",
            "version": str(build(w).case.version),
        },
        ok_status=(302,),
        label="post",
    ),
    RoleCase(
        "triage:safeguarding-referral",
        allowed=TRIAGE,
        refused=NOT_TRIAGE,
        kwargs=_case,
        method="post",
        data=lambda w: {
            "safeguarding-agency": str(build(w).childrens.pk),
            "safeguarding-note": "Child present: referred to the front door.",
            "safeguarding-version": str(build(w).case.version),
        },
        ok_status=(302,),
        record=_case_record,
    ),
    RoleCase(
        "triage:no-further-action",
        allowed=TRIAGE,
        refused=NOT_TRIAGE,
        kwargs=_case,
        method="post",
        data=lambda w: {"nfa-reason": "Verbal argument only; both safe.", "nfa-version": str(build(w).case.version)},
        ok_status=(302,),
        record=_case_record,
    ),
    RoleCase(
        "triage:encompass",
        allowed=TRIAGE,
        refused=NOT_TRIAGE,
        kwargs=lambda w: {"pk": build(w).case.pk, "child_pk": build(w).child.pk},
        record=_case_record,
    ),
]
