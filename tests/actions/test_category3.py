"""The Category 3 prompt scan: each trigger, the 12-month boundary, MAPPA management, decisions, SQL = rule."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.actions import category3, services, tasks
from safeguard.actions.models import Prompt
from safeguard.assessments.models import Assessment, InstrumentVersion
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase
from safeguard.referrals.models import Referral
from safeguard.rules import category3 as rule
from safeguard.rules.dates import add_months

_refs = itertools.count(1)


def _today() -> dt.date:
    return timezone.localdate()


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def incident(world, perpetrator, victim, on: dt.date, domestic_abuse: bool = True) -> Incident:
    made = Incident.objects.create(
        reference=f"T/{next(_refs):06d}",
        occurred_at=_at(on),
        local_area=world.home["local"][0],
        domestic_abuse=domestic_abuse,
        recorded_by=world.police,
    )
    IncidentPerson.objects.create(incident=made, person=perpetrator, role=IncidentRole.PERPETRATOR)
    IncidentPerson.objects.create(incident=made, person=victim, role=IncidentRole.VICTIM)
    return made


def dash(world, victim, on: dt.date, *, grade="high", incident_=None, supersedes=None) -> Assessment:
    return Assessment.objects.create(
        person=victim,
        incident=incident_,
        instrument=InstrumentVersion.current_for("dash"),
        answers={},
        result={},
        summary="test",
        grade=grade,
        assessed_on=on,
        assessor=world.users.idva,
        supersedes=supersedes,
    )


def marac_referral(world, victim, perpetrators, on: dt.date, *, status="submitted", repeat=False, dash_=None):
    referral = Referral.objects.create(
        kind=Referral.Kind.MARAC,
        forum=world.marac,
        person=victim,
        status=status,
        referring_agency=world.idva_service,
        referred_by=world.users.idva,
        created_at=_at(on),
        submitted_at=_at(on) if status != "draft" else None,
        is_repeat=repeat,
        dash=dash_,
    )
    referral.perpetrators.set(perpetrators)
    return referral


def matac_forum(world) -> Forum:
    forum, _ = Forum.objects.get_or_create(name="Fictional MATAC", kind=Forum.Kind.MATAC, area=world.home["mappa"])
    return forum


def matac(world, person, on: dt.date, *, status="accepted", case_closed=False) -> Referral:
    forum = matac_forum(world)
    case = ForumCase.objects.create(
        forum=forum, person=person, opened_on=on, closed_on=_today() if case_closed else None
    )
    return Referral.objects.create(
        kind=Referral.Kind.MATAC,
        forum=forum,
        person=person,
        status=status,
        referring_agency=world.police,
        referred_by=world.users.marac,
        created_at=_at(on),
        decided_at=_at(on),
        forum_case=case,
    )


def mappa_referral(world, person, *, status="submitted") -> Referral:
    forum, _ = Forum.objects.get_or_create(name="L2", kind=Forum.Kind.MAPPA_LEVEL_2, area=world.home["mappa"])
    return Referral.objects.create(
        kind=Referral.Kind.MAPPA,
        forum=forum,
        person=person,
        status=status,
        referring_agency=world.police,
        referred_by=world.users.om,
    )


def prompts_for(person):
    return Prompt.objects.filter(kind=Prompt.Kind.CATEGORY_3, person=person)


@pytest.fixture
def perp(world):
    """A perpetrator with a Level 1 nominal (offender manager: om2)."""
    return world.people.other_offender


# Each trigger ------------------------------------------------------------------------


def test_a_high_dash_for_an_incident_naming_the_perpetrator(world, perp):
    made = incident(world, perp, world.people.victim, _today() - dt.timedelta(40))
    dash(world, world.people.victim, _today() - dt.timedelta(39), incident_=made)
    summary = category3.scan(_today())
    assert summary["prompts_raised"] == 2
    assert {p.assigned_to for p in prompts_for(perp)} == {world.users.coordinator, world.users.om2}
    prompt = prompts_for(perp).get(assigned_to=world.users.om2)
    assert prompt.nominal == world.nominals.other
    assert any("A DASH graded high" in r for r in prompt.reasons)
    assert any("Already a Level 1 nominal" in r for r in prompt.reasons)


def test_a_high_dash_a_marac_referral_was_made_from_names_its_perpetrators(world, perp):
    assessment = dash(world, world.people.victim, _today() - dt.timedelta(10))
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(9), dash_=assessment)
    category3.scan(_today())
    assert prompts_for(perp).count() == 2


@pytest.mark.parametrize("case", ["medium", "superseded", "not_da", "draft_referral", "self"])
def test_a_dash_that_does_not_count(world, perp, case):
    victim = world.people.victim
    on = _today() - dt.timedelta(20)
    if case == "medium":
        dash(world, victim, on, grade="medium", incident_=incident(world, perp, victim, on))
    elif case == "superseded":
        first = dash(world, victim, on, incident_=incident(world, perp, victim, on))
        dash(world, victim, on, grade="medium", supersedes=first)
    elif case == "not_da":
        dash(world, victim, on, incident_=incident(world, perp, victim, on, domestic_abuse=False))
    elif case == "draft_referral":
        marac_referral(world, victim, [perp], on, status="draft", dash_=dash(world, victim, on))
    else:  # a counter-allegation: the person assessed is also recorded as the perpetrator
        made = incident(world, perp, victim, on)
        IncidentPerson.objects.create(incident=made, person=victim, role=IncidentRole.PERPETRATOR)
        dash(world, victim, on, incident_=made)
    category3.scan(_today())
    assert prompts_for(perp).exists() is (case == "self")  # the other perpetrator on the incident still counts
    assert not prompts_for(world.people.victim).exists()


def test_a_repeat_marac_referral(world, perp):
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(30), repeat=True)
    category3.scan(_today())
    assert any("A repeat MARAC referral" in r for r in prompts_for(perp).first().reasons)


def test_two_marac_referrals_as_perpetrator_but_not_one_nor_declined_ones(world, perp):
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(100))
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(50), status="declined")
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(40), status="withdrawn")
    category3.scan(_today())
    assert not prompts_for(perp).exists()
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(5), status="accepted")
    category3.scan(_today())
    assert any("2 MARAC referrals as perpetrator" in r for r in prompts_for(perp).first().reasons)


@pytest.mark.parametrize(
    ("status", "closed", "raised"),
    [("accepted", False, True), ("listed", False, True), ("screening", False, False), ("accepted", True, False)],
)
def test_a_matac_selection_still_open(world, perp, status, closed, raised):
    matac(world, perp, _today() - dt.timedelta(300), status=status, case_closed=closed)
    category3.scan(_today())
    assert prompts_for(perp).exists() is raised


# The 12-month boundary --------------------------------------------------------------


@pytest.mark.parametrize(("months_back", "extra_days", "raised"), [(12, 0, True), (12, 1, False), (11, 0, True)])
def test_the_twelve_month_window(world, perp, months_back, extra_days, raised):
    on = add_months(_today(), -months_back) - dt.timedelta(days=extra_days)
    dash(world, world.people.victim, on, incident_=incident(world, perp, world.people.victim, on))
    category3.scan(_today())
    assert prompts_for(perp).exists() is raised


def test_the_boundary_on_a_leap_day():
    """29 February 2028 scanned: the window starts 28 February 2027 (rules.dates.add_months)."""
    facts = rule.PerpetratorFacts(high_dash_dates=(dt.date(2027, 2, 28),))
    assert rule.category3_prompt(facts, dt.date(2028, 2, 29)).raise_prompt
    facts = rule.PerpetratorFacts(high_dash_dates=(dt.date(2027, 2, 27),))
    assert not rule.category3_prompt(facts, dt.date(2028, 2, 29)).raise_prompt


# MAPPA management ----------------------------------------------------------------------


@pytest.mark.parametrize("level", [2, 3])
def test_mappa_level_2_or_3_suppresses(world, perp, level):
    world.nominals.other.management_level = level
    world.nominals.other.save()
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(3), repeat=True)
    assert category3.scan(_today())["prompt_due"] == 0
    assert not prompts_for(perp).exists()


@pytest.mark.parametrize(("status", "suppressed"), [("draft", True), ("screening", True), ("declined", False)])
def test_an_open_mappa_referral_suppresses(world, perp, status, suppressed):
    mappa_referral(world, perp, status=status)
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(3), repeat=True)
    category3.scan(_today())
    assert prompts_for(perp).exists() is not suppressed


def test_a_closed_nominal_is_not_management(world, perp):
    world.nominals.other.management_level = 3
    world.nominals.other.status = "closed"
    world.nominals.other.save()
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(3), repeat=True)
    category3.scan(_today())
    assert prompts_for(perp).filter(assigned_to=world.users.coordinator).exists()
    assert not prompts_for(perp).filter(assigned_to=world.users.om2).exists()  # no active nominal: no officer


# Decisions -----------------------------------------------------------------------------


def _raise_for(world, perp, days_ago=30):
    on = _today() - dt.timedelta(days_ago)
    dash(world, world.people.victim, on, incident_=incident(world, perp, world.people.victim, on))
    category3.scan(_today())
    return prompts_for(perp)


def test_a_decision_not_to_refer_closes_every_copy_and_is_not_raised_again(world, perp):
    prompts = _raise_for(world, perp)
    mine = prompts.get(assigned_to=world.users.coordinator)
    services.decide_prompt(
        AccessContext(user=world.users.coordinator, purpose="forum"),
        mine,
        decision=Prompt.Decision.NOT_REFERRED,
        rationale="Managed well at Level 1; no escalation since the DASH.",
    )
    assert not prompts.filter(closed_on=None).exists()
    other = prompts.get(assigned_to=world.users.om2)
    assert other.decision == Prompt.Decision.NOT_REFERRED and other.decided_by == world.users.coordinator
    summary = category3.scan(_today())
    assert summary["not_raised_again_after_a_decision"] == 1 and summary["prompts_raised"] == 0
    assert prompts.count() == 2


def test_new_evidence_after_a_decision_raises_it_again(world, perp):
    prompts = _raise_for(world, perp, days_ago=60)
    services.decide_prompt(
        AccessContext(user=world.users.om2, purpose="forum"),
        prompts.get(assigned_to=world.users.om2),
        decision=Prompt.Decision.NOT_REFERRED,
        rationale="Not a Category 3 case on what we know today.",
    )
    Prompt.objects.filter(person=perp).update(closed_on=_today() - dt.timedelta(20))  # decided 20 days ago
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(20), repeat=True)  # the same day
    assert category3.scan(_today())["prompts_raised"] == 0
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(19), repeat=True)  # the day after
    summary = category3.scan(_today())
    assert summary["prompts_raised"] == 2
    reopened = prompts_for(perp).get(closed_on=None, assigned_to=world.users.om2)
    assert any("new since then" in r for r in reopened.reasons)


def test_not_referring_needs_a_reason(world, perp):
    from django.core.exceptions import ValidationError

    prompt = _raise_for(world, perp).get(assigned_to=world.users.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.decide_prompt(
            AccessContext(user=world.users.coordinator, purpose="forum"), prompt, decision="not_referred"
        )
    assert "decision_rationale" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.decide_prompt(AccessContext(user=world.users.coordinator, purpose="forum"), prompt, decision="noted")


def test_referring_makes_a_draft_mappa_referral_and_closes_the_prompt(world, perp, aw):
    prompt = _raise_for(world, perp).get(assigned_to=world.users.coordinator)
    decided = services.decide_prompt(
        AccessContext(user=world.users.coordinator, purpose="forum"),
        prompt,
        decision=Prompt.Decision.REFERRED,
        rationale="High-risk DASH and repeat abuse of the same victim.",
        level_sought=2,
        risk_summary="Serious harm to the current partner, greatest at contact handovers.",
    )
    referral = decided.referral
    assert referral.kind == Referral.Kind.MAPPA and referral.status == Referral.Status.DRAFT
    assert referral.mappa_category == "1"  # the nominal's own category: one category per offender
    assert not prompts_for(perp).filter(closed_on=None).exists()
    assert category3.scan(_today())["prompt_due"] == 0  # an open MAPPA referral is MAPPA management


def test_an_incomplete_referral_leaves_the_prompt_open(world, perp, aw):
    from django.core.exceptions import ValidationError

    prompt = _raise_for(world, perp).get(assigned_to=world.users.coordinator)
    with pytest.raises(ValidationError) as exc:
        services.decide_prompt(
            AccessContext(user=world.users.coordinator, purpose="forum"),
            prompt,
            decision=Prompt.Decision.REFERRED,
            rationale="High-risk DASH and repeat abuse of the same victim.",
        )
    assert {"level_sought", "risk_summary"} <= set(exc.value.message_dict)
    assert prompts_for(perp).filter(closed_on=None).count() == 2


def test_open_prompts_close_when_the_person_comes_under_mappa(world, perp):
    prompts = _raise_for(world, perp)
    world.nominals.other.management_level = 2
    world.nominals.other.save()
    summary = category3.scan(_today())
    assert summary["closed_as_managed"] == 2
    closed = prompts.first()
    assert closed.decision == Prompt.Decision.NOTED and "Level 2" in closed.decision_rationale


def test_open_prompts_close_as_referred_when_a_mappa_referral_is_made(world, perp):
    prompts = _raise_for(world, perp)
    made = mappa_referral(world, perp)
    category3.scan(_today())
    assert {(p.decision, p.referral_id) for p in prompts} == {(Prompt.Decision.REFERRED, made.pk)}


# The scan as a whole -------------------------------------------------------------------


def test_a_second_scan_raises_nothing_new(world, perp):
    _raise_for(world, perp)
    summary = category3.scan(_today())
    assert (summary["prompts_raised"], summary["prompts_refreshed"]) == (0, 0)


def test_a_perpetrator_with_nobody_to_ask_is_counted(world):
    stranger = f.person(world.away["mappa"], "Sam", "Nobody", dt.date(1980, 1, 1))
    marac_referral(world, world.people.victim, [stranger], _today() - dt.timedelta(3), repeat=True)
    assert category3.scan(_today())["no_one_to_ask"] == 1


def test_the_command_and_the_task(world, perp, settings):
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(3), repeat=True)
    out = StringIO()
    call_command("category3_scan", "--now", stdout=out)
    assert "2 prompts raised" in out.getvalue()
    result = tasks.category3_scan.enqueue()
    assert result.status == "SUCCESSFUL" and result.return_value["prompts_raised"] == 0
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("category3_scan", stdout=out)
    call_command("category3_scan", stdout=out)
    assert DBTaskResult.objects.filter(task_path="safeguard.actions.tasks.category3_scan").count() == 1
    assert "already scheduled" in out.getvalue()


# The SQL facts are the pure rule's facts ------------------------------------------------


def _python_facts(today: dt.date) -> dict[int, rule.PerpetratorFacts]:
    """The same facts worked out the slow way, one record at a time in Python (the scan's docstring)."""
    start = add_months(today, -rule.WINDOW_MONTHS)
    high: dict[int, set] = {}
    for a in Assessment.objects.filter(grade="high", instrument__code__in=("dash", "dash-yp")):
        if hasattr(a, "superseded_by") or not start <= a.assessed_on <= today:
            continue
        named = set()
        if a.incident_id and a.incident.domestic_abuse:
            named |= {ip.person_id for ip in a.incident.people.all() if ip.role == IncidentRole.PERPETRATOR}
        for r in a.marac_referrals.exclude(status__in=("draft", "withdrawn")):
            named |= {p.pk for p in r.perpetrators.all()}
        for person_id in named - {a.person_id}:
            high.setdefault(person_id, set()).add(a.assessed_on)
    referrals: dict[int, list] = {}
    repeats: dict[int, list] = {}
    for r in Referral.objects.filter(kind="marac").exclude(status__in=("draft", "withdrawn", "declined")):
        made = timezone.localdate(r.submitted_at or r.created_at)
        if not start <= made <= today:
            continue
        for p in r.perpetrators.all():
            referrals.setdefault(p.pk, []).append(made)
            if r.is_repeat:
                repeats.setdefault(p.pk, []).append(made)
    selected = {
        r.person_id
        for r in Referral.objects.filter(kind="matac", status__in=("accepted", "listed"))
        if r.forum_case is None or r.forum_case.closed_on is None
    }
    people = set(high) | set(referrals) | selected
    out = {}
    for person_id in people:
        levels = [n.management_level for n in world_nominals(person_id)]
        open_mappa = any(
            r.forum_case is None or r.forum_case.closed_on is None
            for r in Referral.objects.filter(kind="mappa", person_id=person_id).exclude(
                status__in=("declined", "withdrawn")
            )
        )
        out[person_id] = rule.PerpetratorFacts(
            high_dash_dates=tuple(sorted(high.get(person_id, ()))),
            marac_referral_dates=tuple(sorted(referrals.get(person_id, ()))),
            repeat_marac_dates=tuple(sorted(set(repeats.get(person_id, ())))),
            matac_selected=person_id in selected,
            mappa_level=max(levels) if levels else None,
            open_mappa_referral=open_mappa,
        )
    return out


def world_nominals(person_id):
    from safeguard.offenders.models import Nominal

    return Nominal.objects.filter(person_id=person_id, status="active")


def test_sql_facts_equal_the_pure_rule_on_a_generated_set(world):
    rng = random.Random(14)
    today = _today()
    victims = [f.person(world.home["mappa"], "Vic", f"Tim{i}", dt.date(1990, 1, 1 + i)) for i in range(6)]
    perps = [f.person(world.home["mappa"], "Per", f"Pet{i}", dt.date(1980, 1, 1 + i)) for i in range(25)]
    for perp in perps:
        if rng.random() < 0.3:
            f.nominal(
                perp, world.home["local"][0], world.police, world.users.om, management_level=rng.choice([1, 2, 3])
            )
        for _ in range(rng.randint(0, 3)):
            victim = rng.choice(victims)
            on = today - dt.timedelta(days=rng.randint(0, 500))
            made = incident(world, perp, victim, on, domestic_abuse=rng.random() < 0.9)
            if rng.random() < 0.6:
                dash(world, victim, on, grade=rng.choice(["high", "high", "medium", "standard"]), incident_=made)
        for _ in range(rng.randint(0, 3)):
            victim = rng.choice(victims)
            on = today - dt.timedelta(days=rng.randint(0, 500))
            source = dash(world, victim, on, grade=rng.choice(["high", "medium"])) if rng.random() < 0.4 else None
            status = rng.choice(["submitted", "accepted", "listed", "declined", "draft", "withdrawn"])
            marac_referral(world, victim, [perp], on, status=status, repeat=rng.random() < 0.3, dash_=source)
        if rng.random() < 0.15:
            matac(
                world,
                perp,
                today - dt.timedelta(days=rng.randint(0, 400)),
                status=rng.choice(["accepted", "screening"]),
            )
        if rng.random() < 0.1:
            mappa_referral(world, perp, status=rng.choice(["submitted", "declined"]))
    expected = _python_facts(today)
    gathered = category3.gather(today)
    assert set(gathered) == set(expected)
    for person_id, facts in expected.items():
        got = gathered[person_id].facts()
        assert got == facts, person_id
        assert rule.category3_prompt(got, today) == rule.category3_prompt(facts, today)
    assert any(rule.category3_prompt(facts, today).raise_prompt for facts in expected.values())
    assert any(not rule.category3_prompt(facts, today).raise_prompt for facts in expected.values())


def test_the_coordinators_named_on_the_areas_mappa_forums_are_asked_first(world, perp, aw):
    named = f.staff("named_coordinator", world.police, ["mappa_coordinator"])
    aw.level2.coordinators.set([named])
    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(3), repeat=True)
    category3.scan(_today())
    assert {p.assigned_to for p in prompts_for(perp)} == {named, world.users.om2}


def test_every_prompt_raised_is_audited(world, perp):
    from safeguard.audit.models import AuditEvent

    marac_referral(world, world.people.victim, [perp], _today() - dt.timedelta(3), repeat=True)
    category3.scan(_today())
    for prompt in prompts_for(perp):
        event = AuditEvent.objects.get(record_type="actions.prompt", record_id=prompt.pk, operation="create")
        assert event.detail == {"kind": "category3", "for": prompt.assigned_to_id} and event.actor_username == "system"
