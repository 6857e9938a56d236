"""The agenda built from the database: order, each case once, heard items kept, children, reviews, 12 months,
accepted referrals listed, one query per kind of candidate."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.access.gate import AccessRefused
from safeguard.actions.models import Action
from safeguard.demo import factories as f
from safeguard.events.models import Incident, IncidentPerson, IncidentRole
from safeguard.meetings.models import AgendaItem, ForumCase, Meeting
from safeguard.meetings.services import agenda
from safeguard.offenders.models import Nominal
from safeguard.referrals.models import Referral, ReferralTransition
from safeguard.rules.dates import add_months
from tests.meetings.builders import at, mappa_forum

_serial = itertools.count(1)


@pytest.fixture
def day():
    return timezone.localdate() + dt.timedelta(days=7)


@pytest.fixture
def meeting(world, day):
    return Meeting.objects.create(forum=world.marac, starts_at=at(day))


def person(world, name: str, dob: dt.date | None = dt.date(1988, 4, 4)):
    return f.person(world.home["mappa"], name, "Example", dob)


def case(world, forum, who, opened_on: dt.date, closed_on: dt.date | None = None) -> ForumCase:
    return ForumCase.objects.create(forum=forum, person=who, opened_on=opened_on, closed_on=closed_on)


def referral(world, forum, who, *, status=Referral.Status.ACCEPTED, children=(), forum_case=None) -> Referral:
    return Referral.objects.create(
        kind=Referral.Kind.MARAC if forum.kind == "marac" else Referral.Kind.MAPPA,
        forum=forum,
        person=who,
        status=status,
        referring_agency=world.police,
        referred_by=world.users.marac,
        decided_at=timezone.now() - dt.timedelta(days=2),
        children=list(children),
        forum_case=forum_case,
    )


def action(world, forum_case, due_on: dt.date, **fields) -> Action:
    return Action.objects.create(
        forum=forum_case.forum,
        forum_case=forum_case,
        person=forum_case.person,
        description="Research the records",
        owner_agency=world.housing,
        due_on=due_on,
        created_by=world.users.marac,
        **fields,
    )


def incident(world, victim, *, child=None, domestic_abuse=True) -> Incident:
    record = Incident.objects.create(
        reference=f"FS/{next(_serial):06d}/27",
        occurred_at=timezone.now() - dt.timedelta(days=40),
        local_area=world.home["local"][0],
        domestic_abuse=domestic_abuse,
        recorded_by=world.police,
    )
    IncidentPerson.objects.create(incident=record, person=victim, role=IncidentRole.VICTIM)
    if child is not None:
        IncidentPerson.objects.create(incident=record, person=child, role=IncidentRole.CHILD_PRESENT)
    return record


def build(ctx, world, meeting):
    meeting.refresh_from_db()
    return agenda.build_agenda(ctx(world.users.marac), meeting, expected_version=meeting.version)


def items(meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).select_related("person").order_by("position"))


def test_the_agenda_order_and_each_case_once(world, ctx, meeting, day):
    today = timezone.localdate()
    marac = world.marac
    world_case = ForumCase.objects.get(forum=marac, person=world.people.victim)  # opened today: nothing due
    with_actions = case(world, marac, person(world, "Ada"), today - dt.timedelta(days=60))
    action(world, with_actions, today - dt.timedelta(days=10))
    action(world, with_actions, today + dt.timedelta(days=3))
    referral(world, marac, with_actions.person, forum_case=with_actions)
    new_children = case(world, marac, person(world, "Bea"), today)
    referral(world, marac, new_children.person, children=[{"date_of_birth": "2019-01-01"}])
    new_adults = case(world, marac, person(world, "Cy"), today)
    referral(world, marac, new_adults.person)
    reviewed = case(world, marac, person(world, "Dee"), today - dt.timedelta(days=90))
    earlier = Meeting.objects.create(forum=marac, starts_at=at(today - dt.timedelta(days=28)), status="held")
    AgendaItem.objects.create(
        meeting=earlier,
        position=1,
        section="new",
        why="x",
        forum_case=reviewed,
        person=reviewed.person,
        outcome="heard",
        next_review_on=day - dt.timedelta(days=1),
    )
    twelve = case(world, marac, person(world, "Eve"), add_months(day, -12) + dt.timedelta(days=5))
    closed = case(world, marac, person(world, "Fay"), today - dt.timedelta(days=400), closed_on=today)
    action(world, closed, today - dt.timedelta(days=30))

    result = build(ctx, world, meeting)

    listed = items(meeting)
    assert [i.forum_case_id for i in listed] == [
        with_actions.pk,
        new_children.pk,
        new_adults.pk,
        reviewed.pk,
        twelve.pk,
    ]
    assert [i.section for i in listed] == ["actions", "new_children", "new", "review", "twelve_months"]
    assert [i.position for i in listed] == [1, 2, 3, 4, 5]
    assert listed[0].why.startswith("2 incomplete actions, the first due")
    assert "also: New referral, accepted" in listed[0].why
    assert listed[1].has_children and not listed[2].has_children
    assert world_case.pk not in {i.forum_case_id for i in listed} and closed.pk not in {i.forum_case_id for i in listed}
    assert result.listed == 5 and result.referrals_listed == 3
    assert Referral.objects.filter(forum=marac, status=Referral.Status.LISTED).count() == 3
    assert ReferralTransition.objects.filter(from_status="accepted", to_status="listed").count() == 3
    assert listed[0].referral is not None


def test_children_at_the_victims_domestic_abuse_incidents(world, ctx, meeting, day):
    today = timezone.localdate()
    marac = world.marac
    rows = {}
    for name, child_dob, domestic in (
        ("young", day - dt.timedelta(days=365 * 6), True),
        ("eighteen", add_months(day, -18 * 12), True),  # 18 on the meeting day: not a child
        ("no_dob", None, True),
        ("not_da", day - dt.timedelta(days=365 * 6), False),
    ):
        victim = person(world, name.title())
        rows[name] = case(world, marac, victim, today)
        referral(world, marac, victim)
        incident(world, victim, child=person(world, f"Child {name}", child_dob), domestic_abuse=domestic)
    build(ctx, world, meeting)
    flags = {i.forum_case_id: i.has_children for i in items(meeting)}
    assert flags[rows["young"].pk] and flags[rows["no_dob"].pk]
    assert not flags[rows["eighteen"].pk] and not flags[rows["not_da"].pk]
    sections = {i.forum_case_id: i.section for i in items(meeting)}
    assert sections[rows["young"].pk] == "new_children" and sections[rows["not_da"].pk] == "new"


def test_twelve_months_at_the_horizon_boundary(world, ctx):
    meeting = Meeting.objects.create(forum=world.marac, starts_at=at(dt.date(2031, 6, 16)))
    inside = case(world, world.marac, person(world, "Inside"), dt.date(2030, 5, 17))  # 12 months 30 days before
    outside = case(world, world.marac, person(world, "Outside"), dt.date(2030, 5, 16))  # 31 days before
    after = case(world, world.marac, person(world, "After"), dt.date(2030, 7, 16))  # 30 days after
    build(ctx, world, meeting)
    listed = {i.forum_case_id: i for i in items(meeting)}
    assert listed[inside.pk].section == "twelve_months" and "on 2031-05-17" in listed[inside.pk].why
    assert listed[after.pk].section == "twelve_months"
    assert outside.pk not in listed


def test_rebuilding_keeps_heard_items_and_takes_off_those_no_longer_due(world, ctx, meeting):
    today = timezone.localdate()
    heard_case = case(world, world.marac, person(world, "Heard"), today)
    referral(world, world.marac, heard_case.person)
    gone_case = case(world, world.marac, person(world, "Gone"), today)
    gone_action = action(world, gone_case, today)
    started_case = case(world, world.marac, person(world, "Started"), today)
    started_action = action(world, started_case, today)
    build(ctx, world, meeting)
    first = {i.forum_case_id: i for i in items(meeting)}
    AgendaItem.objects.filter(pk=first[heard_case.pk].pk).update(outcome="heard")
    Action.objects.filter(pk__in=[gone_action.pk, started_action.pk]).update(status="complete")
    started_item = first[started_case.pk]
    action(world, started_case, today, agenda_item=started_item)  # something recorded on it at this meeting
    late_case = case(world, world.marac, person(world, "Late"), today)
    referral(world, world.marac, late_case.person)

    result = build(ctx, world, meeting)

    second = {i.forum_case_id: i for i in items(meeting)}
    assert second[heard_case.pk].pk == first[heard_case.pk].pk and second[heard_case.pk].outcome == "heard"
    assert second[heard_case.pk].referral_id is not None  # the listed referral stays with its heard item
    assert second[started_case.pk].pk == started_item.pk
    assert gone_case.pk not in second
    assert late_case.pk in second
    assert result.kept == 2 and result.removed == 1
    assert sorted(i.position for i in second.values()) == [1, 2, 3]
    assert Referral.objects.get(person=heard_case.person).status == "listed"


def test_a_listed_referral_stays_when_the_agenda_is_rebuilt(world, ctx, meeting):
    new_case = case(world, world.marac, person(world, "New"), timezone.localdate())
    referral(world, world.marac, new_case.person)
    build(ctx, world, meeting)
    build(ctx, world, meeting)
    (item,) = items(meeting)
    assert item.forum_case_id == new_case.pk and item.section == "new"
    assert ReferralTransition.objects.count() == 1


def test_a_deferred_or_cancelled_referral_comes_back_on_the_next_agenda(world, ctx, meeting, day):
    deferred_case = case(world, world.marac, person(world, "Deferred"), timezone.localdate())
    referral(world, world.marac, deferred_case.person)
    build(ctx, world, meeting)
    AgendaItem.objects.filter(meeting=meeting).update(outcome="deferred")
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    following = Meeting.objects.create(forum=world.marac, starts_at=at(day + dt.timedelta(days=14)))
    build(ctx, world, following)
    (item,) = items(following)
    assert item.forum_case_id == deferred_case.pk and item.section == "new" and item.referral_id is not None
    assert ReferralTransition.objects.count() == 1  # still listed: no second move


def test_an_accepted_referral_without_a_case_has_one_opened(world, ctx, meeting):
    newcomer = person(world, "Newcomer")
    made = referral(world, world.marac, newcomer)
    result = build(ctx, world, meeting)
    opened = ForumCase.objects.get(forum=world.marac, person=newcomer, closed_on=None)
    assert result.opened_cases == 1 and opened.opened_on == timezone.localdate(made.decided_at)
    assert items(meeting)[0].forum_case_id == opened.pk
    assert Referral.objects.get(pk=made.pk).status == Referral.Status.LISTED


def test_mappa_reviews_due_by_the_meeting(world, ctx, day):
    forum = mappa_forum(world)
    meeting = Meeting.objects.create(forum=forum, starts_at=at(day))
    due = world.nominals.mine
    Nominal.objects.filter(pk=due.pk).update(management_level=2, mappa_review_due=day)
    later = world.nominals.other
    Nominal.objects.filter(pk=later.pk).update(management_level=2, mappa_review_due=day + dt.timedelta(days=1))
    level3 = f.nominal(person(world, "Three"), world.home["local"][0], world.police, management_level=3)
    Nominal.objects.filter(pk=level3.pk).update(mappa_review_due=day - dt.timedelta(days=20))
    for record in (due, later, level3):
        case(world, forum, record.person, timezone.localdate())
    agenda.build_agenda(ctx(world.users.coordinator), meeting, expected_version=meeting.version)
    (item,) = items(meeting)
    assert item.person_id == due.person_id and item.section == "review" and item.nominal_id == due.pk
    assert item.why == f"Review due {day.isoformat()}"


def test_actions_set_at_this_meeting_are_not_incomplete_actions_from_last_time(world, ctx, meeting):
    today = timezone.localdate()
    fresh = case(world, world.marac, person(world, "Fresh"), today)
    build(ctx, world, meeting)
    assert items(meeting) == []
    item = AgendaItem.objects.create(
        meeting=meeting, position=1, section="other", why="Other business", forum_case=fresh, person=fresh.person
    )
    action(world, fresh, today, agenda_item=item)
    build(ctx, world, meeting)
    (kept,) = items(meeting)
    assert kept.section == "other"  # kept (something was recorded on it), not listed for its own new action


def test_gathering_takes_one_query_per_kind_whatever_the_number_of_cases(world, meeting):
    today = timezone.localdate()

    def add_cases(n: int) -> None:
        for k in range(n):
            c = case(world, world.marac, person(world, f"Case{next(_serial)}"), today - dt.timedelta(days=k))
            action(world, c, today)
            referral(world, world.marac, c.person)
            incident(world, c.person, child=person(world, f"Child{next(_serial)}", None))

    add_cases(2)
    with CaptureQueriesContext(connection) as few:
        small = agenda.gather(meeting)
    add_cases(25)
    with CaptureQueriesContext(connection) as many:
        large = agenda.gather(meeting)
    assert len(large.cases) == len(small.cases) + 25
    assert len(few.captured_queries) == len(many.captured_queries) == len(large.queries)


def test_only_the_forum_coordinator_builds_the_agenda(world, ctx, meeting):
    for who in (world.users.coordinator, world.users.partner, world.users.idva, world.users.chair):
        with pytest.raises(AccessRefused):
            agenda.build_agenda(ctx(who), meeting, expected_version=meeting.version)
    with pytest.raises(ValidationError):
        agenda.build_agenda(ctx(world.users.marac), meeting, expected_version=meeting.version + 1)
    Meeting.objects.filter(pk=meeting.pk).update(status="held")
    meeting.refresh_from_db()
    with pytest.raises(ValidationError) as held:
        agenda.build_agenda(ctx(world.users.marac), meeting, expected_version=meeting.version)
    assert "held" in str(held.value)


def test_a_partner_sees_only_the_items_of_people_on_its_forums(world, ctx, meeting):
    victim_case = ForumCase.objects.get(forum=world.marac, person=world.people.victim)
    action(world, victim_case, timezone.localdate())
    build(ctx, world, meeting)
    shown = agenda.visible_items(ctx(world.users.partner), meeting)
    assert [i.person_id for i in shown] == [world.people.victim.pk]
    ForumCase.objects.filter(pk=victim_case.pk).update(closed_on=timezone.localdate())
    assert agenda.visible_items(ctx(world.users.partner), meeting) == []
    assert [i.person_id for i in agenda.visible_items(ctx(world.users.marac), meeting)] == [world.people.victim.pk]


def test_without_the_referrals_service_the_agenda_lists_the_referral_itself(world, ctx, meeting, monkeypatch):
    new_case = case(world, world.marac, person(world, "Fallback"), timezone.localdate())
    made = referral(world, world.marac, new_case.person)
    monkeypatch.setattr(agenda.importlib.util, "find_spec", lambda name: None)
    build(ctx, world, meeting)
    made.refresh_from_db()
    assert made.status == Referral.Status.LISTED and made.forum_case_id == new_case.pk and made.version == 2
    (move,) = ReferralTransition.objects.filter(referral=made)
    assert (move.from_status, move.to_status, move.by) == ("accepted", "listed", world.users.marac)


def test_a_referral_accepted_once_the_meeting_has_started_waits_for_the_next(world, ctx, meeting, day):
    first = case(world, world.marac, person(world, "Early"), timezone.localdate())
    referral(world, world.marac, first.person)
    build(ctx, world, meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status="in_progress")
    late = case(world, world.marac, person(world, "Late"), timezone.localdate())
    waiting = referral(world, world.marac, late.person)
    build(ctx, world, meeting)
    assert [i.forum_case_id for i in items(meeting)] == [first.pk]
    assert Referral.objects.get(pk=waiting.pk).status == Referral.Status.ACCEPTED
    following = Meeting.objects.create(forum=world.marac, starts_at=at(day + dt.timedelta(days=14)))
    build(ctx, world, following)
    assert [i.forum_case_id for i in items(following)] == [late.pk]
