"""The programmes, referrals, release checklist and peer observation the pathways tests use, on the shared `world`
fixture (tests/conftest.py) and the forum records (tests/meetings/builders.py), made once per world.

- `programme`: a domestic abuse perpetrator programme of the home area; `other_programme`: the away area's;
- `referral`: `world.nominals.mine` (Olivia Mercer's, `om`) referred to it from the forum's risk management plan
  action (`forums.action`), accepted, its next step due in five days;
- `mine` is in custody, released in 10 weeks: its checklist (`plan`) started, accommodation cannot be arranged
  (a gap), the rest to arrange;
- `held`: a Level 2 meeting held last week, chaired by `chair`; `observation`: observed by `supervisor` and `om2`,
  shared with the chair;
- `member`: `world.nominals.other` (om2's, the other team's) in the IOM cohort, Flex, review in 30 days;
- `cpd`: a chairs' CPD event held 10 days ago that counts in competence, attended by `chair`.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from safeguard.meetings.models import Meeting
from safeguard.offenders.models import Location, Nominal
from safeguard.pathways.models import (
    CpdAttendance,
    CpdEvent,
    InterventionReferral,
    IomMembership,
    PathwayItem,
    PeerObservation,
    Programme,
    ReleasePlan,
)
from safeguard.rules import peer_observation, release_pathways
from safeguard.workforce.models import Course
from tests.meetings import builders as meetings

RATINGS = dict.fromkeys(peer_observation.ITEMS, "adequate") | {"victim_focus": "develop"}


def programme(area, name="Building Better Relationships", kind=Programme.Kind.DA_PERPETRATOR) -> Programme:
    return Programme.objects.create(
        area=area,
        name=name,
        kind=kind,
        provider="Fictional Probation Programmes",
        eligibility_notes="Adult men with a domestic abuse conviction; not during an active assessment of risk.",
    )


def put_in_custody(nominal: Nominal, release_in_days: int) -> Nominal:
    """The nominal in custody, released ``release_in_days`` from today (an update: no recalculation)."""
    release = timezone.localdate() + dt.timedelta(days=release_in_days)
    Nominal.objects.filter(pk=nominal.pk).update(
        location=Location.CUSTODY, location_detail="HMP Fictional", release_date=release
    )
    nominal.refresh_from_db()
    return nominal


def checklist(nominal: Nominal, started_by) -> ReleasePlan:
    plan = ReleasePlan.objects.create(nominal=nominal, release_date=nominal.release_date, started_by=started_by)
    for name, due in release_pathways.due_dates(nominal.release_date).items():
        PathwayItem.objects.create(plan=plan, pathway=name, owner_agency_id=nominal.lead_agency_id, due_on=due)
    return plan


def records(world) -> SimpleNamespace:
    found = getattr(world, "pathways_records", None)
    if found is not None:
        return found
    today = timezone.localdate()
    users = world.users
    forums = meetings.records(world)
    home = programme(world.home["mappa"])
    away = programme(world.away["mappa"], name="Away programme")
    referral = InterventionReferral.objects.create(
        nominal=world.nominals.mine,
        programme=home,
        pillar="interventions_and_treatment",
        source=InterventionReferral.Source.ACTION,
        action=forums.action,
        status="accepted",
        next_step_due_on=today + dt.timedelta(days=5),
        referred_by=users.om,
    )
    mine = put_in_custody(world.nominals.mine, 70)
    plan = checklist(mine, users.om)
    PathwayItem.objects.filter(plan=plan, pathway=release_pathways.ACCOMMODATION).update(
        status=release_pathways.NOT_POSSIBLE, detail="No approved premises bed on the day."
    )
    held = Meeting.objects.create(
        forum=forums.forum,
        starts_at=meetings.at(today - dt.timedelta(days=7)),
        chair=users.chair,
        status=Meeting.Status.HELD,
    )
    observation = PeerObservation.objects.create(
        meeting=held,
        first_observer=users.supervisor,
        second_observer=users.om2,
        ratings=RATINGS,
        strengths="The chair kept the panel to the risk of serious harm.",
        development="The victim's voice was heard late.",
        themes=["victim_voice"],
        recorded_by=users.supervisor,
        shared_with_chair_on=today,
    )
    cpd = CpdEvent.objects.create(
        area=world.home["mappa"],
        course=Course.objects.get(code="mappa_chair"),
        title="Chairing defensible decisions",
        audience=CpdEvent.Audience.CHAIRS,
        held_on=today - dt.timedelta(days=10),
        hours=2,
        delivered_by="The MAPPA coordinators",
        counts_in_competence=True,
        recorded_by=users.coordinator,
    )
    attended = CpdAttendance.objects.create(event=cpd, staff=users.chair, recorded_by=users.coordinator)
    member = IomMembership.objects.create(
        nominal=world.nominals.other,
        stream="flex",
        suggested_stream="free",
        score=40,
        reason="Repeat domestic abuse; the panel prioritises it locally.",
        next_review_on=today + dt.timedelta(days=30),
        entered_by=users.coordinator,
    )
    world.pathways_records = SimpleNamespace(
        member=member,
        cpd=cpd,
        attended=attended,
        forums=forums,
        programme=home,
        other_programme=away,
        referral=referral,
        mine=mine,
        plan=plan,
        accommodation=plan.items.get(pathway=release_pathways.ACCOMMODATION),
        gp=plan.items.get(pathway=release_pathways.GP),
        held=held,
        observation=observation,
    )
    return world.pathways_records
