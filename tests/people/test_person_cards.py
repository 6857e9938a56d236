"""The person page's cards written in Python (people/cards.py) are the HTML their templates wrote, byte for byte:
the templates as they were are kept beside this test (cards_before/), and both are given the same records, with
and without rows, with values that need escaping, for a user who may change the record and one who may not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from safeguard.events.models import Conviction, Incident, IncidentPerson, Notification, Offence
from safeguard.events.notification_checks import Timeliness
from safeguard.offenders.models import Nominal
from safeguard.people import cards
from safeguard.people.models import Address, Alias, LegalHold, Person, WarningMarker
from safeguard.people.views import record
from safeguard.rules.retention import RetentionSchedule
from safeguard.rules.working import Step
from safeguard.workforce.models import Area, Staff

BEFORE = Path(__file__).parent / "cards_before"


def _template(name: str, context: dict) -> str:
    source = (BEFORE / name).read_text()
    return engines["django"].from_string(source).render(context, RequestFactory().get("/"))


def _person(**values) -> Person:
    return Person(pk=41, given_name='Ann & "Bo"', family_name="<O'Neil>", area_id=1, **values)


def _aliases() -> list[Alias]:
    return [
        Alias(
            pk=7, kind="alias", given_name="J<o>hnny", family_name="Black & Wood", date_of_birth=dt.date(1980, 5, 17)
        ),
        Alias(pk=8, kind="previous", given_name="Ann", family_name="Grey"),
    ]


def _markers() -> list[WarningMarker]:
    return [
        WarningMarker(pk=3, code="VI", note='Assaulted "an officer" <2019>', from_date=dt.date(2019, 3, 1)),
        WarningMarker(pk=4, code="SH", note="", from_date=dt.date(2021, 12, 25)),
    ]


@pytest.mark.parametrize("may_change", [True, False])
@pytest.mark.parametrize("full", [True, False])
def test_the_identity_card_is_the_templates(db, may_change, full):
    person = _person(
        date_of_birth=dt.date(1980, 5, 17) if full else None,
        gender="female" if full else "not_known",
        pnc_id="2004/0012345D" if full else "",
        crn="X<123>" if full else "",
    )
    identifiers = [
        (Person._meta.get_field(name).verbose_name, getattr(person, name))
        for name in Person.IDENTIFIER_FIELDS
        if getattr(person, name)
    ]
    aliases, markers = (_aliases(), _markers()) if full else ([], [])
    age = person.age_on(dt.date(2026, 12, 7))
    context = {
        "person": person,
        "age": age,
        "identifiers": identifiers,
        "aliases": aliases,
        "markers": markers,
        "may_change": may_change,
    }
    written = cards.identity_card(person, age, identifiers, aliases, markers, may_change)
    assert written == _template("card_identity.html", context)


@pytest.mark.parametrize("may_change", [True, False])
@pytest.mark.parametrize("full", [True, False])
def test_the_addresses_card_is_the_templates(db, may_change, full):
    person = _person()
    addresses = (
        [
            Address(
                pk=5, kind="approved_premises", line_1="Hope <House>", postcode="NT9 9ZZ", from_date=dt.date(2024, 1, 1)
            ),
            Address(
                pk=6,
                kind="temporary",
                line_1="2 Side & Lane",
                town="Northtown",
                postcode="NT2 2BB",
                from_date=dt.date(2022, 2, 2),
                to_date=dt.date(2099, 1, 1),
            ),  # fmt: skip
            Address(pk=7, kind="nfa", from_date=dt.date(2020, 6, 1), to_date=dt.date(2021, 1, 1)),
            Address(
                pk=8,
                line_1="1 Old Road",
                postcode="NT1 1AA",
                from_date=dt.date(2015, 1, 1),
                to_date=dt.date(2019, 1, 1),
            ),  # fmt: skip
        ]
        if full
        else []
    )
    context = {"person": person, "addresses": addresses, "may_change": may_change}
    written = cards.addresses_card(person, addresses, may_change)
    assert written == _template("card_addresses.html", context)


@pytest.mark.parametrize("may_change", [True, False])
@pytest.mark.parametrize("full", [True, False])
def test_the_nominals_card_is_the_templates(db, may_change, full):
    person = _person()
    manager = Staff(first_name="Olivia & <Co>", last_name="Mercer")
    nominals = (
        [
            Nominal(
                pk=9,
                reference="NOM<1>",
                mappa_category="tbd",
                management_level=2,
                status="active",
                offender_manager=manager,
            ),  # fmt: skip
            Nominal(pk=10, reference="NOM2", mappa_category="1", management_level=1, status="closed"),
        ]
        if full
        else []
    )
    context = {"person": person, "nominals": nominals, "may_change": may_change}
    written = cards.nominals_card(person, nominals, may_change)
    assert written == _template("card_nominals.html", context)


@pytest.mark.parametrize("may_change", [True, False])
@pytest.mark.parametrize("full", [True, False])
def test_the_timeline_card_is_the_templates(db, may_change, full):
    person = _person()
    offence = Offence(pk=1, description='Assault & "battery" <s.39>')
    area = Area(pk=2, name="North & <town>")
    incidents = [
        Incident(
            pk=11,
            reference="INC<1>",
            occurred_at=dt.datetime(2025, 3, 1, 14, 30, tzinfo=dt.UTC),
            local_area=area,
            offence=offence,
            domestic_abuse=True,
        ),  # fmt: skip
        Incident(pk=12, reference="INC2", occurred_at=dt.datetime(2024, 7, 1, 0, 0, tzinfo=dt.UTC), local_area=area),
    ]
    links = [
        IncidentPerson(pk=1, incident=incidents[0], role="perpetrator"),
        IncidentPerson(pk=2, incident=incidents[0], role="victim"),
        IncidentPerson(pk=3, incident=incidents[1], role="witness"),
    ]
    convictions = [
        Conviction(
            pk=21,
            kind="conviction",
            offence=offence,
            relevant_date=dt.date(2025, 5, 1),
            court="Crown <Court>",
            disposal="imprisonment",
            term_months=1,
            discharge_months=0,
            soa_schedule_3=True,
        ),  # fmt: skip
        Conviction(
            pk=22,
            kind="caution",
            offence=offence,
            relevant_date=dt.date(2023, 1, 1),
            disposal="caution",
            cja_schedule_15=True,
        ),  # fmt: skip
        Conviction(
            pk=23,
            kind="conviction",
            offence=offence,
            relevant_date=dt.date(2022, 1, 1),
            disposal="imprisonment",
            term_months=24,
            discharge_months=3,
        ),  # fmt: skip
    ]
    timeline = record._timeline(links, convictions) if full else []
    context = {"person": person, "timeline": timeline, "may_change": may_change}
    written = cards.timeline_card(person, timeline, may_change)
    assert written == _template("card_timeline.html", context)


@pytest.mark.parametrize("may_change", [True, False])
@pytest.mark.parametrize("full", [True, False])
def test_the_notifications_card_is_the_templates(db, may_change, full):
    person = _person()
    notifications = (
        [
            (
                Notification(
                    pk=1,
                    kind="change",
                    change="home_address",
                    event_on=dt.date(2026, 1, 2),
                    notified_on=dt.date(2026, 1, 4),
                ),
                Timeliness(dt.date(2026, 1, 5), True),
            ),  # fmt: skip
            (
                Notification(
                    pk=2,
                    kind="travel",
                    departure_on=dt.date(2026, 2, 1),
                    destination="Spain & <Portugal>",
                    notified_on=dt.date(2026, 1, 30),
                ),
                Timeliness(dt.date(2026, 1, 25), False),
            ),  # fmt: skip
            (Notification(pk=3, kind="change", change="name", notified_on=dt.date(2026, 3, 1)), Timeliness(None, None)),
            (Notification(pk=4, kind="periodic", notified_on=dt.date(2026, 4, 1)), Timeliness(None, None)),
        ]
        if full
        else []
    )
    context = {"person": person, "notifications": notifications, "may_change": may_change}
    written = cards.notifications_card(person, notifications, may_change)
    assert written == _template("card_notifications.html", context)


@pytest.mark.parametrize("may_change", [True, False])
@pytest.mark.parametrize("blocked", [True, False])
@pytest.mark.parametrize("full", [True, False])
def test_the_retention_card_is_the_templates(db, may_change, blocked, full):
    person = _person()
    working = (
        Step("Group 2 from 2020-01-02; review due 2030-01-02T10:30", "MoPI <2010> & APP"),
        Step(mark_safe("<em>Kept</em> since 2021-03-04")),
        Step('Plain "text" & <tags>'),
    )
    schedule = (
        RetentionSchedule(2, dt.date(2030, 1, 2), None if blocked else dt.date(2036, 1, 2), blocked, working)
        if full
        else None
    )
    holds = (
        [
            LegalHold(pk=5, reason="Civil <claim> & appeal", placed_on=dt.date(2025, 1, 1)),
            LegalHold(
                pk=6,
                reason="Inquiry",
                placed_on=dt.date(2020, 1, 1),
                lifted_on=dt.date(2021, 1, 1),
                lift_reason='"Closed" <done>',
            ),  # fmt: skip
        ]
        if full or blocked
        else []
    )
    context = {"person": person, "retention": schedule, "holds": holds, "may_change": may_change}
    written = cards.retention_card(person, schedule, holds, may_change)
    assert written == _template("card_retention.html", context)
    if full and not blocked:  # a schedule with no disposal date and no hold
        schedule = RetentionSchedule(1, dt.date(2030, 1, 2), None, False, ())
        context = {"person": person, "retention": schedule, "holds": [], "may_change": may_change}
        assert cards.retention_card(person, schedule, [], may_change) == _template("card_retention.html", context)


def test_the_person_page_shows_the_cards(world, sign_in):
    page = sign_in(world.users.om).get(f"/people/{world.people.offender.pk}/").content.decode()
    for title in (
        "Identity",
        "Other names",
        "Warning markers",
        "Addresses",
        "Nominals",
        "Notifications",
        "Incidents and convictions",
        "Retention and legal holds",
    ):
        assert f'<h2 class="govuk-summary-card__title">{title}' in page
    assert f'href="/nominals/{world.nominals.mine.pk}/"' in page
