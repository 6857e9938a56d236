"""Every event page, as roles that may and may not use it."""

import datetime as dt

from django.utils import timezone

from safeguard.events.models import Conviction, Incident, IncidentPerson, Offence
from tests import helpers
from tests.url_matrix import RoleCase

RECORDERS = ("om", "om2", "coordinator", "supervisor", "marac")


def offence(code: str = "OAPA1861-s47") -> Offence:
    return helpers.offence(code, description="Assault occasioning actual bodily harm", statute="OAPA 1861 s.47")


def incident(world) -> Incident:
    """A domestic-abuse incident in the home area: the offender against the victim (on the MARAC)."""
    return helpers.incident(world, "NT/2025/000123", days_ago=30, offence_code=None, place="Victim's home address")


def conviction_data(world, **changes) -> dict:
    data = {
        "kind": "conviction",
        "offence": str(offence().pk),
        "relevant_date_0": "14",
        "relevant_date_1": "2",
        "relevant_date_2": "2019",
        "disposal": "imprisonment",
        "term_months": "30",
        "court": "Northtown Crown Court",
    }
    return data | changes


def incident_data(world, **changes) -> dict:
    data = {
        "action": "save",
        "person": [str(world.people.offender.pk)],
        f"role_{world.people.offender.pk}": "perpetrator",
        "reference": "NT/2025/000999",
        "occurred_on_0": "3",
        "occurred_on_1": "1",
        "occurred_on_2": "2025",
        "occurred_time": "21:30",
        "place": "Shared home address",
        "local_area": str(world.home["local"][0].pk),
        "domestic_abuse": "on",
        "summary": "Neighbour reported shouting.",
    }
    return data | changes


def _offender(world):
    return {"person_pk": world.people.offender.pk}


def _offender_record(world):
    return ("people.person", world.people.offender.pk)


CASES = [
    RoleCase(
        "events:record-conviction",
        allowed=RECORDERS,
        refused=("chair", "partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "events:record-conviction",
        label="post",
        method="post",
        data=conviction_data,
        ok_status=(302,),
        allowed=("om", "supervisor"),
        refused=("chair", "partner", "analyst", "away_om"),
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "events:record-incident",
        allowed=(*RECORDERS, "away_om"),
        refused=("chair", "partner", "idva", "analyst", "admin", "norole"),
    ),
    RoleCase(
        "events:record-incident",
        label="post",
        method="post",
        data=incident_data,
        ok_status=(302,),
        allowed=("om", "marac"),
        refused=("chair", "partner", "analyst", "away_om"),
    ),
    RoleCase(
        "events:incident",
        allowed=("om", "chair", "marac", "partner", "idva"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"pk": incident(w).pk},
        record=lambda w: ("events.incident", incident(w).pk),
    ),
]


def conviction(world) -> Conviction:
    found, _ = Conviction.objects.get_or_create(
        person=world.people.offender,
        offence=offence(),
        relevant_date=dt.date(2019, 2, 14),
        defaults={"disposal": "imprisonment", "term_months": 30, "court": "Northtown Crown Court"},
    )
    return found


def incident_details(world, **changes) -> dict:
    data = {
        "reference": "NT/2025/000123",
        "occurred_on_0": "3",
        "occurred_on_1": "1",
        "occurred_on_2": "2025",
        "occurred_time": "21:30",
        "place": "Victim's home address",
        "local_area": str(world.home["local"][0].pk),
        "domestic_abuse": "on",
        "summary": "Neighbour reported shouting.",
    }
    return data | changes


def _incident(world):
    return {"pk": incident(world).pk}


def _incident_record(world):
    return ("events.incident", incident(world).pk)


INCIDENT_RECORDERS = RECORDERS
NOT_INCIDENT_RECORDERS = ("chair", "partner", "idva", "analyst", "admin", "away_om", "norole")


def _victim_link(world) -> IncidentPerson:
    return IncidentPerson.objects.get(incident=incident(world), person=world.people.victim)


CASES += [
    RoleCase(
        "events:change-conviction",
        allowed=RECORDERS,
        refused=NOT_INCIDENT_RECORDERS,
        kwargs=lambda w: {"pk": conviction(w).pk},
        record=lambda w: ("events.conviction", conviction(w).pk),
    ),
    RoleCase(
        "events:change-conviction",
        label="post",
        method="post",
        data=lambda w: conviction_data(w, term_months="36"),
        ok_status=(302,),
        allowed=("om", "supervisor"),
        refused=("chair", "partner", "analyst", "away_om"),
        kwargs=lambda w: {"pk": conviction(w).pk},
        record=lambda w: ("events.conviction", conviction(w).pk),
    ),
    RoleCase(
        "events:change-incident",
        allowed=INCIDENT_RECORDERS,
        refused=NOT_INCIDENT_RECORDERS,
        kwargs=_incident,
        record=_incident_record,
    ),
    RoleCase(
        "events:change-incident",
        label="post",
        method="post",
        data=lambda w: incident_details(w, place="Car park"),
        ok_status=(302,),
        allowed=("om", "marac"),
        refused=("chair", "partner", "idva", "away_om"),
        kwargs=_incident,
        record=_incident_record,
    ),
    RoleCase(
        "events:incident-people",
        allowed=INCIDENT_RECORDERS,
        refused=NOT_INCIDENT_RECORDERS,
        kwargs=_incident,
        record=_incident_record,
    ),
    RoleCase(
        "events:incident-people",
        label="add",
        method="post",
        data=lambda w: {"action": "add", "person": str(w.people.other_offender.pk), "role": "witness"},
        ok_status=(302,),
        allowed=("om", "coordinator", "marac"),
        refused=("chair", "partner", "idva", "away_om"),
        kwargs=_incident,
        record=_incident_record,
    ),
    RoleCase(
        "events:incident-people",
        label="remove-ask",
        method="post",
        data=lambda w: {"action": "remove", "link": str(_victim_link(w).pk)},
        allowed=("om", "supervisor"),
        refused=("chair", "partner", "idva", "away_om"),
        kwargs=_incident,
    ),
    RoleCase(
        "events:incident-people",
        label="remove",
        method="post",
        data=lambda w: {"action": "remove", "link": str(_victim_link(w).pk), "confirmed": "yes"},
        ok_status=(302,),
        allowed=("om", "supervisor"),
        refused=("chair", "partner", "idva", "away_om"),
        kwargs=_incident,
        record=_incident_record,
    ),
]


# Notifications (SOA 2003 Part 2) --------------------------------------------


def notification_data(world, **changes) -> dict:
    data = {"kind": "periodic", "notified_on": timezone.localdate().isoformat(), "police_station": "Northtown"}
    return data | changes


CASES += [
    RoleCase(
        "events:record-notification",
        allowed=RECORDERS,
        refused=NOT_INCIDENT_RECORDERS,
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "events:record-notification",
        label="post",
        method="post",
        data=notification_data,
        ok_status=(302,),
        allowed=("om", "supervisor", "marac"),
        refused=("chair", "partner", "idva", "analyst", "away_om"),
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "events:record-notification",
        label="forum case",
        allowed=("om", "marac"),
        refused=("partner", "idva"),
        kwargs=lambda w: {"person_pk": w.people.victim.pk},
        record=lambda w: ("people.person", w.people.victim.pk),
    ),
]
