import pytest

from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f


@pytest.fixture
def world(module_shared_world):
    """These tests only read the world (what one adds, its own transaction rolls back): one for the module."""
    return module_shared_world


def test_finds_a_misspelt_name(world, sign_in):
    page = sign_in(world.users.om).post("/search/", {"name": "Jonathon Smtih"}).content.decode()
    assert "Jonathan Smith" in page


def test_finds_by_alias(world, sign_in):
    from safeguard.people.models import Alias
    from safeguard.people.search import reindex

    Alias.objects.create(person=world.people.offender, given_name="Johnny", family_name="Blackwood")
    reindex(world.people.offender)
    page = sign_in(world.users.om).post("/search/", {"name": "Blakwood"}).content.decode()
    assert "Jonathan Smith" in page and "Alias" in page


def test_finds_by_identifier_in_any_spacing_and_case(world, sign_in):
    page = sign_in(world.users.om).post("/search/", {"identifier": " 2004/12345d "}).content.decode()
    assert "Jonathan Smith" in page


def test_date_of_birth_narrows(world, sign_in):
    f.person(world.home["mappa"], "Jon", "Smith", None)
    client = sign_in(world.users.om)
    page = client.post(
        "/search/", {"name": "Smith", "date_of_birth_0": "17", "date_of_birth_1": "5", "date_of_birth_2": "1980"}
    ).content.decode()
    assert "1 result" in page


def test_results_pass_the_gate(world, sign_in):
    page = sign_in(world.users.away_om).post("/search/", {"name": "Smith"}).content.decode()
    assert "Jonathan Smith" not in page
    page = sign_in(world.users.partner).post("/search/", {"name": "Ashdown"}).content.decode()
    assert "Karen Ashdown" in page  # on the partner's MARAC
    page = sign_in(world.users.partner).post("/search/", {"name": "Smith"}).content.decode()
    assert "Jonathan Smith" not in page


def test_search_is_audited_with_criteria_and_results(world, sign_in):
    sign_in(world.users.om).post("/search/", {"name": "Smith"})
    event = AuditEvent.objects.get(operation="search", actor_id=world.users.om.pk)
    assert event.detail["criteria"]["name"] == "Smith"
    assert world.people.offender.pk in event.detail["shown"]


def test_empty_search_explains(world, sign_in):
    page = sign_in(world.users.om).post("/search/", {}).content.decode()
    assert "Enter a name, a date of birth or an identifier" in page


def test_impossible_date_is_named(world, sign_in):
    page = (
        sign_in(world.users.om)
        .post("/search/", {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1980"})
        .content.decode()
    )
    assert "Date of birth must be a real date" in page


def test_finds_by_nominal_reference(world, sign_in):
    page = (
        sign_in(world.users.om).post("/search/", {"identifier": world.nominals.mine.reference.lower()}).content.decode()
    )
    assert "Jonathan Smith" in page


def test_finds_a_name_that_sounds_alike(world, sign_in):
    f.person(world.home["mappa"], "Mark", "Stephenson", None)
    page = sign_in(world.users.om).post("/search/", {"name": "Mark Stevenson"}).content.decode()
    assert "Mark Stephenson" in page


def test_add_a_new_person_is_offered_only_to_those_who_may(world, sign_in, client):
    assert "Add a new person" in sign_in(world.users.om).get("/search/").content.decode()
    client.logout()
    assert "Add a new person" not in sign_in(world.users.partner).get("/search/").content.decode()


def test_a_crowded_date_of_birth_is_narrowed_by_the_name_not_cut(world, sign_in):
    import datetime as dt

    from safeguard.people.search import CANDIDATES

    day = dt.date(2001, 4, 1)
    for n in range(CANDIDATES + 5):
        f.person(world.home["mappa"], "Sam", f"Fictionalname{n:03d}", day)
    wanted = f.person(world.home["mappa"], "Zelda", "Quartermaine", day)
    page = (
        sign_in(world.users.om)
        .post(
            "/search/",
            {"name": "Zelda Quartermiane", "date_of_birth_0": "1", "date_of_birth_1": "4", "date_of_birth_2": "2001"},
        )
        .content.decode()
    )
    assert wanted.full_name in page
