"""Every assessment page, as roles that may and may not use it.

Completing an assessment is for the area's recorders; an IDVA may complete a
DASH (not the offender tools) for a person they can see through the MARAC.
Reading one back follows who may see the person.

The new-assessment cases carry no `record` check: a refusal there is audited
against the assessment not yet made (no record id), an allowed visit against
the person; tests/assessments/test_assessment_pages.py checks both.
"""

import datetime as dt

from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.assessments import services
from safeguard.assessments.models import Assessment, InstrumentVersion
from tests.url_matrix import RoleCase

RECORDERS = ("om", "om2", "coordinator", "supervisor", "marac")


def dash_data(world=None, *, yes: int = 14, incident_date: dt.date | None = None, **changes) -> dict:
    """A DASH as the page posts it: the first `yes` questions answered yes, the rest no."""
    today = timezone.localdate()
    data = {f"q{n}": "yes" if n <= yes else "no" for n in range(1, 25)}
    data |= {
        "assessed_on": today.isoformat(),
        "incident_date": (incident_date or today).isoformat(),
        "incident": "",
        "reason": "",
    }
    return data | changes


def rm2000_data(world=None, **changes) -> dict:
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "age_at_commencement": "30",
        "sexual_appearances": "2",
        "criminal_appearances": "5",
        "violent_appearances": "1",
        "any_burglary": "on",
        "aggravating_factors": ["male_victim", "stranger_victim"],
    }
    return data | changes


def dash_assessment(world) -> Assessment:
    """One DASH on the victim, recorded by the offender manager (made once per test)."""
    found = Assessment.objects.filter(person=world.people.victim).first()
    if found is not None:
        return found
    data = {f"q{n}": "yes" if n <= 5 else "no" for n in range(1, 25)}
    today = timezone.localdate()
    data |= {"assessed_on": today, "incident_date": today, "professional_judgement": False, "reason": ""}
    return services.record_assessment(
        AccessContext(world.users.om, "victim_safeguarding"),
        person=world.people.victim,
        instrument=InstrumentVersion.current_for("dash"),
        data=data,
    )


def _new(person: str, code: str):
    return lambda w: {"pk": getattr(w.people, person).pk, "code": code}


def _person_record(person: str):
    return lambda w: ("people.person", getattr(w.people, person).pk)


CASES = [
    RoleCase(
        "assessments:new",
        label="dash",
        allowed=(*RECORDERS, "idva"),
        refused=("chair", "partner", "analyst", "admin", "away_om", "norole"),
        kwargs=_new("victim", "dash"),
    ),
    RoleCase(
        "assessments:new",
        label="dash allowed view audited",
        allowed=("om", "idva", "marac"),
        refused=(),
        kwargs=_new("victim", "dash"),
        record=_person_record("victim"),
    ),
    RoleCase(
        "assessments:new",
        label="dash post",
        method="post",
        data=lambda w: dash_data(w),
        ok_status=(302,),
        allowed=("om", "idva", "marac"),
        refused=("chair", "partner", "analyst", "away_om", "norole"),
        kwargs=_new("victim", "dash"),
    ),
    RoleCase(
        "assessments:new",
        label="dash offender",
        allowed=("om", "coordinator"),
        refused=("idva", "partner", "chair", "away_om"),
        kwargs=_new("offender", "dash"),
    ),
    RoleCase(
        "assessments:new",
        label="rm2000",
        allowed=RECORDERS,
        refused=("chair", "partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=_new("offender", "rm2000"),
    ),
    RoleCase(
        "assessments:new",
        label="rm2000 victim, idva",
        allowed=("om", "marac"),
        refused=("idva", "partner"),
        kwargs=_new("victim", "rm2000"),
    ),
    RoleCase(
        "assessments:new",
        label="rm2000 post",
        method="post",
        data=lambda w: rm2000_data(w),
        ok_status=(302,),
        allowed=("om", "supervisor"),
        refused=("chair", "partner", "idva", "analyst", "away_om"),
        kwargs=_new("offender", "rm2000"),
    ),
    *[
        RoleCase(
            "assessments:new",
            label=code,
            allowed=("om", "coordinator", "marac"),
            refused=("chair", "partner", "idva", "analyst", "away_om"),
            kwargs=_new("offender", code),
        )
        for code in ("dash-yp", "dara", "arms")
    ],
    RoleCase(
        "assessments:detail",
        allowed=("om", "om2", "coordinator", "supervisor", "chair", "marac", "partner", "idva"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"pk": dash_assessment(w).pk},
        record=lambda w: ("assessments.assessment", dash_assessment(w).pk),
    ),
]
