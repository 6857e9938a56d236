"""The daily task: due dates worked out again, notices raised once for work fallen due, resolved when done."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.demo import factories as f
from safeguard.events import services as event_services
from safeguard.events.models import Conviction, Notification, Offence
from safeguard.offenders import due_dates
from safeguard.offenders.due_notices import raise_due_work
from safeguard.offenders.models import DueNotice, Nominal
from safeguard.offenders.tasks import next_run_after
from safeguard.offenders.tasks import raise_due_work as raise_due_work_task

RELEVANT = dt.date(2024, 1, 15)  # initial notification due 17 January 2024: long overdue


def _today() -> dt.date:
    return timezone.localdate()


def _overdue_notification(world) -> Nominal:
    """The offender manager's nominal: a registered sex offender who has never notified."""
    offence, _ = Offence.objects.get_or_create(
        code="SOA2003-s3", defaults={"description": "Sexual assault", "statute": "SOA 2003 s.3", "soa_schedule_3": True}
    )
    Conviction.objects.create(
        person=world.people.offender,
        offence=offence,
        relevant_date=RELEVANT,
        disposal="imprisonment",
        term_months=20,
        soa_schedule_3=True,
    )
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(registered_sex_offender=True)
    return world.nominals.mine


def _review_due_in(nominal: Nominal, days: int) -> Nominal:
    """A Level 2 nominal whose review (16 weeks after the last) falls ``days`` from today."""
    last = _today() + dt.timedelta(days=days) - dt.timedelta(weeks=16)
    Nominal.objects.filter(pk=nominal.pk).update(management_level=2, last_reviewed_on=last)
    return nominal


def _notices(**filters):
    return DueNotice.objects.filter(**filters)


def test_one_notice_per_overdue_item_and_a_second_run_raises_none(world):
    mine = _overdue_notification(world)
    _review_due_in(world.nominals.other, -10)
    summary = raise_due_work(_today())
    assert summary["raised"] == 2 and summary["resolved"] == 0
    assert summary["recomputed"] >= 2
    notice = _notices(nominal=mine).get()
    assert notice.kind == DueNotice.Kind.NOTIFICATION and notice.due_on == dt.date(2024, 1, 17)
    assert notice.raised_on == _today() and notice.resolved_on is None
    other = _notices(nominal=world.nominals.other).get()
    assert other.kind == DueNotice.Kind.MAPPA_REVIEW and other.due_on == _today() - dt.timedelta(days=10)

    again = raise_due_work(_today())
    assert again == {
        "recomputed": 0,
        "raised": 0,
        "resolved": 0,
        "relevant_notification_tasks_raised": 0,
        "relevant_notification_tasks_refreshed": 0,
        "relevant_notification_tasks_closed": 0,
    }
    assert DueNotice.objects.count() == 2


def test_due_today_is_raised_due_tomorrow_is_not(world):
    _review_due_in(world.nominals.mine, 0)
    _review_due_in(world.nominals.other, 1)
    raise_due_work(_today())
    assert _notices(nominal=world.nominals.mine, kind=DueNotice.Kind.MAPPA_REVIEW, due_on=_today()).exists()
    assert not _notices(nominal=world.nominals.other).exists()


def test_a_release_passed_raises_no_level_notice_but_one_still_to_come_does(world):
    Nominal.objects.filter(pk=world.nominals.mine.pk).update(
        location="custody", release_date=_today() + dt.timedelta(days=30)
    )  # level to be set 6 months before: already passed, release still to come
    Nominal.objects.filter(pk=world.nominals.other.pk).update(
        location="custody", release_date=_today() - dt.timedelta(days=1)
    )
    raise_due_work(_today())
    assert _notices(nominal=world.nominals.mine, kind=DueNotice.Kind.LEVEL_SET).exists()
    assert not _notices(nominal=world.nominals.other).exists()


def test_recording_the_notification_resolves_the_notice_on_the_next_run(world):
    mine = _overdue_notification(world)
    raise_due_work(_today())
    notice = _notices(nominal=mine, kind=DueNotice.Kind.NOTIFICATION).get()

    event_services.record_notification(
        AccessContext(world.users.om, "offender_management"),
        Notification(person=world.people.offender, kind="initial", notified_on=_today(), recorded_by=world.users.om),
    )
    assert DueNotice.objects.get(pk=notice.pk).resolved_on is None, "resolved by the run, not by the recording"
    summary = raise_due_work(_today())
    assert summary["resolved"] == 1 and summary["raised"] == 0
    assert DueNotice.objects.get(pk=notice.pk).resolved_on == _today()
    assert not _notices(resolved_on=None).exists(), "the next notification is a year away: nothing new"


def test_a_closed_nominal_has_its_notices_resolved(world):
    _review_due_in(world.nominals.other, -3)
    raise_due_work(_today())
    Nominal.objects.filter(pk=world.nominals.other.pk).update(status="closed")
    assert raise_due_work(_today())["resolved"] == 1
    assert not _notices(resolved_on=None).exists()


def test_a_date_that_moves_resolves_the_old_notice_and_raises_a_new_one(world):
    _review_due_in(world.nominals.other, -20)
    raise_due_work(_today())
    _review_due_in(world.nominals.other, -5)  # a review recorded, but the next is also overdue
    summary = raise_due_work(_today())
    assert summary["raised"] == 1 and summary["resolved"] == 1
    open_notice = _notices(nominal=world.nominals.other, resolved_on=None).get()
    assert open_notice.due_on == _today() - dt.timedelta(days=5)


def test_a_date_that_comes_back_after_its_notice_was_resolved_is_shown_again(world):
    """Level 2, then 1 by mistake (the notice resolves), then 2 again: the same review is overdue and must show."""
    _review_due_in(world.nominals.other, -10)
    raise_due_work(_today())
    Nominal.objects.filter(pk=world.nominals.other.pk).update(management_level=1)
    assert raise_due_work(_today())["resolved"] == 1
    Nominal.objects.filter(pk=world.nominals.other.pk).update(management_level=2)
    summary = raise_due_work(_today())
    open_notices = _notices(nominal=world.nominals.other, resolved_on=None)
    assert open_notices.count() == 1, "an overdue review with no open notice is never seen on 'my work'"
    assert summary["raised"] == open_notices.count()


def test_the_task_enqueued_runs_and_returns_the_summary(world):
    mine = _overdue_notification(world)
    result = raise_due_work_task.enqueue()
    assert result.status == "SUCCESSFUL"
    assert set(result.return_value) == {
        "recomputed",
        "raised",
        "resolved",
        "relevant_notification_tasks_raised",
        "relevant_notification_tasks_refreshed",
        "relevant_notification_tasks_closed",
    }
    assert result.return_value["raised"] == 1 and result.return_value["recomputed"] >= 1
    assert _notices(nominal=mine).count() == 1


def test_schedule_daily_work_now_runs_the_task_here(world):
    mine = _overdue_notification(world)
    out = StringIO()
    call_command("schedule_daily_work", "--now", stdout=out)
    assert "1 notices raised, 0 resolved" in out.getvalue()
    assert _notices(nominal=mine, kind=DueNotice.Kind.NOTIFICATION).exists()
    assert Nominal.objects.get(pk=mine.pk).notification_due == dt.date(2024, 1, 17)


def test_schedule_daily_work_starts_one_chain_only(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("schedule_daily_work", stdout=out)
    call_command("schedule_daily_work", stdout=out)
    queued = DBTaskResult.objects.filter(task_path="safeguard.offenders.tasks.raise_due_work")
    assert queued.count() == 1
    queued = queued.get()
    assert queued.run_after == next_run_after(timezone.now()) and queued.args_kwargs["kwargs"] == {
        "schedule_next": True
    }
    assert "already scheduled" in out.getvalue()


def test_next_run_is_the_next_morning():
    london = dt.timezone(dt.timedelta(0))
    before = dt.datetime(2026, 11, 23, 5, 59, tzinfo=london)
    at = dt.datetime(2026, 11, 23, 6, 0, tzinfo=london)
    assert timezone.localtime(next_run_after(before)).date() == dt.date(2026, 11, 23)
    assert timezone.localtime(next_run_after(at)).date() == dt.date(2026, 11, 24)
    assert timezone.localtime(next_run_after(at)).hour == 6


# My work -----------------------------------------------------------------------------


def test_my_work_shows_my_raised_notices_and_not_another_officers(world, sign_in, client):
    _overdue_notification(world)
    _review_due_in(world.nominals.other, -4)
    raise_due_work(_today())

    page = sign_in(world.users.om).get("/").content.decode()
    assert "Fallen due" in page and "1 item raised by the daily check" in page
    assert f"Jonathan Smith ({world.nominals.mine.reference})" in page
    assert "notification due 17 January 2024" in page and "Notification overdue" in page
    assert "Peter Quill" not in page

    client.logout()
    page = sign_in(world.users.om2).get("/").content.decode()
    assert f"Peter Quill ({world.nominals.other.reference})" in page and "mappa review due" in page
    assert "Jonathan Smith" not in page


def test_my_work_shows_no_resolved_notice(world, sign_in):
    _review_due_in(world.nominals.mine, -4)
    raise_due_work(_today())
    DueNotice.objects.update(resolved_on=_today())
    assert "Fallen due" not in sign_in(world.users.om).get("/").content.decode()


def test_my_work_lists_the_caseload_by_the_next_thing_due(world, sign_in):
    sooner = f.nominal(
        f.person(world.home["mappa"], "Sooner", "Duedate", dt.date(1985, 1, 1)),
        world.home["local"][0],
        world.police,
        world.users.om,
        management_level=2,
        last_reviewed_on=_today() - dt.timedelta(weeks=16) + dt.timedelta(days=1),  # review due tomorrow
    )
    never = f.nominal(
        f.person(world.home["mappa"], "Nothing", "Due", dt.date(1985, 1, 1)),
        world.home["local"][0],
        world.police,
        world.users.om,
    )
    Nominal.objects.filter(pk=never.pk).update(next_review_due=None)
    due_dates.recompute_all(_today())
    assert Nominal.objects.get(pk=sooner.pk).next_due_on == _today() + dt.timedelta(days=1)
    page = sign_in(world.users.om).get("/").content.decode()
    # Jonathan Smith's lead agency review is in 3 days; the nominal with nothing due comes last.
    assert page.index("Sooner Duedate") < page.index("Jonathan Smith") < page.index("Nothing Due")
    assert "Level 2 review" in page
