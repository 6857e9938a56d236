import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.audit.models import AuditEvent
from safeguard.events.models import Conviction
from safeguard.people.models import Address, Alias, Relationship, WarningMarker
from tests.events.url_roles import incident, offence


@pytest.fixture
def world(module_shared_world):
    """These tests only read the world (what one adds, its own transaction rolls back): one for the module."""
    return module_shared_world


def _page(client, person):
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_person_page_shows_the_record_and_audits_the_view(world, sign_in):
    person = world.people.offender
    Alias.objects.create(person=person, kind="alias", given_name="Johnny", family_name="Blackwood")
    old = {
        "line_1": "1 Old Road",
        "postcode": "NT1 1AA",
        "from_date": dt.date(2015, 1, 1),
        "to_date": dt.date(2019, 1, 1),
    }
    Address.objects.create(person=person, **old)
    Address.objects.create(
        person=person, kind="approved_premises", line_1="Hope House", postcode="NT9 9ZZ", from_date=dt.date(2024, 1, 1)
    )
    WarningMarker.objects.create(person=person, code="VI", note="Assaulted an officer in 2019")
    page = _page(sign_in(world.users.om), person)
    assert "Jonathan Smith" in page and "17 May 1980" in page and "(age " in page
    assert "2004/0012345D" in page and "Johnny Blackwood" in page
    assert page.index("Hope House") < page.index("1 Old Road"), "current address first"
    assert "Approved premises" in page and "Current" in page and "Previous" in page
    assert "govuk-tag--red" in page and "Warning: Violent" in page
    assert "History of this record" in page
    views = AuditEvent.objects.filter(actor_id=world.users.om.pk, record_type="people.person", record_id=person.pk)
    assert views.filter(operation="view", outcome="allowed").exists()


def test_relationships_read_both_ways_with_the_da_fields(world, sign_in):
    Relationship.objects.create(
        person=world.people.offender,
        other=world.people.victim,
        kind="intimate_partner",
        former=True,
        personal_connection="intimate_relationship",
        domestic_abuse=True,
    )
    client = sign_in(world.users.om)
    offender_page = _page(client, world.people.offender)
    assert "Jonathan Smith is former intimate partner of Karen Ashdown" in offender_page
    assert "Partner or ex-partner" in offender_page
    assert "intimate personal relationship" in offender_page
    assert "Former" in offender_page and "Domestic abuse" in offender_page
    victim_page = _page(client, world.people.victim)
    assert "Jonathan Smith is former intimate partner of Karen Ashdown" in victim_page


def test_partner_sees_the_forum_case_without_change_links_or_names_outside_their_access(world, sign_in):
    Relationship.objects.create(
        person=world.people.offender,
        other=world.people.victim,
        kind="intimate_partner",
        domestic_abuse=True,
        personal_connection="intimate_relationship",
    )
    page = _page(sign_in(world.users.partner), world.people.victim)
    assert "Karen Ashdown" in page
    assert "Jonathan Smith" not in page
    assert "A person outside your access is intimate partner of Karen Ashdown" in page
    assert "Change details" not in page and "Add an address" not in page and "Record an incident" not in page


def test_change_links_only_for_those_who_may_change(world, sign_in, client):
    page = _page(sign_in(world.users.om), world.people.offender)
    for link in ("Change details", "Add another name", "Add an address", "Add a warning marker", "Add a relationship"):
        assert link in page
    assert "Record an incident" in page and "Record a conviction" in page
    client.logout()
    page = _page(sign_in(world.users.chair), world.people.offender)
    assert "Change details" not in page and "Add a relationship" not in page


def test_nominals_and_timeline_newest_first(world, sign_in):
    person = world.people.offender
    Conviction.objects.create(
        person=person,
        offence=offence("SOA2003-s3"),
        relevant_date=dt.date(2001, 6, 1),
        disposal="imprisonment",
        term_months=18,
        soa_schedule_3=True,
        cja_schedule_15=True,
    )
    event = incident(world)
    page = _page(sign_in(world.users.om), person)
    assert world.nominals.mine.reference in page
    assert world.nominals.away.reference not in page
    assert f"/incidents/{event.pk}/" in page and "Suspect or perpetrator" in page
    assert "18 months" in page and "SOA 2003 Schedule 3" in page and "CJA 2003 Schedule 15" in page
    assert page.index(event.reference) < page.index("1 June 2001"), "newest first"


def test_unknown_person_is_404(world, sign_in):
    assert sign_in(world.users.om).get("/people/999999/").status_code == 404


def test_whether_the_person_is_managed_or_merged_is_one_statement_and_the_merge_read_only_when_one_stands(
    world, sign_in
):
    client = sign_in(world.users.om)
    _page(client, world.people.offender)
    with CaptureQueriesContext(connection) as queries:
        page = _page(client, world.people.offender)
    read = [q["sql"] for q in queries.captured_queries]
    merges = [sql for sql in read if '"matching_personmerge"' in sql]
    assert len(merges) == 1 and '"offenders_nominal"' in merges[0]
    assert not any(sql.split(" WHERE ")[0].endswith('FROM "offenders_nominal"') for sql in read), "no exists() apiece"
    assert "Retention and legal holds" in page and "This record was merged into another" not in page
