"""Relationship-data quality against hand counts: which DA incidents and crimes have the victim-suspect
relationship recorded, the area's breakdowns (suppressed), the user's own list with its one-click link, the
target setting, and the audit."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.oversight.models import OversightSettings
from safeguard.oversight.services import relationships
from safeguard.people.models import Relationship
from safeguard.referrals.models import Referral
from tests import helpers
from tests.conftest import verified_client


def _incident(world, reference, *, days_ago=10, offence=True, local=0, victim=None, suspect=None, **fields):
    found = Incident.objects.create(
        reference=reference,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        local_area=fields.pop("local_area", world.home["local"][local]),
        domestic_abuse=fields.pop("domestic_abuse", True),
        offence=helpers.offence() if offence else None,
        recorded_by=fields.pop("recorded_by", world.police),
    )
    if victim:
        IncidentPerson.objects.create(incident=found, person=victim, role=IncidentRole.VICTIM)
    if suspect:
        IncidentPerson.objects.create(incident=found, person=suspect, role=IncidentRole.PERPETRATOR)
    return found


@pytest.fixture
def checked(world):
    people = world.people
    home = world.home["mappa"]
    v2 = f.person(home, "Rhona", "Unlinked", dt.date(1991, 2, 2))
    s2 = f.person(home, "Rory", "Unlinked", dt.date(1989, 3, 3))
    Relationship.objects.create(person=people.victim, other=people.offender, kind="intimate_partner")
    w = world
    w.i1 = _incident(world, "REL-1", victim=people.victim, suspect=people.offender)  # crime, recorded
    w.i2 = _incident(world, "REL-2", offence=False, victim=v2, suspect=s2)  # incident, missing
    w.i3 = _incident(world, "REL-3", local=1, victim=v2)  # crime with no suspect: missing
    _incident(world, "REL-4", domestic_abuse=False, victim=v2, suspect=s2)  # not DA: not counted
    w.i5 = _incident(world, "REL-5", local_area=world.away["local"][0], victim=v2)
    w.i6 = _incident(world, "REL-6", days_ago=400, victim=v2, suspect=s2)  # before the twelve months
    w.v2, w.s2 = v2, s2
    _written_by(w.i2, world.users.om)  # REL-2 recorded by the PPU North team
    world.marac.covers.set([world.home["local"][0]])
    users = world.users
    w.c1 = _case(world, people.victim, [people.offender], users.marac, world.police)  # recorded, team not known
    w.c2 = _case(world, v2, [s2], users.om, world.housing, status=Referral.Status.LISTED)  # missing, PPU North
    w.c5 = _case(world, v2, [], users.om2, world.idva_service)  # no perpetrator: missing, PPU South
    _case(world, v2, [s2], users.om, world.police, status=Referral.Status.DRAFT)  # a draft: not a case
    _case(world, v2, [s2], users.om, world.police, status=Referral.Status.DECLINED)  # declined: not a case
    return w


def _written_by(incident, user):
    Incident.history.model.objects.filter(id=incident.pk).update(history_user=user)


def _case(world, victim, perpetrators, by, agency, status=Referral.Status.ACCEPTED, days_ago=5):
    referral = Referral.objects.create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=victim,
        status=status,
        referring_agency=agency,
        referred_by=by,
        submitted_at=None if status == Referral.Status.DRAFT else timezone.now() - dt.timedelta(days=days_ago),
    )
    referral.perpetrators.set(perpetrators)
    return referral


def _checked(queryset):
    return {i.reference: i for i in relationships.checked_incidents(queryset)}


def test_each_da_incident_is_checked(checked):
    found = _checked(Incident.objects.all())
    assert set(found) == {"REL-1", "REL-2", "REL-3", "REL-5", "REL-6"}
    assert (found["REL-1"].offence_id is not None, found["REL-1"].is_recorded) == (True, True)
    assert (found["REL-2"].offence_id, found["REL-2"].is_recorded) == (None, False)
    assert found["REL-3"].is_recorded is False  # no suspect on it


def test_a_relationship_either_way_round_counts(checked):
    Relationship.objects.create(person=checked.s2, other=checked.v2, kind="intimate_partner")
    assert _checked(Incident.objects.filter(reference="REL-2"))["REL-2"].is_recorded


def test_a_relationship_with_someone_else_on_another_incident_does_not_count(checked):
    """v2 is linked to the offender, who is on no incident of v2's: REL-2 (v2 and s2) stays missing."""
    Relationship.objects.create(person=checked.v2, other=checked.people.offender, kind="intimate_partner")
    assert not _checked(Incident.objects.filter(reference="REL-2"))["REL-2"].is_recorded


def _raw(groups, key):
    """The unsuppressed (recorded, missing) per line, from the database's grouped counts."""
    out = {}
    for g in groups:
        r, m = out.get(key(g), (0, 0))
        out[key(g)] = (r + g.recorded, m + g.missing)
    return out


def test_the_database_counts_by_hand_count(checked):
    start = timezone.now() - dt.timedelta(days=300)
    groups = relationships.groups_of_area(checked.home["mappa"].pk, start)
    ppu, south = checked.users.om.team_id, checked.users.om2.team_id
    # Crime: REL-1 recorded, REL-3 missing; incident: REL-2 missing; MARAC case: C1 recorded, C2 and C5 missing.
    assert _raw(groups, lambda g: g.kind) == {"crime": (1, 1), "incident": (0, 1), "marac_case": (1, 2)}
    # Team: REL-2 and C2 by PPU North, C5 by PPU South; REL-1, REL-3 (no history user) and C1 (the MARAC
    # coordinator has no team) not known.
    assert _raw(groups, lambda g: g.team_id) == {ppu: (0, 2), south: (0, 1), None: (2, 1)}
    # Local area: the MARAC covers Northtown only; REL-3 is in Southvale.
    north, south_area = (a.pk for a in checked.home["local"])
    assert _raw(groups, lambda g: g.local_area_id) == {north: (2, 3), south_area: (0, 1)}
    police, housing, idva = checked.police.pk, checked.housing.pk, checked.idva_service.pk
    assert _raw(groups, lambda g: g.agency_id) == {police: (2, 2), housing: (0, 1), idva: (0, 1)}


def test_the_areas_breakdowns_as_published(checked):
    q = relationships.build_quality(checked.home["mappa"].pk, timezone.localdate())
    kinds = q.breakdown("By kind")
    assert kinds.labels == ["Crime", "Incident", "MARAC case"]
    assert [[x.text for x in row] for row in kinds.table.cells] == [
        ["fewer than 5", "fewer than 5"],
        ["0", "fewer than 5"],
        ["fewer than 5", "fewer than 5"],
    ]
    assert kinds.table.grand_total.text == "6"
    teams = q.breakdown("By team")
    assert teams.labels == [checked.users.om.team.name, checked.users.om2.team.name, "Team not known"]
    areas = q.breakdown("By local area")
    assert areas.labels == [a.name for a in sorted(checked.home["local"], key=lambda a: a.name)]
    months = q.breakdown("By month")
    assert len(months.labels) == relationships.MONTHS and months.table.grand_total.text == "6"
    assert q.target is None


def test_the_month_boundary_in_local_time(checked):
    """With 15 April 2027 as today the months start at 1 May 2026, 00:00 in London (23:00 UTC on 30 April)."""
    london = ZoneInfo("Europe/London")
    inside = dt.datetime(2026, 5, 1, 0, 30, tzinfo=london)
    outside = dt.datetime(2026, 4, 30, 23, 30, tzinfo=london)
    for reference, when in (("REL-7", inside), ("REL-8", outside)):
        _incident(checked, reference, victim=checked.v2, suspect=checked.s2).__class__.objects.filter(
            reference=reference
        ).update(occurred_at=when)
    q = relationships.build_quality(checked.home["mappa"].pk, dt.date(2027, 4, 15))
    months = q.breakdown("By month")
    assert months.labels[0] == "May 2026" and months.labels[-1] == "April 2027"
    # REL-7 is May 2026's one record (missing); REL-8 is before the months and not counted.
    assert [f.text for f in months.table.cells[0]] == ["0", "fewer than 5"]
    groups = relationships.groups_of_area(checked.home["mappa"].pk, dt.datetime(2026, 5, 1, tzinfo=london))
    by_month = _raw(groups, lambda g: g.month)
    assert by_month["2026-05"] == (0, 1) and "2026-04" not in by_month
    assert sum(r + m for r, m in by_month.values()) == 7  # the six of the fixture and REL-7


def test_the_target_is_a_setting_of_0_to_100(checked):
    settings = OversightSettings(area=checked.home["mappa"], relationship_target=101)
    with pytest.raises(ValidationError):
        settings.clean()
    OversightSettings.objects.create(area=checked.home["mappa"], relationship_target=90)
    assert relationships.build_quality(checked.home["mappa"].pk, timezone.localdate()).target == 90


def test_the_page_shows_no_small_number(checked, client):
    verified_client(client, checked.users.analyst)
    page = client.get(reverse("oversight:relationships"))
    assert page.status_code == 200
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', page.content.decode(), re.S)
    assert cells and not [c for c in cells if c.strip().isdigit() and 0 < int(c) < 5]


def test_the_list_for_each_team_with_the_one_click_form(checked, client):
    verified_client(client, checked.users.om)
    page = client.get(reverse("oversight:relationships-missing"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "REL-2" in html and "REL-3" in html and "REL-6" in html  # the list is the whole backlog
    assert "REL-1" not in html and "REL-4" not in html
    # REL-5 is in the other area, but its victim is a person of this one: the gate lets the user see it.
    assert "REL-5" in html
    assert reverse("oversight:relationships-record-incident", kwargs={"pk": checked.i2.pk}) in html
    assert reverse("events:incident-people", kwargs={"pk": checked.i3.pk}) in html
    assert f"MARAC referral {checked.c2.pk}" in html and f"MARAC referral {checked.c5.pk}" in html
    assert f"MARAC referral {checked.c1.pk}" not in html
    incidents = AuditEvent.objects.filter(record_type="events.incident").latest("pk")
    assert sorted(incidents.detail["shown"]) == sorted([checked.i2.pk, checked.i3.pk, checked.i5.pk, checked.i6.pk])
    cases = AuditEvent.objects.filter(record_type="referrals.referral").latest("pk")
    assert sorted(cases.detail["shown"]) == sorted([checked.c2.pk, checked.c5.pk])
    # One team's list: PPU North recorded REL-2 and C2.
    html = client.get(reverse("oversight:relationships-missing"), {"team": checked.users.om.team_id}).content.decode()
    assert "REL-2" in html and f"MARAC referral {checked.c2.pk}" in html
    assert "REL-3" not in html and f"MARAC referral {checked.c5.pk}" not in html
    html = client.get(reverse("oversight:relationships-missing"), {"team": "none"}).content.decode()
    assert "REL-3" in html and "REL-2" not in html


def test_one_click_records_it_through_the_people_use_case(checked, client):
    verified_client(client, checked.users.om)
    url = reverse("oversight:relationships-record-incident", kwargs={"pk": checked.i2.pk})
    response = client.post(url, {"kind": "intimate_partner"})
    assert response.status_code == 302
    made = Relationship.objects.get(person=checked.s2, other=checked.v2)
    assert (made.kind, made.personal_connection, made.domestic_abuse) == (
        "intimate_partner",
        "intimate_relationship",
        True,
    )
    assert AuditEvent.objects.filter(record_type="people.relationship", record_id=str(made.pk), operation="create")
    assert relationships.checked_incidents(Incident.objects.filter(pk=checked.i2.pk)).get().is_recorded
    # The MARAC case C2 has the same victim and suspect: recorded by the same relationship.
    assert relationships.checked_cases(Referral.objects.filter(pk=checked.c2.pk)).get().is_recorded
    # Again: already recorded, said on the field.
    again = client.post(url, {"kind": "intimate_partner"})
    assert again.status_code == 200 and "already recorded" in again.content.decode()


def test_one_click_says_what_to_choose_and_what_is_missing(checked, client):
    verified_client(client, checked.users.om)
    blank = client.post(reverse("oversight:relationships-record-incident", kwargs={"pk": checked.i2.pk}), {})
    assert "Select how the suspect is related to the victim" in blank.content.decode()
    no_suspect = client.post(
        reverse("oversight:relationships-record-case", kwargs={"pk": checked.c5.pk}), {"kind": "sibling"}
    )
    assert "There is no suspect on this record" in no_suspect.content.decode()
    assert not Relationship.objects.filter(other=checked.v2).exists()


def test_one_click_is_refused_to_who_may_not_change_both_people(checked, client):
    verified_client(client, checked.users.analyst)
    url = reverse("oversight:relationships-record-incident", kwargs={"pk": checked.i2.pk})
    assert client.post(url, {"kind": "intimate_partner"}).status_code == 404
    assert not Relationship.objects.filter(person=checked.s2, other=checked.v2).exists()


def test_the_figures_are_audited_and_refused_outside_the_roles(checked):
    relationships.quality(gate.AccessContext(user=checked.users.analyst, purpose="oversight"))
    assert AuditEvent.objects.filter(record_type=relationships.RECORD_TYPE, outcome="allowed").count() == 1
    with pytest.raises(gate.AccessRefused):
        relationships.quality(gate.AccessContext(user=checked.users.om, purpose="oversight"))
