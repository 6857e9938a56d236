"""The API's reads of a nominal's intervention referrals, release checklists and IOM memberships: the nominal
through the gate's one-record rule, its records through their scope, each read audited; a refused read is the
one 404, audited as refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Outcome
from tests.conftest import verified_client
from tests.pathways.records import records

pytestmark = pytest.mark.django_db


def _get(client, name, nominal):
    return client.get(reverse(f"api-nominal-pathways-{name}", kwargs={"pk": nominal.pk}))


def test_the_offender_manager_reads_the_referrals_audited(world, client):
    r = records(world)
    verified_client(client, world.users.om)
    response = _get(client, "intervention-referrals", r.mine)
    assert response.status_code == 200
    (found,) = response.json()["results"]
    assert (found["id"], found["status"], found["programme"]["name"]) == (
        r.referral.pk,
        "accepted",
        "Building Better Relationships",
    )
    listed = AuditEvent.objects.filter(record_type="pathways.interventionreferral").latest("id")
    assert (listed.actor_id, listed.outcome, listed.detail["shown"]) == (
        world.users.om.pk,
        Outcome.ALLOWED,
        [r.referral.pk],
    )
    read = AuditEvent.objects.filter(record_type="offenders.nominal", record_id=r.mine.pk).latest("id")
    assert read.outcome == Outcome.ALLOWED and read.detail.get("page") == "intervention referrals"


def test_the_release_checklist_shows_each_pathway_and_its_gap(world, client):
    r = records(world)
    verified_client(client, world.users.chair)  # reads the nominal: reads its checklist
    (plan,) = _get(client, "release-checklists", r.mine).json()["results"]
    assert plan["release_date"] == r.mine.release_date.isoformat() and plan["outcome"] == ""
    gaps = {item["pathway"]: item["gap"] for item in plan["items"]}
    assert len(gaps) == 6 and gaps["accommodation"] is True and gaps["gp"] is False


def test_the_iom_memberships(world, client):
    r = records(world)
    verified_client(client, world.users.om2)
    (member,) = _get(client, "iom-memberships", r.member.nominal).json()["results"]
    assert (member["id"], member["stream"], member["suggested_stream"]) == (r.member.pk, "flex", "free")
    assert _get(client, "iom-memberships", r.mine).json()["results"] == []


@pytest.mark.parametrize("name", ["intervention-referrals", "release-checklists", "iom-memberships"])
def test_a_read_outside_the_need_to_know_is_refused_and_audited(world, client, name):
    r = records(world)
    verified_client(client, world.users.away_om)
    response = _get(client, name, r.mine)
    assert response.status_code == 404
    refused = AuditEvent.objects.filter(record_type="offenders.nominal", record_id=r.mine.pk).latest("id")
    assert (refused.actor_id, refused.outcome) == (world.users.away_om.pk, Outcome.REFUSED)
    assert not AuditEvent.objects.filter(
        actor_id=world.users.away_om.pk, record_type__startswith="pathways.", outcome=Outcome.ALLOWED
    ).exists()
