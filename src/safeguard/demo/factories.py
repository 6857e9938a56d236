"""Small builders for fictional records, shared by the world generator and the tests.

Every name comes from Faker's en_GB provider with a fixed seed; identifiers
are well-formed but drawn from serial ranges no real force issues from
(fictional years and serials), and every address is on a "Fictional" street.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.hashers import make_password

from safeguard.offenders.models import Nominal
from safeguard.people.models import Person
from safeguard.people.search import reindex
from safeguard.workforce.models import Agency, Area, Role, Staff, Team

DEMO_PASSWORD = "fictional-demo-password"
_counter = itertools.count(1)


def area_tree(name: str = "Fictional Shire", locals_: tuple[str, ...] = ("Northtown", "Southvale")) -> dict:
    mappa = Area.objects.create(
        name=f"{name} MAPPA area", code=f"{name.lower().replace(' ', '-')}-{next(_counter)}", kind=Area.Kind.MAPPA
    )
    local = [
        Area.objects.create(name=n, code=f"{n.lower()}-{next(_counter)}", kind=Area.Kind.LOCAL_AUTHORITY, parent=mappa)
        for n in locals_
    ]
    return {"mappa": mappa, "local": local}


def agency(area: Area, kind: str, name: str | None = None) -> Agency:
    label = name or f"{area.name} {Agency.Kind(kind).label}"
    return Agency.objects.create(name=label, code=f"ag-{next(_counter)}", kind=kind, area=area)


def team(agency_: Agency, name: str = "Public Protection Unit", area: Area | None = None) -> Team:
    return Team.objects.create(name=f"{name} {next(_counter)}", agency=agency_, area=area or agency_.area)


def staff(
    username: str,
    agency_: Agency | None,
    roles: list[str],
    *,
    team_: Team | None = None,
    rank: str = "",
    first: str = "Alex",
    last: str = "Example",
    hashed_password: str | None = None,
) -> Staff:
    return Staff.objects.create(
        username=username,
        first_name=first,
        last_name=last,
        agency=agency_,
        team=team_,
        roles=roles,
        rank_or_grade=rank,
        is_staff=Role.ADMINISTRATOR in roles,
        is_superuser=Role.ADMINISTRATOR in roles,
        password=hashed_password or make_password(DEMO_PASSWORD),
    )


def person(area: Area, given: str, family: str, dob: dt.date | None = None, **fields) -> Person:
    p = Person.objects.create(given_name=given, family_name=family, date_of_birth=dob, area=area, **fields)
    reindex(p)
    return p


def nominal(person_: Person, local_area: Area, lead: Agency, om: Staff | None = None, **fields) -> Nominal:
    fields.setdefault("mappa_category", "1")
    fields.setdefault("management_level", 1)
    return Nominal.objects.create(
        reference=f"NOM-{next(_counter) + 900000:07d}",
        person=person_,
        local_area=local_area,
        lead_agency=lead,
        offender_manager=om,
        **fields,
    )
