"""Role cases for the meetings core pages (collected by tests/meetings/url_roles.py).

The records come from ``tests.meetings.builders.records(world)``: a MAPPA Level 2 forum whose members are
the police and probation (so the housing partner and the IDVA are not), and the world's MARAC (police,
housing, IDVA service). The MAPPA coordinator coordinates the MAPPA forum; the MARAC coordinator the MARAC;
``chair`` chairs the MAPPA meetings. Refusals are 404s, never 403s.
"""

from __future__ import annotations

from tests.meetings.builders import records
from tests.url_matrix import RoleCase

MEETING = "meetings.meeting"
ITEM = "meetings.agendaitem"

# Who may see the MAPPA forum (coordinator, its member agencies' staff) and who may not.
SEE_MAPPA = ("coordinator", "om", "chair", "supervisor")
NOT_SEE_MAPPA = ("partner", "idva", "analyst", "admin", "away_om", "norole")
# Who runs a MAPPA meeting chaired by `chair`: its coordinator and its chair.
RUN_MAPPA = ("coordinator", "chair")
NOT_RUN_MAPPA = ("om", "supervisor", "partner", "marac", "analyst")
# Only the forum's coordinator schedules, builds the agenda, sets the chair, moves and cancels.
COORDINATE_MAPPA = ("coordinator",)
NOT_COORDINATE_MAPPA = ("chair", "om", "partner", "marac")


def _version(meeting_of):
    return lambda world: {"version": meeting_of(records(world)).version}


CASES: list[RoleCase] = [
    RoleCase(
        "meetings:forums",
        allowed=("coordinator", "om", "chair", "marac", "partner", "idva"),
        refused=("analyst", "admin", "norole"),
    ),
    RoleCase(
        "meetings:forum",
        allowed=SEE_MAPPA,
        refused=NOT_SEE_MAPPA,
        kwargs=lambda world: {"pk": records(world).forum.pk},
        record=lambda world: ("meetings.forum", records(world).forum.pk),
    ),
    RoleCase(
        "meetings:forum",
        label="marac",
        allowed=("marac", "partner", "idva"),
        refused=("away_om", "analyst"),
        kwargs=lambda world: {"pk": world.marac.pk},
    ),
    RoleCase(
        "meetings:schedule",
        method="post",
        data=lambda world: {"weeks": 4},
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).forum.pk},
        record=lambda world: ("meetings.forum", records(world).forum.pk),
    ),
    RoleCase(
        "meetings:move",
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        kwargs=lambda world: {"pk": records(world).next.pk},
    ),
    RoleCase(
        "meetings:cancel",
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        kwargs=lambda world: {"pk": records(world).next.pk},
    ),
    RoleCase(
        "meetings:cancel",
        label="post",
        method="post",
        data=lambda world: {"version": records(world).next.version, "reason": "The chair is on leave that week."},
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).next.pk},
    ),
    RoleCase(
        "meetings:meeting",
        allowed=SEE_MAPPA,
        refused=NOT_SEE_MAPPA,
        kwargs=lambda world: {"pk": records(world).now.pk},
        record=lambda world: (MEETING, records(world).now.pk),
    ),
    RoleCase(
        "meetings:build-agenda",
        method="post",
        data=_version(lambda r: r.next),
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).next.pk},
    ),
    RoleCase(
        "meetings:chair",
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        kwargs=lambda world: {"pk": records(world).next.pk},
    ),
    RoleCase(
        "meetings:chair",
        label="post",
        method="post",
        data=lambda world: {"version": records(world).next.version, "chair": world.users.chair.pk},
        allowed=COORDINATE_MAPPA,
        refused=NOT_COORDINATE_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).next.pk},
    ),
    RoleCase(
        "meetings:start",
        method="post",
        data=_version(lambda r: r.today),
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).today.pk},
        record=lambda world: (MEETING, records(world).today.pk),
    ),
    RoleCase(
        "meetings:confidentiality",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:attendance",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:attendance",
        label="post",
        method="post",
        data=lambda world: {"agency": world.probation.pk, "name": "Sam Probation", "presence": "present"},
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:end",
        method="post",
        data=_version(lambda r: r.done),
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).done.pk},
        record=lambda world: (MEETING, records(world).done.pk),
    ),
    RoleCase(
        "meetings:end",
        label="ask",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).now.pk},
        record=lambda world: (MEETING, records(world).now.pk),
    ),
    RoleCase(
        "meetings:reopen",
        method="post",
        data=_version(lambda r: r.now),
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(200,),  # in progress, not held: the meeting page says why it cannot be reopened
        kwargs=lambda world: {"pk": records(world).now.pk},
        record=lambda world: (MEETING, records(world).now.pk),
    ),
    RoleCase(
        "meetings:run",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:run-case",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
        record=lambda world: (ITEM, records(world).item.pk),
    ),
    RoleCase(
        "meetings:attendance-list",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).now.pk},
        record=lambda world: (MEETING, records(world).now.pk),
    ),
    RoleCase(
        "meetings:attendance-list",
        label="post",
        method="post",
        data=lambda world: {f"others_{world.probation.pk}": "Sam Probation, Senior Probation Officer"},
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:defer",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:defer",
        label="post",
        method="post",
        data=lambda world: {
            "items": [records(world).item.pk],
            "reason": "Out of time: the panel ran late.",
            "confirmed": "yes",
        },
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).now.pk},
    ),
    RoleCase(
        "meetings:item",
        allowed=SEE_MAPPA,
        refused=NOT_SEE_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
        record=lambda world: (ITEM, records(world).item.pk),
    ),
    RoleCase(
        "meetings:item",
        label="marac",
        allowed=("marac", "partner", "idva", "coordinator"),
        refused=("away_om", "analyst", "admin", "norole"),
        kwargs=lambda world: {"pk": records(world).marac_item.pk},
        record=lambda world: (ITEM, records(world).marac_item.pk),
    ),
    RoleCase(
        "meetings:share",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:share",
        label="marac post",
        method="post",
        data=lambda world: {"agency": world.housing.pk, "content": "Housing: a tenancy warning was issued."},
        allowed=("marac",),
        refused=("partner", "idva", "coordinator", "chair"),
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).marac_item.pk},
    ),
    RoleCase(
        "meetings:levels",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:decision",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:decision",
        label="post",
        method="post",
        data=lambda world: {"text": "Refer to approved premises", "rationale": "No suitable address on release."},
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        ok_status=(302,),
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:plan",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:action",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:outcome",
        allowed=RUN_MAPPA,
        refused=NOT_RUN_MAPPA,
        kwargs=lambda world: {"pk": records(world).item.pk},
    ),
    RoleCase(
        "meetings:plan-version",
        allowed=SEE_MAPPA,
        refused=("partner", "analyst", "admin", "away_om", "norole"),
        kwargs=lambda world: {"pk": records(world).plan.pk},
        record=lambda world: ("meetings.riskmanagementplan", records(world).plan.pk),
    ),
]
