"""A nominal's due dates under the second reading of the notification rules (SOA 2003 Part 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.actions.models import Prompt
from safeguard.events import services as event_services
from safeguard.events.models import Conviction, Notification, Offence
from safeguard.meetings.models import Forum, ForumCase
from safeguard.offenders import due_dates, mappa_status, relevant_notification
from safeguard.offenders.due_dates import ConvictionRow, NominalFacts, due_dates_for
from safeguard.offenders.models import Nominal
from safeguard.referrals.models import CaseLink
from safeguard.rules import mappa

D = dt.date
TODAY = D(2025, 1, 10)
SETTINGS = mappa.MappaSettings()


def facts(*convictions, born=D(1980, 1, 1), **kw) -> NominalFacts:
    return NominalFacts(
        nominal_id=1,
        registered_sex_offender=True,
        level=1,
        location=kw.pop("location", "community"),
        release_date=kw.pop("release_date", None),
        last_reviewed_on=None,
        lead_agency_review_due=None,
        level_since=None,
        date_of_birth=born,
        schedule_3_convictions=tuple(convictions),
        **kw,
    )


# 1. A conditional discharge is not halved ----------------------------------------------------


@pytest.mark.parametrize(("months", "end"), [(23, D(2026, 5, 9)), (24, D(2026, 6, 9)), (25, D(2026, 7, 9))])
def test_a_17_year_olds_discharge_runs_its_whole_length(months, end):
    row = ConvictionRow(D(2024, 6, 10), "conditional_discharge", None, months)
    out = due_dates_for(facts(row, born=D(2007, 1, 1)), SETTINGS, TODAY)
    assert out.notification_ends_on == end  # was 12 months for 24 (halved by its length)


# 2. Consecutive terms through the record ------------------------------------------------------


@pytest.mark.parametrize(("second", "indefinite"), [(11, False), (12, True), (13, True)])
def test_consecutive_terms_on_the_record_are_added(second, indefinite):
    first = ConvictionRow(D(2024, 6, 10), "imprisonment", 18, None, pk=1)
    then = ConvictionRow(D(2024, 6, 10), "imprisonment", second, None, pk=2, consecutive_to=1)
    out = due_dates_for(facts(first, then), SETTINGS, TODAY)
    assert out.notification_indefinite is indefinite
    assert any("s.82(3)-(4)" in s.source for s in out.working)


def test_partly_concurrent_terms_on_the_record_lose_the_overlap():
    first = ConvictionRow(D(2024, 6, 10), "imprisonment", 18, None, pk=1)
    then = ConvictionRow(D(2024, 6, 10), "imprisonment", 18, None, pk=2, consecutive_to=1, overlap_months=7)
    out = due_dates_for(facts(first, then), SETTINGS, TODAY)
    assert not out.notification_indefinite and out.notification_ends_on == D(2034, 6, 9)


# 3. A discharge from its sentence date ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentenced", "end"), [(None, D(2025, 6, 9)), (D(2024, 6, 10), D(2025, 6, 9)), (D(2024, 6, 11), D(2025, 6, 10))]
)
def test_a_discharge_runs_from_the_recorded_sentence_date(sentenced, end):
    row = ConvictionRow(D(2024, 6, 10), "conditional_discharge", None, 12, sentence_date=sentenced)
    assert due_dates_for(facts(row), SETTINGS, TODAY).notification_ends_on == end


# 6. Custody held on the record extends the periodic deadline ----------------------------------


@pytest.mark.parametrize(
    ("since", "due", "kind"),
    [
        (D(2024, 6, 11), D(2024, 6, 10), "periodic"),  # custody began after the year ended: still due on the 10th
        (D(2024, 6, 10), D(2024, 9, 3), "release"),  # in custody on its last day: 3 days beginning with release
        (D(2024, 6, 9), D(2024, 9, 3), "release"),
    ],
)
def test_a_year_ending_in_recorded_custody_runs_on_to_three_days_after_release(since, due, kind):
    row = ConvictionRow(D(2020, 1, 6), "imprisonment", 20, None)
    f = facts(
        row, location="custody", release_date=D(2024, 9, 1), detained_since=since, last_notified_on=D(2023, 6, 10)
    )
    out = due_dates_for(f, SETTINGS, D(2024, 6, 1))
    assert (out.notification_due, out.notification_due_kind) == (due, kind)
    if kind == "release":
        assert any("s.85(3)-(4)" in s.source for s in out.working)


# 7. Protective readings through a nominal's dates ---------------------------------------------


@pytest.mark.parametrize(("start", "end"), [(D(2023, 8, 30), D(2023, 9, 29)), (D(2023, 8, 31), D(2023, 9, 30))])
def test_a_one_month_discharge_from_31_august_ends_30_september(start, end):
    row = ConvictionRow(start, "conditional_discharge", None, 1)
    assert due_dates_for(facts(row), SETTINGS, D(2023, 9, 1)).notification_ends_on == end


@pytest.mark.parametrize(
    ("relevant", "end"),
    [(D(2026, 2, 27), D(2027, 2, 26)), (D(2026, 2, 28), D(2028, 2, 27)), (D(2026, 3, 1), D(2028, 2, 29))],
)
def test_born_29_february_is_18_on_28_february_on_a_nominal(relevant, end):
    row = ConvictionRow(relevant, "caution", None, None)
    assert due_dates_for(facts(row, born=D(2008, 2, 29)), SETTINGS, relevant).notification_ends_on == end


# Through the database ----------------------------------------------------------------------------


def _offence() -> Offence:
    return Offence.objects.get_or_create(
        code="SOA2003-s3", defaults={"description": "Sexual assault", "statute": "SOA 2003 s.3", "soa_schedule_3": True}
    )[0]


def _ctx(world):
    return AccessContext(world.users.om, "offender_management")


def test_two_consecutive_18_month_convictions_make_the_nominal_indefinite(world):
    person = world.people.offender
    first = Conviction.objects.create(
        person=person,
        offence=_offence(),
        relevant_date=D(2024, 6, 10),
        disposal="imprisonment",
        term_months=18,
        soa_schedule_3=True,
    )
    second = Conviction(
        person=person,
        offence=_offence(),
        relevant_date=D(2024, 6, 10),
        disposal="imprisonment",
        term_months=18,
        soa_schedule_3=True,
        consecutive_to=first,
    )
    second.full_clean()
    event_services.record_conviction(_ctx(world), second)
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True)
    due_dates.recompute([world.nominals.mine.pk])
    nominal = Nominal.objects.get(pk=world.nominals.mine.pk)
    assert nominal.notification_indefinite and nominal.notification_ends_on is None
    finding = mappa_status.category_finding(nominal, timezone.localdate())
    assert finding.category == "1" and finding.eligibility_ends_indefinite
    review = mappa_status.review_qualifying_date(nominal)
    assert review.qualifying_date is None  # an s.91A review instead of an end date, once the release is recorded


def test_a_term_cannot_follow_another_persons_conviction(world):
    theirs = Conviction.objects.create(
        person=world.people.other_offender,
        offence=_offence(),
        relevant_date=D(2024, 6, 10),
        disposal="imprisonment",
        term_months=18,
        soa_schedule_3=True,
    )
    mine = Conviction(
        person=world.people.offender,
        offence=_offence(),
        relevant_date=D(2024, 6, 10),
        disposal="imprisonment",
        term_months=18,
        consecutive_to=theirs,
        overlap_months=0,
    )
    with pytest.raises(Exception) as caught:
        mine.full_clean()
    assert "consecutive_to" in caught.value.message_dict


def test_an_adjourned_discharge_is_read_from_its_sentence_date(world):
    person = world.people.offender
    Conviction.objects.create(
        person=person,
        offence=_offence(),
        relevant_date=D(2024, 6, 10),
        sentence_date=D(2024, 7, 1),
        disposal="conditional_discharge",
        discharge_months=12,
        soa_schedule_3=True,
    )
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True)
    due_dates.recompute([world.nominals.mine.pk])
    assert Nominal.objects.get(pk=world.nominals.mine.pk).notification_ends_on == D(2025, 6, 30)


def test_a_child_in_the_household_tells_the_offender_manager_and_the_linked_marac(world):
    person = world.people.offender
    mappa_forum = Forum.objects.create(name="L2", kind=Forum.Kind.MAPPA_LEVEL_2, area=world.home["mappa"])
    mine = ForumCase.objects.create(forum=mappa_forum, person=person, opened_on=timezone.localdate())
    victim_case = ForumCase.objects.get(forum=world.marac, person=world.people.victim)
    CaseLink.objects.create(from_case=victim_case, to_case=mine, reason=CaseLink.Reason.MARAC_PERPETRATOR_IS_NOMINAL)
    world.marac.coordinators.add(world.users.marac)
    today = timezone.localdate()
    event_services.record_notification(
        _ctx(world),
        Notification(
            person=person,
            kind="change",
            change="child_household",
            event_on=today,
            notified_on=today,
            recorded_by=world.users.om,
        ),
    )
    told = set(
        Prompt.objects.filter(kind=Prompt.Kind.CHILD_IN_HOUSEHOLD, person=person).values_list("assigned_to", flat=True)
    )
    assert told == {world.users.om.pk, world.users.marac.pk}


def test_a_change_of_address_raises_no_child_notice(world):
    today = timezone.localdate()
    event_services.record_notification(
        _ctx(world),
        Notification(
            person=world.people.offender,
            kind="change",
            change="home_address",
            event_on=today,
            notified_on=today,
            recorded_by=world.users.om,
        ),
    )
    assert not Prompt.objects.filter(kind=Prompt.Kind.CHILD_IN_HOUSEHOLD).exists()


def test_a_data_task_when_the_relevant_notification_is_not_recorded(world):
    person = world.people.offender
    today = timezone.localdate()
    Conviction.objects.create(
        person=person,
        offence=_offence(),
        relevant_date=today - dt.timedelta(days=3000),
        disposal="life",
        soa_schedule_3=True,
    )
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True, release_date=None)
    due_dates.recompute([world.nominals.mine.pk])
    relevant_notification.raise_data_tasks(today)
    task = Prompt.objects.get(kind=Prompt.Kind.RELEVANT_NOTIFICATION, person=person)
    assert task.assigned_to_id == world.users.om.pk
    assert "record the first notification after release" in task.reasons[0]

    # Released the day before a notification: known, and no task for a nominal whose date can be worked out.
    released = today - dt.timedelta(days=100)
    Notification.objects.create(
        person=person,
        kind="change",
        change="release",
        event_on=released,
        notified_on=released,
        recorded_by=world.users.om,
    )
    found = relevant_notification.review_facts([world.nominals.mine.pk], today)[world.nominals.mine.pk]
    assert found.relevant_notification == released
    summary = relevant_notification.raise_data_tasks(today)
    assert summary["relevant_notification_tasks_closed"] == 1
    task.refresh_from_db()
    assert task.closed_on == today


@pytest.mark.parametrize(("offset", "relevant"), [(-1, None), (0, 0), (1, 1)])
def test_the_relevant_notification_is_the_first_on_or_after_release(offset, relevant):
    released = D(2020, 5, 1)
    got = relevant_notification.first_notification_on_or_after(released, [released + dt.timedelta(days=offset)])
    assert got == (None if relevant is None else released + dt.timedelta(days=relevant))


def test_a_release_before_the_conviction_is_not_the_release_the_requirement_follows():
    convicted = D(2015, 1, 1)
    assert relevant_notification.first_release_after(convicted, [D(2014, 12, 31)], None, True, D(2025, 1, 1)) is None
    assert relevant_notification.first_release_after(convicted, [D(2015, 1, 1)], None, True, D(2025, 1, 1)) == convicted
    # An expected release still to come is not a release.
    assert relevant_notification.first_release_after(convicted, [], D(2025, 1, 2), True, D(2025, 1, 1)) is None
