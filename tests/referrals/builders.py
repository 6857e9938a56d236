"""Builders for the referral tests, on the shared `world` (tests/conftest.py): forums, referrals in any state.

Every builder takes the world and is idempotent where a role test may call it
more than once (forums are found by name before they are made).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.assessments.rfg_ranking import local_midnight
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole, Offence
from safeguard.meetings.models import Forum, Meeting
from safeguard.referrals import services
from safeguard.referrals.models import Referral

RATIONALE = "The information shared meets the forum's threshold."
S = Referral.Status


def ctx(user, purpose: str = "referral_screening") -> AccessContext:
    return AccessContext(user=user, purpose=purpose)


def forums(world) -> SimpleNamespace:
    """The home area's forums: MAPPA Level 2 and 3 (police, probation), MATAC and IOM, and the world's MARAC."""
    area = world.home["mappa"]

    def forum(name: str, kind: str, members) -> Forum:
        found = Forum.objects.filter(name=name, area=area).first()
        if found is not None:
            return found
        made = Forum.objects.create(name=name, kind=kind, area=area)
        made.member_agencies.set(members)
        return made

    return SimpleNamespace(
        l2=forum("Fictional Shire MAPPA Level 2", Forum.Kind.MAPPA_LEVEL_2, [world.police, world.probation]),
        l3=forum("Fictional Shire MAPPA Level 3", Forum.Kind.MAPPA_LEVEL_3, [world.police, world.probation]),
        marac=world.marac,
        matac=forum("Fictional Shire MATAC", Forum.Kind.MATAC, [world.police, world.housing, world.idva_service]),
        iom=forum("Fictional Shire IOM panel", Forum.Kind.IOM, [world.police, world.probation]),
    )


def meeting(forum: Forum, days_ahead: int = 14) -> Meeting:
    found = Meeting.objects.filter(forum=forum, status=Meeting.Status.SCHEDULED).first()
    if found is not None:
        return found
    return Meeting.objects.create(forum=forum, starts_at=timezone.now() + dt.timedelta(days=days_ahead))


def mappa_referral(world, *, person=None, level_sought: int = 2, by=None) -> Referral:
    forums(world)
    person = person or world.people.offender
    return services.create_mappa_referral(
        ctx(by or world.users.om, "offender_management"),
        person=person,
        level_sought=level_sought,
        mappa_category="2",
        reason="Released in five months; threats to a former partner.",
        risk_summary="Index offence s.18 wounding; high risk of serious harm to partners.",
    )


def marac_details(world, **changes) -> services.MaracDetails:
    details = services.MaracDetails(
        incident_date=timezone.localdate(),
        perpetrators=[world.people.offender],
        victim_aware=True,
        victim_consents=True,
        children=[{"date_of_birth": "2018-04-01", "relationship": "daughter", "school": "Fictional Primary"}],
        feared="Her former partner.",
        safe_contact="Mobile, safe to call after 6pm",
        criteria=["professional_judgement"],
        professional_judgement_reason="Escalating threats and a recent strangulation attempt.",
    )
    for name, value in changes.items():
        setattr(details, name, value)
    return details


def marac_referral(world, *, person=None, by=None, **changes) -> Referral:
    forums(world)
    return services.create_marac_referral(
        ctx(by or world.users.marac, "victim_safeguarding"),
        person=person or world.people.victim,
        forum=world.marac,
        details=marac_details(world, **changes),
    )


def coordinator_for(world, referral: Referral):
    return world.users.marac if referral.forum.kind in ("marac", "matac", "triage") else world.users.coordinator


def advance(world, referral: Referral, status: str, *, level_set: int | None = None, **accept) -> Referral:
    """Move a draft on to a status through the services (referrer submits, coordinator decides)."""
    referrer = ctx(referral.referred_by)
    boss = ctx(coordinator_for(world, referral))
    path = {
        S.DRAFT: [],
        S.SUBMITTED: ["submit"],
        S.SCREENING: ["submit", "screen"],
        S.ACCEPTED: ["submit", "screen", "accept"],
        S.DECLINED: ["submit", "screen", "decline"],
        S.WITHDRAWN: ["withdraw"],
        S.LISTED: ["submit", "screen", "accept", "list"],
    }[status]
    for step in path:
        if step == "submit":
            referral = services.submit_referral(referrer, referral)
        elif step == "screen":
            referral = services.start_screening(boss, referral)
        elif step == "accept":
            level = level_set or referral.level_sought
            referral = services.accept_referral(boss, referral, rationale=RATIONALE, level_set=level, **accept)
        elif step == "decline":
            referral = services.decline_referral(boss, referral, rationale=RATIONALE)
        elif step == "withdraw":
            referral = services.withdraw_referral(referrer, referral, rationale=RATIONALE)
        elif step == "list":
            referral = services.list_referral(boss, referral, meeting(referral.forum))
    return referral


def incident(world, *, perpetrator, victim, on: dt.date, crime: bool = True, domestic_abuse: bool = True) -> Incident:
    offence = None
    if crime:  # made if missing: a live-server test's flush removes the offences the migration loads
        offence, _ = Offence.objects.get_or_create(
            code="OAPA1861-s47",
            defaults={"description": "Assault occasioning actual bodily harm", "statute": "OAPA 1861 s.47"},
        )
    made = Incident.objects.create(
        reference=f"INC/{Incident.objects.count() + 1:05d}",
        occurred_at=local_midnight(on) + dt.timedelta(hours=21),
        local_area=world.home["local"][0],
        domestic_abuse=domestic_abuse,
        offence=offence,
        recorded_by=world.police,
    )
    if perpetrator is not None:
        IncidentPerson.objects.create(incident=made, person=perpetrator, role=IncidentRole.PERPETRATOR)
    if victim is not None:
        IncidentPerson.objects.create(incident=made, person=victim, role=IncidentRole.VICTIM)
    return made


def submitted_on(referral: Referral, day: dt.date) -> Referral:
    """Backdate a referral's submission (and its state) to a day, as if submitted then."""
    at = local_midnight(day) + dt.timedelta(hours=10)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=at, status_since=at)
    referral.refresh_from_db()
    return referral


def person(world, given: str, family: str, dob: dt.date | None = None):
    return f.person(world.home["mappa"], given, family, dob or dt.date(1990, 6, 1))
