"""A world with at least one record of every registered kind, on the shared `world` fixture (tests/conftest.py).

Built on the forum, triage and referral builders of those apps' tests, with the records they leave out made
here: a person's parts, events, staff records, course places, an allocation batch, the parts of a meeting,
a referral's transitions, a link between two cases and two background jobs (a supervisor's, an analyst's);
a month's figure snapshot of each area; the pathways records (tests/pathways/records.py).
Two more members of staff: a MAPPA coordinator in a housing agency (a Duty-to-Co-operate agency: coordinates
nothing) and a probation offender manager.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from safeguard.accounts.models import EnrolmentCode, RoleChange
from safeguard.actions.models import Prompt
from safeguard.assessments.models import Assessment, InstrumentVersion
from safeguard.demo import factories as f
from safeguard.events.models import Conviction, Notification, Offence
from safeguard.jobs.models import Job
from safeguard.meetings.models import Attendance, Decision, ForumCase, MinutesShare
from safeguard.offenders.models import DueNotice
from safeguard.oidc.models import LinkedIdentity
from safeguard.orders.models import Order, OrderBreach, Outcome
from safeguard.oversight.models import FigureSnapshot, ProtectedCharacteristics
from safeguard.people.models import Address, Alias, LegalHold, Relationship, WarningMarker
from safeguard.referrals.models import CaseLink, ReferralTransition
from safeguard.triage.models import EncompassNotice, GradeChange
from safeguard.workforce.models import (
    AllocationBatch,
    AllocationRecommendation,
    Buddy,
    CaseloadSnapshot,
    Course,
    CoursePlace,
    Role,
    WaitingListEntry,
)
from tests.matching import builders as matching
from tests.meetings import builders as meetings
from tests.pathways import records as pathways
from tests.referrals import builders as referrals
from tests.triage import builders as triage

EXTRA_USERS = ("housing_coordinator", "probation_om")


def build(world) -> SimpleNamespace:
    users = world.users
    today = timezone.localdate()
    users.housing_coordinator = f.staff("housing_coordinator", world.housing, [Role.MAPPA_COORDINATOR])
    users.probation_om = f.staff("probation_om", world.probation, [Role.OFFENDER_MANAGER])
    forums = meetings.records(world)
    triaged = triage.build(world)
    referral = referrals.mappa_referral(world)
    marac_referral = referrals.marac_referral(world)
    offender, victim = world.people.offender, world.people.victim

    Alias.objects.create(person=offender, family_name="Smyth", date_of_birth=offender.date_of_birth)
    Address.objects.create(person=victim, from_date=today - dt.timedelta(days=400), line_1="1 Fictional Road")
    WarningMarker.objects.create(person=offender, code="VI")
    LegalHold.objects.create(person=world.people.away, reason="Inquiry", placed_by=users.coordinator)
    Relationship.objects.create(person=offender, other=victim, kind="ex_partner", personal_connection="yes")
    offence = Offence.objects.first() or Offence.objects.create(code="T1", title="A fictional offence")
    Conviction.objects.create(
        person=offender,
        offence=offence,
        relevant_date=today - dt.timedelta(days=900),
        disposal="custody",
        licence_or_order_end=today + dt.timedelta(days=300),
    )
    Notification.objects.create(
        person=offender,
        kind="initial",
        event_on=today - dt.timedelta(days=10),
        notified_on=today,
        recorded_by=users.om,
    )
    DueNotice.objects.create(nominal=world.nominals.mine, kind="mappa_review", due_on=today)
    DueNotice.objects.create(nominal=world.nominals.away, kind="mappa_review", due_on=today)
    Assessment.objects.create(
        person=victim,
        instrument=InstrumentVersion.objects.filter(code="dash").first() or _instrument("dash"),
        answers={},
        result={},
        summary="Fictional",
        assessed_on=today,
        assessor=users.marac,
    )
    Assessment.objects.create(
        person=offender,
        instrument=InstrumentVersion.objects.filter(code="rm2000").first() or _instrument("rm2000"),
        answers={},
        result={},
        summary="Fictional",
        assessed_on=today,
        assessor=users.om,
    )

    course = Course.objects.get(code="mappa_chair")
    WaitingListEntry.objects.create(staff=users.om, course=course)
    Buddy.objects.create(new_joiner=users.om2, buddy=users.om, recorded_by=users.supervisor)
    CaseloadSnapshot.objects.create(
        month=today.replace(day=1),
        officer=users.om,
        area=world.home["mappa"],
        cases=3,
        weighted_units=Decimal("3"),
        high_risk_cases=1,
        community_cases=2,
        custody_cases=1,
        approved_premises_cases=0,
        level_2_3_cases=1,
        over_ratio=False,
        over_high_risk_cap=False,
        taken_at=timezone.now(),
    )
    CoursePlace.objects.create(
        course=course,
        offered_by="This force",
        starts_on=today,
        places=2,
        area=world.home["mappa"],
        recorded_by=users.supervisor,
    )
    team = users.om.team
    batch = AllocationBatch.objects.create(
        area=world.home["mappa"], team=team, description="Next month", created_by=users.supervisor
    )
    area_batch = AllocationBatch.objects.create(
        area=world.home["mappa"], description="The area", created_by=users.coordinator
    )
    AllocationRecommendation.objects.create(batch=batch, nominal=world.nominals.mine, recommended_officer=users.om)
    AllocationRecommendation.objects.create(batch=area_batch, nominal=world.nominals.other)

    Job.objects.create(
        kind=Job.Kind.ACCEPT_ALL,
        started_by=users.supervisor,
        team_id=users.supervisor.team_id,
        area_id=users.supervisor.mappa_area_id,
        purpose="supervision",
        params={"batch": batch.pk, "version": batch.version},
        unit="decisions",
        total=1,
    )
    Job.objects.create(
        kind=Job.Kind.MONTHLY_PACK, started_by=users.analyst, area_id=users.analyst.mappa_area_id, purpose="supervision"
    )
    Attendance.objects.create(meeting=forums.now, agency=world.police, staff=users.om, name="Olivia Mercer")
    Attendance.objects.create(meeting=forums.marac_meeting, agency=world.housing, name="A housing officer")
    Decision.objects.create(item=forums.item, text="Level 2", rationale="Risk is high", recorded_by=users.chair)
    MinutesShare.objects.create(
        meeting=forums.now, agency=world.idva_service, reason="Supports the victim", permitted_by=users.chair
    )
    CaseLink.objects.create(
        from_case=ForumCase.objects.get(forum=world.marac, person=victim), to_case=forums.case, reason="Same people"
    )
    Prompt.objects.create(
        kind=Prompt.Kind.CATEGORY_3,
        assigned_to=users.coordinator,
        person=offender,
        nominal=world.nominals.mine,
        reasons=["Fictional"],
    )
    ReferralTransition.objects.create(referral=referral, from_status="draft", to_status="submitted", by=users.om)
    GradeChange.objects.create(case=triaged.case, to_grade="amber", by=users.marac)
    EncompassNotice.objects.create(
        case=triaged.case,
        child=triaged.child,
        school="Fictional Primary",
        due_by=timezone.now(),
        sent_at=timezone.now(),
        sent_by=users.marac,
    )
    order = Order.objects.create(
        nominal=world.nominals.mine,
        kind="shpo",
        made_on=today,
        conditions="No contact with children",
        recorded_by=users.om,
    )
    OrderBreach.objects.create(order=order, occurred_on=today, disposal="convicted", recorded_by=users.om)
    Order.objects.create(
        nominal=world.nominals.away, kind="sro", made_on=today, conditions="None", recorded_by=users.away_om
    )
    Outcome.objects.create(
        nominal=world.nominals.other,
        kind="sfo",
        occurred_on=today,
        level_then=1,
        category_then="1",
        recorded_by=users.om2,
    )
    ProtectedCharacteristics.objects.create(person=victim, disabled="prefer_not", recorded_by=users.marac)
    ProtectedCharacteristics.objects.create(person=world.people.away, lgbt_plus="yes", recorded_by=users.away_om)
    for area in (world.home["mappa"], world.away["mappa"]):  # a month's figures of each area, as kept
        FigureSnapshot.objects.create(
            area=area,
            kind="month",
            period_end=dt.date(2026, 10, 31),
            what="dashboard",
            figures={},
            taken_at=timezone.now(),
        )
    LinkedIdentity.objects.create(staff=users.om, subject='{"iss": "https://id.example", "sub": "om"}')
    RoleChange.objects.create(
        staff=users.om, role="offender_manager", reason="a new post", state="pending", requested_by=users.admin
    )
    EnrolmentCode.objects.create(
        staff=users.om,
        code_hash="not-a-real-hash",
        issued_by=users.admin,
        expires_at=EnrolmentCode.expiry_from(timezone.now()),
    )
    matching.pair(world)  # a possible match in the home area, and the model that found it
    away = f.person(world.away["mappa"], "Farrah", "Distant", dt.date(1990, 1, 1))
    matching.pair(world, world.people.away, away, area=world.away["mappa"])
    matching.merge(world, f.person(world.home["mappa"], "Mo", "Ahmed"), f.person(world.home["mappa"], "Mo", "Ahmad"))
    pathways.records(world)  # a referral, a release checklist and its items, a peer observation
    return SimpleNamespace(forums=forums, triage=triaged, referral=referral, marac_referral=marac_referral)


def _instrument(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.create(code=code, edition="test", current=True)
