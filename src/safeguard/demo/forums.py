"""The demo's forums at work: coordinators, meetings, referrals, actions, links and prompts.

Run at the end of ``world.generate`` inside its transaction. Everything here is
a handful of records made through the services (the gate, the state machines,
the audit), the same in every world of a seed: the cost does not grow with the
world's size (the Category 3 scan and the scheduler are SQL over small tables).

What the tour finds (journeys 3, 5, 6, 7, 8):
- meetings for the next 8 weeks of every forum (``meetings.services.schedule``),
  the first of each today (``organisation.FORUM_SETTINGS``);
- a MAPPA referral for Level 2 by a probation officer about a violent offender
  released in about five months, submitted, for coordinator.demo to screen;
- a MARAC referral (with a child) accepted on the Amberwick MARAC, whose
  perpetrator is a MAPPA nominal where the world has one (a reciprocal link);
- a second Amberwick MARAC referral, submitted: a repeat (the incident about
  nine months after the victim's earlier referral), flagged on submission;
  its perpetrator is one of om.demo's Level 1 nominals, so the Category 3
  scan asks coordinator.demo and om.demo to consider a referral;
- a MATAC nomination from the RFG ranking, accepted, with four open actions on the case, one for each of the
  tactics disruption, diversion (a behaviour-change programme), support and enforcement (``MATAC_ACTIONS``);
- open actions: om.demo's (one overdue) and Amberwick Housing's;
- three domestic-abuse incidents in the window of today's triage (the demo's
  triage meets every day), one with a child present;
- about 30 cases due at the next MAPPA Level 2 meeting (a real day's
  agenda, to run case by case): where fewer Level 2 reviews fall due by
  then, more of the forum's open cases have their review date brought
  forward to the meeting's day.
- chair.demo chairing the second meeting from today of the MAPPA Level 2 and
  Level 3 forums (the next ones are left for the tour to set a chair), and a
  Level 3 meeting held three weeks ago under chair.demo whose minutes are not
  yet issued, so the chair's "my work" shows meetings to chair and minutes to
  approve.

Where a service cannot express demo history, the record is changed directly
and said so: the earlier MARAC referral is dated back nine months (a
submission is always "now"), one action's due date is moved into the past (a
new action must be due today or later), and the referred offender is placed
given a release date in five months (generated data; one already in custody),
and the review dates that fill the Level 2 meeting are set directly.
The held Level 3 meeting is demo history made directly (a meeting is held only
by running it on its day). Actions are made with ``actions.services.record_action`` (a forum case's
action, as the coordinator), not ``meetings.services.running.create_action``,
which needs a meeting in progress.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.access.purposes import default_purpose
from safeguard.actions import category3
from safeguard.actions import services as action_services
from safeguard.actions.models import Action
from safeguard.actions.tactics import Tactic
from safeguard.assessments import rfg_ranking
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase, Meeting
from safeguard.meetings.services import chair as chair_services
from safeguard.meetings.services import schedule
from safeguard.offenders.models import Location, Nominal
from safeguard.people.models import Relationship
from safeguard.referrals import services as referrals
from safeguard.referrals.models import Referral
from safeguard.referrals.services import facts
from safeguard.rules import cadence
from safeguard.rules.relationships import RelationshipKind
from safeguard.rules.triage import triage_window
from safeguard.workforce.models import Agency, Staff

from . import bulk
from .organisation import Organisation

MAPPA_COORDINATOR = "coordinator.demo"
MARAC_COORDINATOR = "marac.demo"
OFFENDER_MANAGER = "om.demo"
CHAIR = "chair.demo"
HELD_DAYS_AGO = 21  # the held Level 3 meeting whose minutes wait for the chair (the demo's own choice)
TOUR_MARAC = "marac-0"  # Amberwick MARAC: housing.demo's agency (Amberwick Housing) sits on it
RELEASE_IN_DAYS = 150  # "released in five months" (journey 3)
REPEAT_AFTER_DAYS = 275  # the incident about nine months after the earlier MARAC referral (journey 5)
TRIAGE_INCIDENTS = 3


def _ctx(user: Staff) -> AccessContext:
    """The member of staff acting, with their role's default purpose (what a signed-in session would carry)."""
    return AccessContext(user=user, purpose=default_purpose(user.roles))


def _accept(coordinator: AccessContext, referral: Referral, rationale: str, **extra) -> Referral:
    referral = referrals.start_screening(coordinator, referral)
    return referrals.accept_referral(coordinator, referral, rationale=rationale, **extra)


def _children_of(victim_id: int) -> list[int]:
    return list(
        Relationship.objects.filter(other_id=victim_id, kind=RelationshipKind.CHILD, domestic_abuse=False)
        .order_by("pk")
        .values_list("person_id", flat=True)
    )


def _da_pairs(perpetrator_ids) -> list[tuple[int, int]]:
    """(perpetrator, victim) of DA relationships, in id order."""
    return list(
        Relationship.objects.filter(person_id__in=list(perpetrator_ids), domestic_abuse=True)
        .order_by("pk")
        .values_list("person_id", "other_id")
    )


def _schedule(org: Organisation, users: dict[str, Staff], today: dt.date) -> int:
    mappa, marac = users[MAPPA_COORDINATOR], users[MARAC_COORDINATOR]
    made = 0
    for forum in org.forums.values():
        coordinator = (
            mappa if forum.kind in (Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MAPPA_LEVEL_3, Forum.Kind.IOM) else marac
        )
        forum.coordinators.add(coordinator)
        made += len(schedule.schedule_meetings(_ctx(coordinator), forum, today=today))
    return made


def _mappa_referral(org: Organisation, today: dt.date) -> Referral | None:
    """Journey 3: probation refers a violent offender (Category 2, Level 1) released in five months."""
    # A nominal already in custody, so that the workforce's caseload history (custody counts) stays true;
    # not one released within two months (journey 9's batch of next month's releases is left alone).
    soon = today + dt.timedelta(days=60)
    candidate = (
        Nominal.objects.filter(mappa_category="2", management_level=1, location=Location.CUSTODY)
        .exclude(release_date__lte=soon)
        .select_related("person", "offender_manager__agency")
        .order_by("pk")
        .first()
    )
    if candidate is None:
        return None
    referrer = candidate.offender_manager
    if referrer is None or referrer.agency.kind != Agency.Kind.PROBATION:
        referrer = Staff.objects.get(pk=org.probation_oms[min(org.probation_oms)][0])
    # Generated data: the release date the journey needs (about five months away).
    Nominal.objects.filter(pk=candidate.pk).update(release_date=today + dt.timedelta(days=RELEASE_IN_DAYS))
    candidate.refresh_from_db()
    officer = _ctx(referrer)
    referral = referrals.create_mappa_referral(
        officer,
        person=candidate.person,
        nominal=candidate,
        level_sought=2,
        mappa_category="2",
        reason="Violent offender due for release in five months; needs multi-agency management to plan the release.",
        risk_summary="High risk of serious harm to a known adult on release: threats made from custody.",
    )
    return referrals.submit_referral(officer, referral)


def _marac_details(incident_date, perpetrators, children, count, criteria):
    return referrals.MaracDetails(
        incident_date=incident_date,
        perpetrators=perpetrators,
        victim_aware=True,
        victim_consents=True,
        children=children,
        feared="Her former partner, named on this referral.",
        safe_contact="Mobile, safe to call after 10:00.",
        reason="Assault at home reported by a neighbour.",
        risk_summary="Escalating threats; the victim fears for her children.",
        criteria=criteria,
        dash_yes_count=count,
    )


def _marac_referrals(org: Organisation, users: dict[str, Staff], today: dt.date) -> dict:
    """Journey 5 and 6: one accepted (with a child), one submitted that is a repeat."""
    from safeguard.people.models import Person

    forum = org.forums[TOUR_MARAC]
    marac = _ctx(users[MARAC_COORDINATOR])
    officer = _ctx(users["supervisor.demo"])  # a police recorder of the area who may see everyone in it
    local = org.local_areas[int(TOUR_MARAC.split("-")[1])]
    out = {}
    # Accepted, with a child: a MAPPA Level 2/3 perpetrator where there is one (the reciprocal link), else any.
    managed = Nominal.objects.filter(management_level__gte=2).order_by("pk").values_list("person_id", flat=True)
    # The first pair whose victim has a child (stops at the first: one query per pair looked at, not per pair).
    everyone = Relationship.objects.filter(domestic_abuse=True).order_by("pk").values_list("person_id", flat=True)
    found = next((p for p in _da_pairs(managed) if _children_of(p[1])), None) or next(
        (p for p in _da_pairs(everyone) if _children_of(p[1])), None
    )
    pairs = [found] if found else []
    om_nominals = Nominal.objects.filter(offender_manager=users[OFFENDER_MANAGER], management_level=1).order_by("pk")
    repeat_pairs = _da_pairs(om_nominals.values_list("person_id", flat=True))
    taken = set()
    if pairs:
        perp_id, victim_id = pairs[0]
        taken = {perp_id, victim_id}
        child = Person.objects.get(pk=_children_of(victim_id)[0])
        children = [
            {
                "name": f"{child.given_name} {child.family_name}",
                "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else "",
                "relationship": "child of the victim",
                "school": f"{local.name} Primary School",
            }
        ]
        details = _marac_details(
            today - dt.timedelta(days=3),
            [Person.objects.get(pk=perp_id)],
            children,
            15,
            ["visible_high_risk"],
        )
        referral = referrals.create_marac_referral(
            officer, person=Person.objects.get(pk=victim_id), forum=forum, details=details
        )
        referral = referrals.submit_referral(officer, referral)
        out["marac_accepted"] = _accept(marac, referral, "Visible high risk (15 yes); children in the household.").pk
    repeat_pairs = [p for p in repeat_pairs if not taken & set(p)]
    if repeat_pairs:
        perp_id, victim_id = repeat_pairs[0]
        victim, perp = Person.objects.get(pk=victim_id), Person.objects.get(pk=perp_id)
        earlier_on = today - dt.timedelta(days=REPEAT_AFTER_DAYS + 2)
        first = referrals.create_marac_referral(
            officer,
            person=victim,
            forum=forum,
            details=_marac_details(earlier_on - dt.timedelta(days=1), [perp], [], 16, ["visible_high_risk"]),
        )
        first = referrals.submit_referral(officer, first)
        first = _accept(marac, first, "Visible high risk (16 yes) at the earlier referral.")
        # Demo history: the earlier referral was made nine months ago (a submission is always "now").
        when = timezone.make_aware(dt.datetime.combine(earlier_on, dt.time(11)))
        Referral.objects.filter(pk=first.pk).update(
            created_at=when, submitted_at=when, status_since=when, decided_at=when
        )
        repeat = referrals.create_marac_referral(
            officer,
            person=victim,
            forum=forum,
            details=_marac_details(today - dt.timedelta(days=2), [perp], [], 9, []),
        )
        out["marac_repeat"] = referrals.submit_referral(officer, repeat).pk
        out["marac_repeat_of"] = first.pk
        out["category3_person"] = perp_id
    return out


def _matac(org: Organisation, users: dict[str, Staff], today: dt.date) -> int | None:
    """Journey 7: the top perpetrator of the RFG ranking not under MAPPA Level 2/3, nominated and accepted."""
    forum = org.forums["matac"]
    managed = set(Nominal.objects.filter(management_level__gte=2).values_list("person_id", flat=True))
    ranked = rfg_ranking.rank_force(facts.rfg_settings(forum), today, top_n=5)
    chosen = next((r for r in ranked if r.person_id not in managed), None)
    if chosen is None:
        return None
    from safeguard.people.models import Person

    coordinator = _ctx(users[MARAC_COORDINATOR])
    referral = referrals.nominate_for_matac(
        coordinator, person=Person.objects.get(pk=chosen.person_id), forum=forum, as_of=today
    )
    referral = referrals.submit_referral(coordinator, referral)
    return _accept(coordinator, referral, "Top of the RFG ranking for the area: several victims, recent.").pk


# The MATAC's tactics for the perpetrator it takes on (journey 7: "the meeting picks tactics"): one action per
# tactic the demo shows, each with the agency that would run it. The wording is the demo's own.
MATAC_ACTIONS = (
    (Tactic.DISRUPTION, "police", "Check every bail and court condition and act on any breach the same day.", 7),
    (Tactic.DIVERSION, "probation-0", "Offer a place on a behaviour-change programme (Healthy Relationships).", 14),
    (Tactic.SUPPORT, "idva", "Contact the current and previous partners to offer IDVA support.", 7),
    (Tactic.ENFORCEMENT, "police", "Review the outstanding DA crimes for a charging decision.", 21),
)


def _matac_actions(org: Organisation, users: dict[str, Staff], today: dt.date, referral_id: int | None) -> list[int]:
    """The MATAC's actions on the case of the perpetrator it took on, each with its tactic (``actions.tactics``)."""
    referral = Referral.objects.filter(pk=referral_id).select_related("forum_case__forum").first()
    if referral is None or referral.forum_case is None:
        return []
    coordinator = _ctx(users[MARAC_COORDINATOR])
    return [
        action_services.record_action(
            coordinator,
            forum_case=referral.forum_case,
            description=what,
            owner_agency=org.agencies[agency],
            due_on=today + dt.timedelta(days=days),
            tactic=tactic,
        ).pk
        for tactic, agency, what, days in MATAC_ACTIONS
    ]


def _actions(org: Organisation, users: dict[str, Staff], today: dt.date, marac_case: ForumCase | None) -> list[int]:
    """om.demo's open actions on their Level 2 cases (one overdue), and one for Amberwick Housing."""
    made = []
    om = users[OFFENDER_MANAGER]
    mappa = _ctx(users[MAPPA_COORDINATOR])
    l2 = org.forums["mappa-l2"]
    persons = Nominal.objects.filter(offender_manager=om, management_level=2).values_list("person_id", flat=True)
    cases = list(ForumCase.objects.filter(forum=l2, person_id__in=list(persons), closed_on=None).order_by("pk")[:2])
    for n, (case, what, days) in enumerate(
        zip(
            cases * 2,
            (
                "Home visit to check the address and who lives there.",
                "Share the latest licence conditions with the housing provider.",
                "Check the exclusion zone with the electronic monitoring service.",
            ),
            (-5, 10, 21),
            strict=False,
        )
    ):
        action = action_services.record_action(
            mappa,
            forum_case=case,
            description=what,
            owner_agency=om.agency,
            owner=om,
            due_on=today + dt.timedelta(days=max(days, 0)),
            rationale="Agreed by the panel to manage the risk in the community.",
        )
        if days < 0:  # demo history: an action set earlier and not done by its due date
            Action.objects.filter(pk=action.pk).update(due_on=today + dt.timedelta(days=days))
        made.append(action.pk)
        if n >= 2:
            break
    if marac_case is not None:
        made.append(
            action_services.record_action(
                _ctx(users[MARAC_COORDINATOR]),
                forum_case=marac_case,
                description="Fit additional locks and consider a sanctuary scheme at the victim's home.",
                owner_agency=org.agencies["housing-0"],
                due_on=today + dt.timedelta(days=7),
            ).pk
        )
    return made


def _triage_incidents(org: Organisation, today: dt.date) -> list[int]:
    """DA incidents in the window of today's triage (the demo's triage meets every day, weekends too)."""
    forum = org.forums["triage"]
    start = timezone.make_aware(dt.datetime.combine(today, forum.meeting_time))
    window = triage_window(timezone.localtime(start), meets_at_weekends=cadence.meets_at_weekends(forum.cadence))
    now = timezone.now()
    end = min(window.end, now)
    span = (end - window.start).total_seconds()
    if span <= 0:
        return []
    victims_with_children = [
        p
        for p in _da_pairs(
            Relationship.objects.filter(domestic_abuse=True).order_by("pk").values_list("person_id", flat=True)[:400]
        )
        if _children_of(p[1])
    ]
    plain = _da_pairs(
        Relationship.objects.filter(domestic_abuse=True).order_by("pk").values_list("person_id", flat=True)[400:440]
    )
    pairs = (victims_with_children[-1:] + plain[-TRIAGE_INCIDENTS:])[:TRIAGE_INCIDENTS]
    police = org.agencies["police"]
    first_id = bulk.next_id(Incident)
    made = []
    for n, (perp, victim) in enumerate(pairs):
        pk = first_id + n
        occurred = window.start + dt.timedelta(seconds=span * (n + 1) / (len(pairs) + 1))
        incident = Incident.objects.create(
            id=pk,
            reference=f"FS/{pk:08d}",
            occurred_at=occurred,
            place="Victim's home address",
            local_area=org.local_areas[n % len(org.local_areas)],
            domestic_abuse=True,
            summary="Reported overnight; officers attended and the parties were spoken to.",
            recorded_by=police,
            created_at=occurred,
        )
        IncidentPerson.objects.create(incident=incident, person_id=perp, role=IncidentRole.PERPETRATOR)
        IncidentPerson.objects.create(incident=incident, person_id=victim, role=IncidentRole.VICTIM)
        if n == 0 and victims_with_children:
            IncidentPerson.objects.create(
                incident=incident, person_id=_children_of(victim)[0], role=IncidentRole.CHILD_PRESENT
            )
        made.append(pk)
    bulk.reset_sequences([Incident])
    return made


TOUR_MEETING_CASES = 30


def _tour_meeting_cases(org: Organisation, today: dt.date) -> int:
    """Level 2 reviews due by the next Level 2 meeting: topped up to about 30 (fewer in a small world)."""
    forum = org.forums.get("mappa-l2")
    meeting = (
        Meeting.objects.filter(forum=forum, starts_at__date__gte=today, status=Meeting.Status.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return 0
    day = timezone.localdate(meeting.starts_at)
    open_persons = ForumCase.objects.filter(forum=forum, closed_on=None).values_list("person_id", flat=True)
    level2 = Nominal.objects.filter(person_id__in=open_persons, management_level=2, status=Nominal.Status.ACTIVE)
    due = level2.filter(mappa_review_due__lte=day).count()
    wanted = max(0, TOUR_MEETING_CASES - due)
    later = list(
        level2.exclude(mappa_review_due__lte=day)
        .order_by("mappa_review_due", "pk")
        .values_list("pk", flat=True)[:wanted]
    )
    Nominal.objects.filter(pk__in=later).update(mappa_review_due=day)
    return due + len(later)


def _chair_work(org: Organisation, users: dict[str, Staff], today: dt.date) -> list[int]:
    """chair.demo chairs the second meeting from today of each MAPPA forum (set through the chair service,
    as the coordinator), and chaired a Level 3 meeting three weeks ago whose minutes wait to be issued."""
    chair = users.get(CHAIR)
    if chair is None:
        return []
    coordinator = _ctx(users[MAPPA_COORDINATOR])
    made = []
    for key in ("mappa-l2", "mappa-l3"):
        forum = org.forums[key]
        upcoming = list(
            Meeting.objects.filter(forum=forum, status=Meeting.Status.SCHEDULED, starts_at__date__gte=today).order_by(
                "starts_at"
            )[:2]
        )
        if len(upcoming) == 2:
            meeting = upcoming[1]
            try:
                chair_services.set_chair(coordinator, meeting, chair, expected_version=meeting.version)
            except ValidationError:
                continue  # not eligible on that day in this world: the tour shows the reason instead
            made.append(meeting.pk)
    forum = org.forums["mappa-l3"]
    starts = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=HELD_DAYS_AGO), forum.meeting_time))
    held = Meeting.objects.create(
        forum=forum,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=forum.meeting_minutes or 120),
        place=forum.meeting_place,
        status=Meeting.Status.HELD,
        chair=chair,
        chair_reason="Demo history: chaired by chair.demo",
    )
    made.append(held.pk)
    return made


def build(org: Organisation, today: dt.date, system: Staff) -> dict:
    """Put the forums to work; returns what was made (ids for the tour and the tests)."""
    users = org.demo_users
    out: dict = {"meetings": _schedule(org, users, today)}
    mappa = _mappa_referral(org, today)
    out["mappa_submitted"] = mappa.pk if mappa else None
    out.update(_marac_referrals(org, users, today))
    out["matac_accepted"] = _matac(org, users, today)
    out["matac_actions"] = _matac_actions(org, users, today, out["matac_accepted"])
    accepted = Referral.objects.filter(pk=out.get("marac_accepted")).first()
    out["actions"] = _actions(org, users, today, accepted.forum_case if accepted else None)
    out["triage_incidents"] = _triage_incidents(org, today)
    out["tour_meeting_cases"] = _tour_meeting_cases(org, today)
    out["chair_meetings"] = _chair_work(org, users, today)
    if accepted is not None:  # the reciprocal link (made on acceptance; run again, it changes nothing)
        referrals.link_marac_case(_ctx(users[MARAC_COORDINATOR]), accepted.forum_case)
    out["category3"] = category3.scan(today, ctx=AccessContext.system(system))
    out["category3"].pop("seconds", None)
    return out
