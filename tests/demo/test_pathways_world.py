"""The demo's pathways (the README tour): the programme catalogue, om.demo's referral from a Level 2 action, a
release in 10 weeks with a gap on om.demo's work, and a peer observation shared with chair.demo."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.demo import pathways as demo_pathways
from safeguard.demo import workforce as demo_workforce
from safeguard.demo import world
from safeguard.pathways.models import InterventionReferral, IomMembership, PeerObservation, Programme, ReleasePlan
from safeguard.pathways.services import release
from safeguard.workforce.models import Staff

SIZE = demo_workforce.planned_case_count() + 300


def test_the_demo_pathways(db, sign_in):
    made = world.generate(seed=2026, nominal_count=SIZE, incident_count=1500)["pathways"]
    today = timezone.localdate()
    om = Staff.objects.get(username="om.demo")
    assert made["programmes"] == len(demo_pathways.PROGRAMMES) == Programme.objects.count()

    referral = InterventionReferral.objects.get(pk=made["referral"])
    assert (referral.status, referral.source, referral.nominal.offender_manager) == ("accepted", "action", om)

    plan = ReleasePlan.objects.get(pk=made["release_plan"])
    assert plan.release_date == today + dt.timedelta(days=demo_pathways.RELEASE_IN_DAYS)
    assert [item.pathway for item in release.my_gaps(om, today)] == ["accommodation"]

    observation = PeerObservation.objects.get(pk=made["peer_observation"])
    assert observation.shared_with_chair_on == today
    assert observation.meeting.chair.username == "chair.demo"

    assert made["cpd_event"] and made["iom_membership"]
    assert IomMembership.objects.get(pk=made["iom_membership"]).nominal.offender_manager == om

    page = sign_in(om).get("/").content.decode()
    assert "Intervention steps due" in page and "Gaps in release checklists" in page
    chair_page = sign_in(observation.meeting.chair).get("/").content.decode()
    assert "Peer feedback on meetings you chaired" in chair_page
