"""Merge then unmerge puts every part back (Hypothesis over generated people); a legal hold needs a second
person; parts the kept record already has stay behind and say so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.access import gate
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson
from safeguard.matching import merge
from safeguard.matching.models import PersonMerge
from safeguard.people.models import Address, Alias, LegalHold, Person, Relationship, WarningMarker


def _ctx(user):
    return gate.AccessContext(user=user, purpose="offender_management")


def _snapshot(*people):
    """Every part of each person (by kind and id) and the person's own fields."""
    out = {}
    for person in people:
        person.refresh_from_db()
        fields = {f: getattr(person, f) for f in (*Person.IDENTIFIER_FIELDS, "middle_names", "date_of_birth")}
        owned = sorted(
            (part.model._meta.label_lower, part.field, pk)
            for part in merge.parts()
            for pk in part.model._default_manager.filter(**{f"{part.field}_id": person.pk}).values_list("pk", flat=True)
        )
        out[person.pk] = (fields, owned)
    return out


def _incident(world, number):
    return Incident.objects.create(
        reference=f"INC-{number}",
        occurred_at=dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC),
        local_area=world.home["local"][0],
        recorded_by=world.police,
        domestic_abuse=True,
    )


parts_of_a_person = st.fixed_dictionaries(
    {
        "aliases": st.integers(0, 2),
        "addresses": st.integers(0, 2),
        "markers": st.lists(st.sampled_from(["VI", "WE", "DR"]), max_size=2, unique=True),
        "roles": st.lists(st.sampled_from(["perpetrator", "victim", "witness"]), max_size=2, unique=True),
        "pnc": st.booleans(),
        "dob": st.booleans(),
    }
)


def _give(world, person, spec, incident, serial):
    for i in range(spec["aliases"]):
        Alias.objects.create(person=person, family_name=f"Alias{serial}{i}")
    for i in range(spec["addresses"]):
        Address.objects.create(
            person=person, line_1=f"{i + 1} Fictional Lane", postcode="ZZ1 1AA", from_date=dt.date(2020, 1, 1)
        )
    for code in spec["markers"]:
        WarningMarker.objects.create(person=person, code=code)
    for role in spec["roles"]:
        IncidentPerson.objects.create(incident=incident, person=person, role=role)
    pnc = f"2010/{person.pk:07d}Z" if spec["pnc"] else None  # unique: from the record's own id
    dob = dt.date(1980, 1, serial % 27 + 1) if spec["dob"] else None
    Person.objects.filter(pk=person.pk).update(pnc_id=pnc, date_of_birth=dob)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=parts_of_a_person, second=parts_of_a_person)
def test_merge_then_unmerge_restores_every_part(world, first, second):
    area = world.home["mappa"]
    incident = _incident(world, Person.objects.count())
    kept = f.person(area, "Dean", "Hollis")
    gone = f.person(area, "Deen", "Hollis")
    _give(world, kept, first, incident, 1)
    _give(world, gone, second, incident, 2)
    Relationship.objects.create(person=gone, other=kept, kind="sibling")
    before = _snapshot(kept, gone)
    record = merge.request_merge(
        _ctx(world.users.coordinator), kept=kept, merged=gone, reason="Same person: custody photograph"
    )
    moved = _snapshot(kept, gone)
    assert record.status == "merged"
    left = {(e["model"], e["field"], e["pk"]) for e in record.left}
    assert moved[gone.pk][1] == sorted(left), "only what could not move stays on the merged record"
    assert ("people.relationship", "person", Relationship.objects.get(other=kept).pk) in left
    merge.unmerge(_ctx(world.users.coordinator), record, reason="Two brothers after all: PNC checked")
    assert _snapshot(kept, gone) == before


def test_identifiers_and_missing_fields_move_and_come_back(world):
    area = world.home["mappa"]
    kept = f.person(area, "Ada", "Pryce")
    gone = f.person(area, "Ada", "Price", dt.date(1970, 2, 2), pnc_id="2004/0054321F", middle_names="June")
    ctx = _ctx(world.users.coordinator)
    record = merge.request_merge(ctx, kept=kept, merged=gone, reason="Same PNC photograph and date of birth")
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.pnc_id == "2004/0054321F" and kept.date_of_birth == dt.date(1970, 2, 2) and kept.middle_names == "June"
    assert gone.pnc_id is None
    merge.unmerge(ctx, record, reason="A different person: checked with the court")
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert (kept.pnc_id, kept.date_of_birth, kept.middle_names) == (None, None, "")
    assert gone.pnc_id == "2004/0054321F"


def test_a_legal_hold_needs_a_second_person(world):
    area = world.home["mappa"]
    kept, gone = f.person(area, "Ivy", "Marsh"), f.person(area, "Ivy", "Marsh")
    Address.objects.create(person=gone, line_1="2 Fictional Lane", postcode="ZZ1 1AA", from_date=dt.date(2020, 1, 1))
    LegalHold.objects.create(person=gone, reason="Inquiry", placed_by=world.users.coordinator)
    asked = merge.request_merge(
        _ctx(world.users.coordinator), kept=kept, merged=gone, reason="The same person, same address"
    )
    assert asked.status == "awaiting" and gone.addresses.count() == 1, "nothing moves before approval"
    with pytest.raises(ValidationError, match="second person"):
        merge.approve_merge(_ctx(world.users.coordinator), asked)
    done = merge.approve_merge(_ctx(world.users.supervisor), asked)
    assert done.status == "merged" and done.approved_by == world.users.supervisor
    assert kept.addresses.count() == 1 and gone.addresses.count() == 0


def test_a_reviewer_who_may_not_record_on_both_cannot_merge(world):
    with pytest.raises(gate.AccessRefused):
        merge.request_merge(
            _ctx(world.users.coordinator),
            kept=world.people.offender,
            merged=world.people.away,
            reason="Looks the same to me",
        )
    assert not PersonMerge.objects.exists()


def test_merge_and_unmerge_from_the_pages(world, sign_in):
    from tests.matching import builders

    pair = builders.pair(world)
    client = sign_in(world.users.coordinator)
    form = client.get(f"/matching/{pair.pk}/merge/").content.decode()
    assert "What each record holds" in form and "Merge the records" in form
    refused = client.post(f"/matching/{pair.pk}/merge/", {"keep": str(pair.first_id), "reason": ""})
    assert "Enter the reason for the merge" in refused.content.decode()
    keep = max(pair.first_id, pair.second_id)  # the look-alike: the offender's parts (a nominal, ...) move to it
    response = client.post(f"/matching/{pair.pk}/merge/", {"keep": str(keep), "reason": "Same person on the PNC"})
    record = PersonMerge.objects.get(pair=pair)
    assert response.status_code == 302 and record.status == "merged" and record.kept_id == keep
    page = client.get(response["Location"]).content.decode()
    assert "What moved" in page and "Unmerge the records" in page
    back = client.post(
        response["Location"], {"reason": "Two people: checked the court file", "version": record.version}
    )
    record.refresh_from_db()
    assert back.status_code == 302 and record.status == "unmerged"


def test_a_merged_record_says_where_it_went_and_search_finds_only_the_kept_one(world, sign_in):
    from safeguard.people.search import search_people

    area = world.home["mappa"]
    kept = f.person(area, "Ada", "Pryce", dt.date(1970, 2, 2))
    gone = f.person(area, "Ada", "Pryce", dt.date(1970, 2, 2))
    coordinator = world.users.coordinator
    before = {m.person.pk for m in search_people(coordinator, name="Ada Pryce").matches}
    assert {kept.pk, gone.pk} <= before
    record = merge.request_merge(_ctx(coordinator), kept=kept, merged=gone, reason="Same person on the PNC")
    after = {m.person.pk for m in search_people(coordinator, name="Ada Pryce").matches}
    assert kept.pk in after and gone.pk not in after
    client = sign_in(coordinator)
    page = client.get(f"/people/{gone.pk}/").content.decode()
    assert "This record was merged into another" in page and f"/people/{kept.pk}/" in page
    assert "This record was merged" not in client.get(f"/people/{kept.pk}/").content.decode()
    merge.unmerge(_ctx(coordinator), record, reason="Two people after all")
    assert gone.pk in {m.person.pk for m in search_people(coordinator, name="Ada Pryce").matches}
    assert "This record was merged" not in client.get(f"/people/{gone.pk}/").content.decode()
