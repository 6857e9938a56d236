"""Every person page, as roles that may and may not use it."""

import datetime as dt

from safeguard.people.models import Address, Alias, Relationship, WarningMarker
from tests.url_matrix import RoleCase

# Who may change a home-area person: recorders of the area. Who may only read: the chair.
RECORDERS = ("om", "om2", "coordinator", "supervisor", "marac")
NOT_RECORDERS = ("chair", "partner", "idva", "analyst", "admin", "away_om", "norole")


def _offender(world):
    return {"pk": world.people.offender.pk}


def _offender_record(world):
    return ("people.person", world.people.offender.pk)


def address(world) -> Address:
    found, _ = Address.objects.get_or_create(
        person=world.people.offender,
        line_1="1 High Street",
        defaults={"town": "Northtown", "postcode": "NT1 1AA", "from_date": dt.date(2020, 1, 1)},
    )
    return found


def person_data(world, **changes):
    data = {"given_name": "Jonathan", "family_name": "Smith", "gender": "male", "ethnicity": "NS"}
    data |= {"date_of_birth_0": "17", "date_of_birth_1": "5", "date_of_birth_2": "1980", "pnc_id": "2004/0012345D"}
    data |= {"version": str(world.people.offender.version)}
    return data | changes


def _change_cases(name, data, **extra):
    """A GET of the form and a POST of good data, both for recorders only."""
    return [
        RoleCase(name, allowed=RECORDERS, refused=NOT_RECORDERS, record=_offender_record, **extra),
        RoleCase(
            name,
            label="post",
            method="post",
            data=data,
            ok_status=(302,),
            allowed=("om", "coordinator", "marac"),
            refused=("chair", "partner", "idva", "analyst", "away_om"),
            record=_offender_record,
            **extra,
        ),
    ]


CASES = [
    RoleCase(
        "people:person",
        allowed=("om", "om2", "coordinator", "supervisor", "chair", "marac"),
        refused=("partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "people:person",
        label="forum case",
        allowed=("partner", "idva", "marac", "om"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"pk": w.people.victim.pk},
        record=lambda w: ("people.person", w.people.victim.pk),
    ),
    RoleCase(
        "people:history",
        allowed=("om", "chair", "marac"),
        refused=("partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "people:create",
        allowed=("om", "coordinator", "supervisor", "marac", "away_om"),
        refused=("chair", "partner", "idva", "analyst", "admin", "norole"),
    ),
    RoleCase(
        "people:create",
        label="post",
        method="post",
        data=lambda w: {"given_name": "Nina", "family_name": "Newcombe", "gender": "female", "ethnicity": "NS"},
        ok_status=(302,),
        allowed=("om", "marac", "away_om"),
        refused=("chair", "partner", "analyst", "norole"),
    ),
    *_change_cases("people:edit", lambda w: person_data(w, middle_names="Paul"), kwargs=_offender),
    *_change_cases("people:add-alias", lambda w: {"kind": "alias", "family_name": "Blackwood"}, kwargs=_offender),
    *_change_cases(
        "people:add-address",
        lambda w: {
            "kind": "home",
            "line_1": "2 Low Road",
            "town": "Northtown",
            "postcode": "NT2 2BB",
            "from_date_0": "1",
            "from_date_1": "3",
            "from_date_2": "2024",
        },
        kwargs=_offender,
    ),
    *_change_cases(
        "people:end-address",
        lambda w: {"to_date_0": "1", "to_date_1": "2", "to_date_2": "2024"},
        kwargs=lambda w: {"pk": w.people.offender.pk, "address_pk": address(w).pk},
    ),
    *_change_cases(
        "people:add-marker",
        lambda w: {"code": "VI", "note": "", "from_date_0": "1", "from_date_1": "1", "from_date_2": "2024"},
        kwargs=_offender,
    ),
    RoleCase(
        "people:add-relationship",
        allowed=RECORDERS,
        refused=NOT_RECORDERS,
        kwargs=_offender,
        record=_offender_record,
    ),
    RoleCase(
        "people:add-relationship",
        label="post",
        method="post",
        data=lambda w: {
            "action": "save",
            "other": str(w.people.victim.pk),
            "kind": "intimate_partner",
            "former": "on",
            "personal_connection": "intimate_relationship",
            "domestic_abuse": "on",
        },
        ok_status=(302,),
        allowed=("om", "coordinator", "marac"),
        refused=("chair", "partner", "idva", "analyst", "away_om"),
        kwargs=_offender,
        record=_offender_record,
    ),
]


# Changing the parts of a record ----------------------------------------------


def alias(world) -> Alias:
    found, _ = Alias.objects.get_or_create(
        person=world.people.offender, family_name="Blackwood", defaults={"given_name": "Johnny"}
    )
    return found


def marker(world) -> WarningMarker:
    found, _ = WarningMarker.objects.get_or_create(
        person=world.people.offender, code="VI", defaults={"note": "Assaulted an officer"}
    )
    return found


def marker_id(world) -> int:
    """The marker's id, even once it has been removed (its history keeps it)."""
    return WarningMarker.history.filter(person_id=world.people.offender.pk, code="VI").earliest("history_id").id


def relationship(world) -> Relationship:
    found, _ = Relationship.objects.get_or_create(
        person=world.people.offender,
        other=world.people.victim,
        defaults={
            "kind": "intimate_partner",
            "personal_connection": "intimate_relationship",
            "domestic_abuse": True,
            "from_date": dt.date(2015, 1, 1),
        },
    )
    return found


def relationship_data(world, **changes) -> dict:
    data = {
        "kind": "intimate_partner",
        "former": "on",
        "personal_connection": "intimate_relationship",
        "domestic_abuse": "on",
        "from_date_0": "1",
        "from_date_1": "1",
        "from_date_2": "2015",
        "reason": "Victim's statement",
    }
    return data | changes


def _part_cases(name, data, *, kwargs, record):
    """A GET of the change form and a POST of good data, both for recorders only; audited against the part."""
    return [
        RoleCase(name, allowed=RECORDERS, refused=NOT_RECORDERS, kwargs=kwargs, record=record),
        RoleCase(
            name,
            label="post",
            method="post",
            data=data,
            ok_status=(302,),
            allowed=("om", "coordinator", "marac"),
            refused=("chair", "partner", "idva", "analyst", "away_om"),
            kwargs=kwargs,
            record=record,
        ),
    ]


CASES += [
    *_part_cases(
        "people:change-alias",
        lambda w: {"kind": "nickname", "given_name": "Johnny", "family_name": "Blackwood"},
        kwargs=lambda w: {"pk": w.people.offender.pk, "alias_pk": alias(w).pk},
        record=lambda w: ("people.alias", alias(w).pk),
    ),
    *_part_cases(
        "people:change-marker",
        lambda w: {"note": "Carries a knife", "from_date_0": "1", "from_date_1": "1", "from_date_2": "2024"},
        kwargs=lambda w: {"pk": w.people.offender.pk, "marker_pk": marker(w).pk},
        record=lambda w: ("people.warningmarker", marker(w).pk),
    ),
    *_part_cases(
        "people:remove-marker",
        lambda w: {"reason": "Recorded against the wrong person"},
        kwargs=lambda w: {"pk": w.people.offender.pk, "marker_pk": marker(w).pk},
        record=lambda w: ("people.warningmarker", marker_id(w)),
    ),
    *_part_cases(
        "people:change-relationship",
        relationship_data,
        kwargs=lambda w: {"pk": w.people.offender.pk, "relationship_pk": relationship(w).pk},
        record=lambda w: ("people.relationship", relationship(w).pk),
    ),
    *_part_cases(
        "people:end-relationship",
        lambda w: {"to_date_0": "1", "to_date_1": "6", "to_date_2": "2024"},
        kwargs=lambda w: {"pk": w.people.offender.pk, "relationship_pk": relationship(w).pk},
        record=lambda w: ("people.relationship", relationship(w).pk),
    ),
]


# Legal holds ----------------------------------------------------------------


def legal_hold(world):
    from safeguard.people.models import LegalHold

    found = LegalHold.objects.filter(person=world.people.offender).order_by("pk").first()
    if found is None:  # made once; once lifted, it is still the record the case is about
        found = LegalHold.objects.create(
            person=world.people.offender, reason="Civil claim NT-2026-001", placed_by=world.users.om
        )
    return found


def _hold_record(world):
    return ("people.legalhold", legal_hold(world).pk)


CASES += [
    *_change_cases("people:place-legal-hold", lambda w: {"reason": "Civil claim NT-2026-002"}, kwargs=_offender),
    *_part_cases(
        "people:lift-legal-hold",
        lambda w: {"lift_reason": "The claim was settled."},
        kwargs=lambda w: {"pk": legal_hold(w).pk},
        record=_hold_record,
    ),
]
