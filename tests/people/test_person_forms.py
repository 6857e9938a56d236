import datetime as dt

import pytest

from safeguard.audit.models import AuditEvent
from safeguard.people.models import Address, Alias, Person, Relationship, WarningMarker
from safeguard.people.search import find_people
from tests.helpers import audited, error_page
from tests.people.url_roles import address, person_data


def _new_person(**changes):
    data = {"given_name": "Nina", "family_name": "Newcombe", "gender": "female", "ethnicity": "W1"}
    data |= {"date_of_birth_0": "3", "date_of_birth_1": "4", "date_of_birth_2": "1991", "pnc_id": "06/123456g "}
    return data | changes


# Create and change ----------------------------------------------------------


def test_create_a_person(world, sign_in):
    client = sign_in(world.users.om)
    assert b"Add a person" in client.get("/people/new/").content
    response = client.post("/people/new/", _new_person())
    person = Person.objects.get(family_name="Newcombe")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.area == world.home["mappa"]
    assert person.date_of_birth == dt.date(1991, 4, 3)
    assert person.pnc_id == "06/0123456G"
    assert audited(world.users.om, "people.person", person.pk, "create")
    assert [m.person for m in find_people(world.users.om, name="Nina Newcombe")] == [person]
    assert "Nina Newcombe has been added" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pnc_id", "2004/0012345A", "check letter does not match"),
        ("pnc_id", "12345", "Enter a PNC ID in the format"),
        ("cro_number", "012345/04A", "check letter does not match"),
        ("nomis_number", "1234ABC", "Enter a NOMIS prison number"),
        ("crn", "X12", "Enter a probation CRN"),
        ("family_name", "", "Enter the last name"),
    ],
)
def test_create_refuses_a_bad_field_and_saves_nothing(world, sign_in, field, value, message):
    page = error_page(sign_in(world.users.om).post("/people/new/", _new_person(**{field: value})), message)
    assert f'href="#id_{field}"' in page
    assert not Person.objects.filter(given_name="Nina").exists()


def test_date_of_birth_in_the_future_is_refused(world, sign_in):
    next_year = str(dt.date.today().year + 1)
    response = sign_in(world.users.om).post("/people/new/", _new_person(date_of_birth_2=next_year))
    page = error_page(response, "Date of birth must be today or in the past")
    assert 'href="#id_date_of_birth_0"' in page, "the summary links to the day input"
    assert "<legend" in page
    assert not Person.objects.filter(given_name="Nina").exists()


def test_an_impossible_date_of_birth_is_refused(world, sign_in):
    response = sign_in(world.users.om).post("/people/new/", _new_person(date_of_birth_0="31", date_of_birth_1="2"))
    error_page(response, "Date of birth must be a real date")


def test_a_pnc_id_already_held_is_sent_for_review_and_reveals_nothing(world, sign_in):
    client = sign_in(world.users.om)
    holder = Person.objects.get(pnc_id="2004/0012345D")
    response = client.post("/people/new/", _new_person(pnc_id="2004/0012345D"))
    person = Person.objects.get(family_name="Newcombe")
    assert response.status_code == 302 and person.pnc_id is None
    page = client.get(response["Location"]).content.decode()
    assert "The PNC ID needs checking" in page and "sent for review" in page
    assert holder.full_name not in page and "already" not in page


def test_edit_a_person_raises_the_version(world, sign_in):
    person = world.people.offender
    client = sign_in(world.users.coordinator)
    page = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in page
    response = client.post(f"/people/{person.pk}/edit/", person_data(world, middle_names="Paul", reason="Court papers"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.middle_names == "Paul" and person.version == 2
    assert audited(world.users.coordinator, "people.person", person.pk, "change")
    history = client.get(f"/people/{person.pk}/history/").content.decode()
    assert "Middle names" in history and "Paul" in history and "Court papers" in history


def test_edit_with_a_stale_version_shows_the_conflict_and_keeps_the_other_change(world, sign_in):
    person = world.people.offender
    Person.objects.filter(pk=person.pk).update(version=2, middle_names="Edward")
    response = sign_in(world.users.om).post(f"/people/{person.pk}/edit/", person_data(world, middle_names="Paul"))
    error_page(response, "Someone else changed this record while you were editing it")
    person.refresh_from_db()
    assert person.middle_names == "Edward" and person.version == 2


# Parts of the record ---------------------------------------------------------


def test_add_an_alias(world, sign_in):
    person = world.people.offender
    response = sign_in(world.users.om).post(
        f"/people/{person.pk}/names/new/", {"kind": "nickname", "given_name": "", "family_name": "Smudge"}
    )
    assert response.status_code == 302
    alias = Alias.objects.get(person=person)
    assert audited(world.users.om, "people.alias", alias.pk, "create")
    assert [m.person for m in find_people(world.users.om, name="Smudge")] == [person]


def test_alias_date_of_birth_in_the_future_is_refused(world, sign_in):
    next_year = str(dt.date.today().year + 1)
    data = {"kind": "alias", "family_name": "Smudge", "date_of_birth_0": "1", "date_of_birth_1": "1"}
    response = sign_in(world.users.om).post(
        f"/people/{world.people.offender.pk}/names/new/", data | {"date_of_birth_2": next_year}
    )
    error_page(response, "Date of birth must be today or in the past")
    assert not Alias.objects.exists()


def _address(**changes):
    data = {"kind": "home", "line_1": "2 Low Road", "town": "Northtown", "postcode": "nt2 2bb"}
    data |= {"from_date_0": "1", "from_date_1": "3", "from_date_2": "2024"}
    return data | changes


def test_add_an_address(world, sign_in):
    person = world.people.offender
    response = sign_in(world.users.supervisor).post(f"/people/{person.pk}/addresses/new/", _address())
    assert response.status_code == 302
    saved = Address.objects.get(person=person)
    assert saved.from_date == dt.date(2024, 3, 1) and saved.is_current
    assert audited(world.users.supervisor, "people.address", saved.pk, "create")


def test_address_ending_before_it_began_is_refused(world, sign_in):
    data = _address(to_date_0="1", to_date_1="1", to_date_2="2024")
    response = sign_in(world.users.om).post(f"/people/{world.people.offender.pk}/addresses/new/", data)
    page = error_page(response, "The date they left must be the same as or after the date they moved in")
    assert 'href="#id_to_date_0"' in page
    assert not Address.objects.exists()


def test_address_needs_a_line_and_postcode_unless_no_fixed_abode(world, sign_in):
    client = sign_in(world.users.om)
    url = f"/people/{world.people.offender.pk}/addresses/new/"
    error_page(client.post(url, _address(line_1="")), "Enter the first line of the address and its postcode")
    error_page(client.post(url, _address(postcode="NOTACODE")), "Enter a real UK postcode")
    assert client.post(url, _address(kind="nfa", line_1="", postcode="")).status_code == 302


def test_end_an_address(world, sign_in):
    home = address(world)
    url = f"/people/{world.people.offender.pk}/addresses/{home.pk}/end/"
    response = sign_in(world.users.om).post(url, {"to_date_0": "30", "to_date_1": "6", "to_date_2": "2024"})
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.to_date == dt.date(2024, 6, 30) and not home.is_current
    assert audited(world.users.om, "people.address", home.pk, "change")


def test_ending_an_address_before_it_began_is_refused(world, sign_in):
    home = address(world)
    url = f"/people/{world.people.offender.pk}/addresses/{home.pk}/end/"
    response = sign_in(world.users.om).post(url, {"to_date_0": "1", "to_date_1": "1", "to_date_2": "2019"})
    error_page(response, "The date they left must be the same as or after the date they moved in")
    home.refresh_from_db()
    assert home.to_date is None


def test_an_address_of_someone_else_is_404(world, sign_in):
    home = address(world)
    url = f"/people/{world.people.victim.pk}/addresses/{home.pk}/end/"
    assert sign_in(world.users.om).get(url).status_code == 404


def test_add_a_warning_marker(world, sign_in):
    person = world.people.offender
    data = {"code": "WE", "note": "Carries a knife", "from_date_0": "1", "from_date_1": "1", "from_date_2": "2024"}
    assert sign_in(world.users.om).post(f"/people/{person.pk}/warning-markers/new/", data).status_code == 302
    marker = WarningMarker.objects.get(person=person)
    assert marker.code == "WE"
    assert audited(world.users.om, "people.warningmarker", marker.pk, "create")


def test_warning_marker_needs_a_code(world, sign_in):
    data = {"code": "", "from_date_0": "1", "from_date_1": "1", "from_date_2": "2024"}
    response = sign_in(world.users.om).post(f"/people/{world.people.offender.pk}/warning-markers/new/", data)
    error_page(response, "Choose a warning marker")
    assert not WarningMarker.objects.exists()


# Relationships ---------------------------------------------------------------


def _relationship(world, **changes):
    data = {
        "action": "save",
        "other": str(world.people.victim.pk),
        "kind": "intimate_partner",
        "personal_connection": "intimate_relationship",
        "domestic_abuse": "on",
    }
    return data | changes


def test_find_and_choose_the_other_person(world, sign_in):
    client = sign_in(world.users.om)
    url = f"/people/{world.people.offender.pk}/relationships/new/"
    page = client.post(url, {"action": "find", "find_name": "Karen Ashdwon"}).content.decode()
    assert "Karen Ashdown" in page and f"?other={world.people.victim.pk}" in page
    assert "Farah Distant" not in client.post(url, {"action": "find", "find_name": "Distant"}).content.decode()
    searches = AuditEvent.objects.filter(actor_id=world.users.om.pk, operation="search")
    assert searches.filter(record_type="people.person").exists()
    chosen = client.get(f"{url}?other={world.people.victim.pk}").content.decode()
    assert "The other person" in chosen and "Save relationship" in chosen
    assert audited(world.users.om, "people.person", world.people.victim.pk, "view")


def test_choosing_someone_the_user_may_not_see_is_404(world, sign_in):
    url = f"/people/{world.people.offender.pk}/relationships/new/?other={world.people.away.pk}"
    assert sign_in(world.users.om).get(url).status_code == 404


def test_add_a_relationship(world, sign_in):
    client = sign_in(world.users.om)
    response = client.post(f"/people/{world.people.offender.pk}/relationships/new/", _relationship(world))
    assert response.status_code == 302
    saved = Relationship.objects.get(person=world.people.offender, other=world.people.victim)
    assert saved.domestic_abuse and saved.homicide_index_group == "Partner or ex-partner"
    assert audited(world.users.om, "people.relationship", saved.pk, "create")


def test_relationship_to_self_is_refused(world, sign_in):
    data = _relationship(world, other=str(world.people.offender.pk))
    response = sign_in(world.users.om).post(f"/people/{world.people.offender.pk}/relationships/new/", data)
    page = error_page(response, "A relationship needs two different people")
    assert 'href="#id_other"' in page and 'id="id_other"' in page
    assert not Relationship.objects.exists()


def test_domestic_abuse_needs_a_personal_connection(world, sign_in):
    data = _relationship(world, kind="friend_or_acquaintance", personal_connection="none")
    response = sign_in(world.users.om).post(f"/people/{world.people.offender.pk}/relationships/new/", data)
    page = error_page(response, "Domestic abuse needs the two people to be personally connected")
    assert 'href="#id_personal_connection_0"' in page
    assert not Relationship.objects.exists()


def test_relationship_ending_before_it_began_is_refused(world, sign_in):
    data = _relationship(world, from_date_0="1", from_date_1="1", from_date_2="2020")
    data |= {"to_date_0": "1", "to_date_1": "1", "to_date_2": "2019"}
    response = sign_in(world.users.om).post(f"/people/{world.people.offender.pk}/relationships/new/", data)
    error_page(response, "The end date must be the same as or after the start date")
    assert not Relationship.objects.exists()


def test_a_relationship_to_someone_out_of_sight_is_refused(world, sign_in):
    data = _relationship(world, other=str(world.people.away.pk))
    response = sign_in(world.users.om).post(f"/people/{world.people.offender.pk}/relationships/new/", data)
    assert response.status_code == 404
    assert not Relationship.objects.exists()


# History ---------------------------------------------------------------------


def test_history_lists_changes_to_the_parts_too(world, sign_in):
    client = sign_in(world.users.om)
    person = world.people.offender
    client.post(f"/people/{person.pk}/addresses/new/", _address())
    client.post(f"/people/{person.pk}/relationships/new/", _relationship(world))
    page = client.get(f"/people/{person.pk}/history/").content.decode()
    assert "Address added" in page and "2 Low Road" in page
    assert "Relationship with Karen Ashdown added" in page
    assert page.index("Relationship with Karen Ashdown added") < page.index("Address added"), "newest first"
