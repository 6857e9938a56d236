"""Every API route, as users who may use it and users who may not (tests/access/test_url_matrix.py runs them).

Lists answer every signed-in user (scoped: an analyst's list is empty); the
refused user there is one whose account is deactivated, who is not signed in
at all (403). Records answer 404 to anyone outside their need to know.
"""

from tests.events.url_roles import conviction
from tests.helpers import EVERY_SIGNED_IN, incident, offence
from tests.people.url_roles import alias, marker, marker_id, relationship
from tests.url_matrix import RoleCase

NOT_SIGNED_IN = {"refused": ("inactive",), "refused_status": (401, 403)}

# Who may see, and who may record on, the offender (a person of the home MAPPA area).
SEE_OFFENDER = ("om", "om2", "coordinator", "supervisor", "chair", "marac")
NOT_SEE_OFFENDER = ("idva", "partner", "analyst", "admin", "away_om", "norole")
RECORD_ON_OFFENDER = ("om", "om2", "coordinator", "supervisor", "marac")
NOT_RECORD_ON_OFFENDER = ("chair", "idva", "partner", "analyst", "admin", "away_om", "norole")


def _offender(world):
    return {"pk": world.people.offender.pk}


def _offender_record(world):
    return ("people.person", world.people.offender.pk)


def _nominal(world):
    return {"pk": world.nominals.mine.pk}


def _nominal_record(world):
    return ("offenders.nominal", world.nominals.mine.pk)


def _incident(world):
    return {"pk": incident(world).pk}


def _incident_record(world):
    return ("events.incident", incident(world).pk)


def _incident_data(w):
    return {
        "reference": "TEST-INC-0100",
        "occurred_at": "2025-06-01T21:30:00Z",
        "local_area": w.home["local"][0].pk,
        "domestic_abuse": True,
        "offence": offence().code,
        "people": [
            {"person": w.people.offender.pk, "role": "perpetrator"},
            {"person": w.people.victim.pk, "role": "victim"},
        ],
    }


CASES = [
    # The schema and its documentation page: any signed-in user; nobody who is not signed in.
    RoleCase("api-schema", allowed=EVERY_SIGNED_IN, **NOT_SIGNED_IN),
    RoleCase("api-docs", allowed=EVERY_SIGNED_IN, refused=("inactive",), refused_status=(302,)),
    # People -------------------------------------------------------------------
    RoleCase("api-person-list", allowed=EVERY_SIGNED_IN, record=lambda w: ("people.person", None), **NOT_SIGNED_IN),
    RoleCase(
        "api-person-search",
        method="post",
        json=True,
        data=lambda w: {"name": "Jonathon Smyth"},
        allowed=EVERY_SIGNED_IN,
        record=lambda w: ("people.person", None),
        **NOT_SIGNED_IN,
    ),
    RoleCase(
        "api-person-list",
        label="create",
        method="post",
        json=True,
        data=lambda w: {"given_name": "Robin", "family_name": "Testcase", "date_of_birth": "1991-04-01"},
        ok_status=(201,),
        # An away-area offender manager records people in their own area.
        allowed=(*RECORD_ON_OFFENDER, "away_om"),
        refused=("chair", "idva", "partner", "analyst", "admin", "norole", "inactive"),
        refused_status=(403, 404),
    ),
    RoleCase(
        "api-person-detail",
        allowed=SEE_OFFENDER,
        refused=NOT_SEE_OFFENDER,
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "api-person-detail",
        label="victim",
        allowed=(*SEE_OFFENDER, "idva", "partner"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"pk": w.people.victim.pk},
        record=lambda w: ("people.person", w.people.victim.pk),
    ),
    RoleCase(
        "api-person-detail",
        label="patch",
        method="patch",
        json=True,
        data=lambda w: {"version": w.people.offender.version, "middle_names": "Andrew"},
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "api-person-aliases",
        method="post",
        json=True,
        data=lambda w: {"kind": "alias", "given_name": "Jon", "family_name": "Smythe"},
        ok_status=(201,),
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_offender,
    ),
    RoleCase(
        "api-person-addresses",
        method="post",
        json=True,
        data=lambda w: {
            "kind": "home",
            "line_1": "1 Fictional Street",
            "postcode": "ZZ1 1ZZ",
            "from_date": "2024-01-01",
        },
        ok_status=(201,),
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_offender,
    ),
    RoleCase(
        "api-person-warning-markers",
        method="post",
        json=True,
        data=lambda w: {"code": "VI", "note": "Assaulted an officer"},
        ok_status=(201,),
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_offender,
    ),
    RoleCase(
        "api-person-relationships",
        allowed=SEE_OFFENDER,
        refused=NOT_SEE_OFFENDER,
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "api-person-relationships",
        label="post",
        method="post",
        json=True,
        data=lambda w: {
            "other": w.people.victim.pk,
            "kind": "intimate_partner",
            "former": True,
            "personal_connection": "intimate_relationship",
            "domestic_abuse": True,
        },
        ok_status=(201,),
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_offender,
    ),
    RoleCase(
        "api-person-convictions",
        allowed=SEE_OFFENDER,
        refused=NOT_SEE_OFFENDER,
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "api-person-convictions",
        label="post",
        method="post",
        json=True,
        data=lambda w: {
            "offence": offence().code,
            "relevant_date": "2019-03-04",
            "sentence_date": "2019-04-01",
            "disposal": "community_order",
            "court": "Fictional Crown Court",
        },
        ok_status=(201,),
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_offender,
    ),
    # Incidents ----------------------------------------------------------------
    RoleCase("api-incident-list", allowed=EVERY_SIGNED_IN, record=lambda w: ("events.incident", None), **NOT_SIGNED_IN),
    RoleCase(
        "api-incident-list",
        label="create",
        method="post",
        json=True,
        data=_incident_data,
        ok_status=(201,),
        allowed=RECORD_ON_OFFENDER,
        # The chair may see both people but may not record incidents: the gate refuses.
        refused=("chair",),
    ),
    RoleCase(
        "api-incident-list",
        label="create-unseen-person",
        method="post",
        json=True,
        data=_incident_data,
        ok_status=(201,),
        allowed=("marac",),
        # They may not see the perpetrator: it reads as no such person (400 on `people`), nothing saved.
        refused=("idva", "partner", "analyst", "admin", "away_om", "norole"),
        refused_status=(400,),
    ),
    RoleCase(
        "api-incident-detail",
        # IDVA and partner see it through the victim, whose case is on their MARAC.
        allowed=(*SEE_OFFENDER, "idva", "partner"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=_incident,
        record=_incident_record,
    ),
    # Nominals -----------------------------------------------------------------
    RoleCase(
        "api-nominal-list", allowed=EVERY_SIGNED_IN, record=lambda w: ("offenders.nominal", None), **NOT_SIGNED_IN
    ),
    RoleCase(
        "api-nominal-detail",
        allowed=SEE_OFFENDER,
        refused=NOT_SEE_OFFENDER,
        kwargs=_nominal,
        record=_nominal_record,
    ),
    RoleCase(
        "api-nominal-detail",
        label="patch",
        method="patch",
        json=True,
        data=lambda w: {"version": w.nominals.mine.version, "rosh": "very_high"},
        allowed=("om", "coordinator", "supervisor"),
        refused=("om2", "chair", "marac", "idva", "partner", "analyst", "admin", "away_om", "norole"),
        kwargs=_nominal,
        record=_nominal_record,
    ),
    RoleCase(
        "api-nominal-history",
        allowed=SEE_OFFENDER,
        refused=NOT_SEE_OFFENDER,
        kwargs=_nominal,
        record=_nominal_record,
    ),
]


def _open_data(world):
    return {
        "person": world.people.other_offender.pk,
        "mappa_category": "2",
        "management_level": 1,
        "local_area": world.home["local"][0].pk,
        "lead_agency": world.police.pk,
        "location": "community",
        "rosh": "medium",
        "managed_from": "2026-01-05",
    }


CASES += [
    RoleCase(
        "api-nominal-list",
        label="create",
        method="post",
        json=True,
        data=_open_data,
        ok_status=(201,),
        allowed=("om", "om2", "coordinator", "supervisor"),
        # They may see the person but may not open nominals: the gate refuses.
        refused=("chair", "marac"),
    ),
    RoleCase(
        "api-nominal-list",
        label="create-unseen-person",
        method="post",
        json=True,
        data=_open_data,
        ok_status=(201,),
        allowed=("coordinator",),
        # They may not see the person: it reads as no such person (400 on `person`), nothing saved.
        refused=("idva", "partner", "analyst", "admin", "away_om", "norole"),
        refused_status=(400,),
    ),
]


# Changing recorded parts ------------------------------------------------------


def _part(url_name, build, record_type, data, *, label="", method="patch", ok_status=(200,)):
    return RoleCase(
        url_name,
        label=label,
        method=method,
        json=True,
        data=data,
        ok_status=ok_status,
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=lambda w: {"pk": build(w).pk},
        record=lambda w: (record_type, build(w).pk),
    )


CASES += [
    RoleCase(
        "api-incident-detail",
        label="patch",
        method="patch",
        json=True,
        data=lambda w: {"place": "Car park", "domestic_abuse": False, "version": 1},
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=_incident,
        record=_incident_record,
    ),
    _part(
        "api-conviction-detail",
        conviction,
        "events.conviction",
        lambda w: {"court": "Otherton Crown Court", "version": 1},
    ),
    _part("api-alias-detail", alias, "people.alias", lambda w: {"given_name": "Johnnie"}),
    _part("api-warning-marker-detail", marker, "people.warningmarker", lambda w: {"note": "Carries a knife"}),
    RoleCase(
        "api-warning-marker-detail",
        label="delete",
        method="delete",
        ok_status=(204,),
        allowed=RECORD_ON_OFFENDER,
        refused=NOT_RECORD_ON_OFFENDER,
        kwargs=lambda w: {"pk": marker(w).pk},
        record=lambda w: ("people.warningmarker", marker_id(w)),
    ),
    _part(
        "api-relationship-detail",
        relationship,
        "people.relationship",
        lambda w: {"former": True, "to_date": "2024-06-01"},
    ),
]
