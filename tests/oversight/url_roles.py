"""Role cases for the oversight pages: the index, the MAPPA annual tables (analysts, supervisors, MAPPA
coordinators and chairs of the area), the SafeLives return (the MARAC's coordinator; analysts of the area),
and a person's protected characteristics (recorded by those who may change the person)."""

from __future__ import annotations

from tests.url_matrix import RoleCase

ALLOWED = ("analyst", "supervisor", "coordinator", "chair")
REFUSED = ("om", "marac", "idva", "partner", "admin", "norole")
SAFELIVES = ("marac", "analyst")
NOT_SAFELIVES = ("om", "coordinator", "supervisor", "chair", "idva", "partner", "admin", "norole")
RECORDERS = ("om", "om2", "coordinator", "supervisor", "marac")
NOT_RECORDERS = ("chair", "partner", "idva", "analyst", "admin", "away_om", "norole")


def _record(world):
    return ("oversight.mappa_annual", world.home["mappa"].pk)


def _year(world):
    return {"year": 2026}


def _marac(world):
    return {"forum": world.marac.pk, "year": 2026, "quarter": 3}


def _marac_record(world):
    return ("oversight.safelives", world.marac.pk)


def _offender(world):
    return {"pk": world.people.offender.pk}


def _offender_record(world):
    return ("people.person", world.people.offender.pk)


PCC = ("analyst",)
NOT_PCC = ("om", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "admin", "norole")


def _area_record(world):
    return ("oversight.dashboard", world.home["mappa"].pk)


WITH_A_ROLE = ("om", "om2", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "analyst", "admin")


def _quality_record(world):
    return ("oversight.relationship_quality", world.home["mappa"].pk)


def _da_incident(world):
    from tests.helpers import incident

    return incident(world, "TEST-REL-0001")


def _incident_kwargs(world):
    return {"pk": _da_incident(world).pk}


def _incident_record(world):
    return ("events.incident", _da_incident(world).pk)


def _marac_case(world):
    from safeguard.referrals.models import Referral

    referral, made = Referral.objects.get_or_create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=world.people.victim,
        status=Referral.Status.ACCEPTED,
        referring_agency=world.police,
        referred_by=world.users.marac,
    )
    if made:
        referral.perpetrators.set([world.people.offender])
    return referral


def _case_kwargs(world):
    return {"pk": _marac_case(world).pk}


def _case_record(world):
    return ("referrals.referral", _marac_case(world).pk)


INCIDENT_READERS = ("om", "chair", "marac", "partner", "idva")
NOT_INCIDENT_READERS = ("analyst", "admin", "away_om", "norole")
BOTH_RECORDERS = ("om", "coordinator", "marac")
NOT_BOTH_RECORDERS = ("chair", "partner", "idva", "analyst", "away_om", "norole")


VOLUMES = (*ALLOWED, "marac")
NOT_VOLUMES = ("om", "idva", "partner", "admin", "norole")


def _volumes_record(world):
    return ("oversight.forum_volumes", world.home["mappa"].pk)


def _matac_record(world):
    return ("oversight.matac_outcomes", world.home["mappa"].pk)


CASES = [
    RoleCase("oversight:matac-outcomes", allowed=VOLUMES, refused=NOT_VOLUMES, record=_matac_record),
    RoleCase("oversight:forum-volumes", allowed=VOLUMES, refused=NOT_VOLUMES, record=_volumes_record),
    RoleCase("oversight:forum-volumes-csv", allowed=VOLUMES, refused=NOT_VOLUMES, record=_volumes_record),
    RoleCase("oversight:forum-volumes-xlsx", allowed=VOLUMES, refused=NOT_VOLUMES, record=_volumes_record),
    RoleCase(
        "oversight:relationships-record-incident",
        allowed=INCIDENT_READERS,
        refused=NOT_INCIDENT_READERS,
        kwargs=_incident_kwargs,
        record=_incident_record,
    ),
    RoleCase(
        "oversight:relationships-record-incident",
        label="post",
        method="post",
        data=lambda w: {"kind": "intimate_partner"},
        ok_status=(302,),
        allowed=BOTH_RECORDERS,
        refused=NOT_BOTH_RECORDERS,
        kwargs=_incident_kwargs,
    ),
    RoleCase(
        "oversight:relationships-record-case",
        allowed=("marac", "om", "chair", "partner", "idva"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=_case_kwargs,
        record=_case_record,
    ),
    RoleCase(
        "oversight:relationships-record-case",
        label="post",
        method="post",
        data=lambda w: {"kind": "intimate_partner"},
        ok_status=(302,),
        allowed=BOTH_RECORDERS,
        refused=NOT_BOTH_RECORDERS,
        kwargs=_case_kwargs,
    ),
    RoleCase("oversight:relationships", allowed=ALLOWED, refused=REFUSED, record=_quality_record),
    RoleCase("oversight:relationships-missing", allowed=WITH_A_ROLE, refused=("norole",)),
    RoleCase("oversight:dashboard", allowed=PCC, refused=NOT_PCC, record=_area_record),
    RoleCase("oversight:dashboard-csv", allowed=PCC, refused=NOT_PCC, record=_area_record),
    RoleCase("oversight:dashboard-xlsx", allowed=PCC, refused=NOT_PCC, record=_area_record),
    RoleCase("oversight:index", allowed=(*ALLOWED, "marac"), refused=("om", "idva", "partner", "admin", "norole")),
    RoleCase("oversight:mappa-annual", allowed=ALLOWED, refused=REFUSED, record=_record),
    RoleCase("oversight:mappa-annual-csv", allowed=ALLOWED, refused=REFUSED, kwargs=_year, record=_record),
    RoleCase("oversight:mappa-annual-xlsx", allowed=ALLOWED, refused=REFUSED, kwargs=_year, record=_record),
    RoleCase("oversight:safelives", allowed=SAFELIVES, refused=NOT_SAFELIVES),
    RoleCase("oversight:safelives-csv", allowed=SAFELIVES, refused=NOT_SAFELIVES, kwargs=_marac, record=_marac_record),
    RoleCase("oversight:safelives-xlsx", allowed=SAFELIVES, refused=NOT_SAFELIVES, kwargs=_marac, record=_marac_record),
    RoleCase(
        "oversight:characteristics", allowed=RECORDERS, refused=NOT_RECORDERS, kwargs=_offender, record=_offender_record
    ),
    RoleCase(
        "oversight:characteristics",
        label="post",
        method="post",
        data=lambda w: {"disabled": "not_known", "lgbt_plus": "prefer_not", "ethnicity_answer": "stated"},
        ok_status=(302,),
        allowed=("om", "coordinator", "marac"),
        refused=("chair", "partner", "idva", "analyst", "away_om"),
        kwargs=_offender,
        record=_offender_record,
    ),
]
