from tests.url_matrix import RoleCase


def _nominal(world):
    return {"pk": world.nominals.mine.pk}


def _record(world):
    return ("offenders.nominal", world.nominals.mine.pk)


def _change_data(world):
    n = world.nominals.mine
    return {
        "mappa_category": "1",
        "management_level": "2",
        "offender_manager": str(world.users.om.pk),
        "lead_agency": str(n.lead_agency_id),
        "location": "community",
        "location_detail": "",
        "rosh": "high",
        "status": "active",
        "reason": "Escalated after new intelligence from the MARAC.",
        "version": str(n.version),
    }


CASES = [
    RoleCase(
        "offenders:nominal",
        allowed=("om", "om2", "coordinator", "supervisor", "chair", "marac"),
        refused=("partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=_nominal,
        record=_record,
    ),
    RoleCase(
        "offenders:history",
        allowed=("om", "coordinator", "chair"),
        refused=("partner", "analyst", "away_om"),
        kwargs=_nominal,
        record=_record,
    ),
    RoleCase(
        "offenders:change",
        allowed=("om", "coordinator", "supervisor"),
        refused=("om2", "chair", "marac", "partner", "analyst", "admin", "away_om"),
        kwargs=_nominal,
        record=_record,
    ),
    RoleCase(
        "offenders:change",
        label="post",
        method="post",
        data=_change_data,
        ok_status=(302,),
        allowed=("om", "coordinator", "supervisor"),
        refused=("om2", "chair", "partner", "analyst", "away_om"),
        kwargs=_nominal,
        record=_record,
    ),
    RoleCase(
        "offenders:access-log",
        allowed=("om", "coordinator", "supervisor"),
        refused=("om2", "chair", "partner", "analyst", "away_om"),
        kwargs=_nominal,
        record=_record,
    ),
]


def _open_data(world):
    return {
        "mappa_category": "2",
        "management_level": "1",
        "local_area": str(world.home["local"][0].pk),
        "lead_agency": str(world.police.pk),
        "offender_manager": "",
        "location": "community",
        "rosh": "medium",
        "managed_from": "2026-01-05",
    }


CASES += [
    RoleCase(
        "offenders:open",
        allowed=("om", "coordinator", "supervisor", "marac"),
        refused=("partner", "idva", "analyst", "admin", "away_om"),
        kwargs=lambda w: {"person_pk": w.people.other_offender.pk},
        record=lambda w: ("people.person", w.people.other_offender.pk),
    ),
    RoleCase(
        "offenders:open",
        label="post",
        method="post",
        data=_open_data,
        ok_status=(302,),
        allowed=("om", "coordinator", "supervisor"),
        refused=("partner", "analyst", "away_om"),
        kwargs=lambda w: {"person_pk": w.people.other_offender.pk},
        record=lambda w: ("people.person", w.people.other_offender.pk),
    ),
]
