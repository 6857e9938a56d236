"""Every calculator page and endpoint, as users who may use it and users who may not.

The calculators read no personal record, so every signed-in member of staff
with a role may use them; a signed-in user with no role is refused with the
project's 404, and a deactivated account is not signed in at all (the pages
send it to sign in, the API answers 403). Also the sample inputs the other
calculator tests share, as the API takes them and as the pages post them.
"""

from __future__ import annotations

import datetime as dt

from tests.helpers import WITH_A_ROLE
from tests.url_matrix import RoleCase

# Sample inputs, as the API takes them -------------------------------------------

NOTIFICATION = {
    "relevant_date": "2024-03-04",
    "date_of_birth": "1990-01-01",
    "disposal_type": "imprisonment",
    "term_months": 29,
    "discharge_months": None,
    "released_on": None,
}

DASH = {
    "answers": ["yes"] * 14 + ["no"] * 8 + ["dont_know"] * 2,
    "professional_judgement": False,
    "reason": "",
    "events_last_12_months": 1,
    "last_marac_referral": None,
    "incident_date": "2025-06-01",
}

RM2000 = {
    "age_at_commencement": 22,
    "sexual_appearances": 2,
    "criminal_appearances": 5,
    "violent_appearances": 1,
    "any_burglary": True,
    "aggravating_factors": ["male_victim", "stranger_victim"],
}

RFG = {
    "as_of": "2026-01-05",
    "date_of_birth": "1985-06-01",
    "records": [
        {"occurred_on": "2025-12-20", "offence_code": "OAPA1861-s47", "victim": "A"},
        {"occurred_on": "2024-03-01", "offence_code": None, "victim": "B"},
        {"occurred_on": "2022-01-01", "offence_code": "PHA1997-s2", "victim": "A"},
    ],
}

RFG_NON_CRIME = {
    "as_of": "2026-01-05",
    "records": [
        {"occurred_on": "2025-11-01", "offence_code": None, "victim": "A"},
        {"occurred_on": "2025-06-01", "offence_code": None, "victim": "B"},
    ],
}


# The same inputs as the pages post them --------------------------------------------


def date_parts(name: str, iso: str | None) -> dict[str, str]:
    if not iso:
        return {}
    day = dt.date.fromisoformat(iso)
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _number(value) -> str:
    return "" if value is None else str(value)


def notification_form(data: dict) -> dict:
    return {
        **date_parts("relevant_date", data["relevant_date"]),
        **date_parts("date_of_birth", data["date_of_birth"]),
        **date_parts("released_on", data.get("released_on")),
        "disposal_type": data["disposal_type"],
        "term_months": _number(data.get("term_months")),
        "discharge_months": _number(data.get("discharge_months")),
    }


def dash_form(data: dict) -> dict:
    form = {f"q{n}": answer for n, answer in enumerate(data["answers"], start=1)}
    form.update(date_parts("incident_date", data["incident_date"]))
    form.update(date_parts("last_marac_referral", data.get("last_marac_referral")))
    form["events_last_12_months"] = _number(data["events_last_12_months"])
    form["reason"] = data.get("reason", "")
    if data.get("professional_judgement"):
        form["professional_judgement"] = "on"
    return form


def rm2000_form(data: dict) -> dict:
    form = {
        key: str(data[key])
        for key in ("age_at_commencement", "sexual_appearances", "criminal_appearances", "violent_appearances")
    }
    if data["any_burglary"]:
        form["any_burglary"] = "on"
    form["aggravating_factors"] = list(data["aggravating_factors"])
    return form


def rfg_form(data: dict) -> dict:
    form = {**date_parts("as_of", data["as_of"]), **date_parts("date_of_birth", data.get("date_of_birth"))}
    for n, record in enumerate(data["records"], start=1):
        form.update(date_parts(f"record_{n}_occurred_on", record["occurred_on"]))
        form[f"record_{n}_offence_code"] = record["offence_code"] or "non-crime"
        form[f"record_{n}_victim"] = record["victim"]
    return form


WORKLOAD = {
    "nominal_target": 100,
    "default_contracted_hours": "37",
    "contracted_hours": "30",
    "reduction_hours": "0",
    "total_points": 70,
}


def workload_form(data: dict) -> dict:
    return {key: str(value) for key, value in data.items()}


# The cases --------------------------------------------------------------------------------

PAGES = (
    "calculators:index",
    "calculators:notification",
    "calculators:dash",
    "calculators:rm2000",
    "calculators:rfg",
    "calculators:workload-capacity",
)
PAGE_POSTS = {
    "calculators:notification": lambda w: notification_form(NOTIFICATION),
    "calculators:dash": lambda w: dash_form(DASH),
    "calculators:rm2000": lambda w: rm2000_form(RM2000),
    "calculators:rfg": lambda w: rfg_form(RFG_NON_CRIME),
    "calculators:workload-capacity": lambda w: workload_form(WORKLOAD),
}
ENDPOINTS = {
    "api-rules-notification": NOTIFICATION,
    "api-rules-dash": DASH,
    "api-rules-rm2000": RM2000,
    "api-rules-rfg": RFG,
    "api-rules-workload-capacity": WORKLOAD,
}

CASES = []
for name in PAGES:
    CASES += [
        RoleCase(name, allowed=WITH_A_ROLE, refused=("norole",)),
        RoleCase(name, label="inactive", allowed=(), refused=("inactive",), refused_status=(302,)),
    ]
for name, data in PAGE_POSTS.items():
    CASES += [
        RoleCase(name, label="post", method="post", data=data, allowed=WITH_A_ROLE, refused=("norole",)),
        RoleCase(
            name,
            label="post-inactive",
            method="post",
            data=data,
            allowed=(),
            refused=("inactive",),
            refused_status=(302,),
        ),
    ]
for name, body in ENDPOINTS.items():
    CASES += [
        RoleCase(name, method="post", json=True, data=lambda w, b=body: b, allowed=WITH_A_ROLE, refused=("norole",)),
        RoleCase(
            name,
            label="inactive",
            method="post",
            json=True,
            data=lambda w, b=body: b,
            allowed=(),
            refused=("inactive",),
            refused_status=(401, 403),
        ),
    ]
