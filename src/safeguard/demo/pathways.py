"""The demo's interventions, release checklist and peer observation (the README tour's pathways rows).

- the area's catalogue of programmes (the names the seeds quote: Healthy Relationships, 7 Pathways; a domestic
  abuse perpetrator programme; community substance misuse treatment; fictional providers);
- om.demo's first Level 2 action refers its nominal to the perpetrator programme (accepted, next step in 3 days);
- one of om.demo's nominals in custody, released in 10 weeks: its checklist started, accommodation cannot be
  arranged (a gap on my work);
- a Level 2 meeting held last week chaired by chair.demo, observed by supervisor.demo and a probation officer,
  shared with the chair;
- a chairs' CPD event two weeks ago attended by chair.demo, counted in competence; one of om.demo's nominals in
  the IOM cohort (Flex), its review due in 5 days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.access.purposes import default_purpose
from safeguard.actions.models import Action
from safeguard.meetings.models import Meeting
from safeguard.offenders import due_dates
from safeguard.offenders.models import Location, Nominal
from safeguard.pathways.models import CpdEvent, PathwayItem, Programme
from safeguard.pathways.services import cpd, interventions, iom, observations, release
from safeguard.referrals.models import Referral
from safeguard.rules import peer_observation
from safeguard.rules import release_pathways as rule
from safeguard.workforce.models import Course, Staff

from .organisation import Organisation
from .signins import TOUR_FAMILY_NAME

RELEASE_IN_DAYS = 70  # "a release in 10 weeks"
PROGRAMMES = (
    ("Building Better Relationships", Programme.Kind.DA_PERPETRATOR, "Fictional Probation Programmes Unit"),
    ("Healthy Relationships", Programme.Kind.DA_PERPETRATOR, "Fictional Shire Police HHPU"),
    ("7 Pathways", Programme.Kind.MENTORING, "Fictional Shire Police HHPU"),
    ("Community substance misuse treatment", Programme.Kind.SUBSTANCE_MISUSE, "Fictional Recovery Service"),
    ("Through the gate accommodation", Programme.Kind.ACCOMMODATION, "Fictional Housing Advice"),
    ("Employment and skills", Programme.Kind.EMPLOYMENT, "Fictional Skills Partnership"),
)


def _ctx(user: Staff) -> AccessContext:
    return AccessContext(user=user, purpose=default_purpose(user.roles))


def _catalogue(org: Organisation) -> dict[str, Programme]:
    return {
        name: Programme.objects.get_or_create(
            area=org.mappa,
            name=name,
            provider=provider,
            defaults={"kind": kind, "eligibility_notes": "Fictional: as the provider's own criteria say."},
        )[0]
        for name, kind, provider in PROGRAMMES
    }


def _referral(om: Staff, programmes: dict[str, Programme], today: dt.date) -> int | None:
    action = Action.objects.filter(owner=om, forum__kind="mappa_l2").order_by("pk").first()
    nominal = action and Nominal.objects.filter(person_id=action.person_id, offender_manager=om).first()
    if nominal is None:
        return None
    ctx = _ctx(om)
    made = interventions.refer(
        ctx,
        nominal,
        programme=programmes["Building Better Relationships"],
        pillar="interventions_and_treatment",
        next_step_due_on=today + dt.timedelta(days=3),
        action=action,
    )
    made = interventions.move(ctx, made, to_status="assessed", expected_version=1)
    made = interventions.move(
        ctx, made, to_status="accepted", expected_version=2, next_step_due_on=today + dt.timedelta(days=3)
    )
    return made.pk


def _release(om: Staff, today: dt.date) -> int | None:
    # One already in custody where om.demo has one (the caseload's history, worked out when the world was made,
    # stays true); otherwise one taken into custody here.
    mine = (
        Nominal.objects.filter(offender_manager=om, status=Nominal.Status.ACTIVE, management_level=1)
        .exclude(person__family_name=TOUR_FAMILY_NAME)
        .exclude(pk__in=Referral.objects.exclude(nominal=None).values("nominal_id"))  # the tour's referrals' own
    )
    nominal = mine.filter(location=Location.CUSTODY).order_by("pk").first() or mine.order_by("pk").first()
    if nominal is None:
        return None
    Nominal.objects.filter(pk=nominal.pk).update(
        location=Location.CUSTODY,
        location_detail=nominal.location_detail or "HMP Fictional",
        release_date=today + dt.timedelta(days=RELEASE_IN_DAYS),
        detained_since=nominal.detained_since or today - dt.timedelta(days=400),
    )
    due_dates.recompute([nominal.pk], today)
    nominal.refresh_from_db()
    ctx = _ctx(om)
    plan = release.start_plan(ctx, nominal)
    items = {item.pathway: item for item in plan.items.all()}
    release.change_item(
        ctx,
        items[rule.ACCOMMODATION],
        owner_agency=nominal.lead_agency,
        due_on=plan.release_date,
        status=rule.NOT_POSSIBLE,
        detail="No approved premises bed on the day; the council's housing options team is asked.",
        expected_version=1,
    )
    gp: PathwayItem = items[rule.GP]
    release.change_item(
        ctx,
        gp,
        owner_agency=nominal.lead_agency,
        due_on=gp.due_on,
        status=rule.ARRANGED,
        detail="Registration form sent to the practice near the approved address.",
        expected_version=1,
    )
    return plan.pk


def _observation(org: Organisation, users: dict[str, Staff], today: dt.date) -> int | None:
    chair, supervisor = users.get("chair.demo"), users.get("supervisor.demo")
    probation = Staff.objects.filter(pk__in=sum(org.probation_oms.values(), [])).order_by("pk").first()
    forum = org.forums.get("mappa-l2")
    if not (chair and supervisor and probation and forum):
        return None
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=7), dt.time(10)))
    held = Meeting.objects.create(forum=forum, starts_at=start, chair=chair, status=Meeting.Status.HELD)
    ctx = _ctx(users["coordinator.demo"])
    seen = observations.record_observation(
        ctx,
        held,
        first_observer=supervisor,
        second_observer=probation,
        ratings=dict.fromkeys(peer_observation.ITEMS, "strength") | {"victim_focus": "develop", "actions": "adequate"},
        strengths="The chair kept the panel on the risk of serious harm and summarised it before each decision.",
        development="The victim's voice came late in each case; actions need dates agreed in the room.",
        themes=["victim_voice", "actions_smart"],
    )
    return observations.share_with_chair(ctx, seen, expected_version=1).pk


def _cpd(users: dict[str, Staff], today: dt.date) -> int | None:
    coordinator, chair = users.get("coordinator.demo"), users.get("chair.demo")
    if not (coordinator and chair):
        return None
    ctx = _ctx(coordinator)
    event = cpd.record_event(
        ctx,
        course=Course.objects.get(code="mappa_chair"),
        title="Chairs' CPD: defensible decisions and the four pillars",
        audience=CpdEvent.Audience.CHAIRS,
        held_on=today - dt.timedelta(days=14),
        hours=Decimal("2.5"),
        delivered_by="The MAPPA coordinators",
        counts_in_competence=True,
    )
    cpd.record_attendance(ctx, event, staff=chair)
    return event.pk


def _iom(users: dict[str, Staff], today: dt.date) -> int | None:
    om = users["om.demo"]
    nominal = (
        Nominal.objects.filter(offender_manager=om, status=Nominal.Status.ACTIVE, management_level=1)
        .exclude(location=Location.CUSTODY)
        .exclude(person__family_name=TOUR_FAMILY_NAME)
        .order_by("-pk")
        .first()
    )
    if nominal is None:
        return None
    return iom.enter(
        _ctx(om),
        nominal,
        stream="flex",
        neighbourhood_crime=False,
        score=None,
        reason="Repeat domestic abuse against two partners: the panel prioritises it locally (Flex).",
        next_review_on=today + dt.timedelta(days=5),
    ).pk


def build(org: Organisation, today: dt.date) -> dict:
    users = org.demo_users
    programmes = _catalogue(org)
    om = users["om.demo"]
    return {
        "programmes": len(programmes),
        "referral": _referral(om, programmes, today),
        "release_plan": _release(om, today),
        "peer_observation": _observation(org, users, today),
        "cpd_event": _cpd(users, today),
        "iom_membership": _iom(users, today),
    }
