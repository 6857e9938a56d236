"""Monthly caseload snapshots: the service, the django-tasks task that chains itself, the command."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.offenders.models import Nominal
from safeguard.workforce import tasks
from safeguard.workforce.figures import months_ending, previous_month
from safeguard.workforce.models import AreaSettings, CaseloadSnapshot, Role
from safeguard.workforce.services.caseloads import SnapshotRefused, take_snapshots
from tests.workforce.test_caseloads import add_cases, officer

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def world(module_shared_world):
    """These tests only read the world (what one adds, its own transaction rolls back): one for the module."""
    return module_shared_world


def _last_month() -> dt.date:
    return previous_month(timezone.localdate())


def test_one_snapshot_per_officer_holding_cases(world):
    busy = officer(world, "busy")
    add_cases(busy, 49, world)
    add_cases(busy, 3, world, rosh="very_high", location="approved_premises", level=2)
    idle = officer(world, "idle")  # holds nothing: no snapshot
    summary = take_snapshots(_last_month())
    assert summary == {"month": _last_month().isoformat(), "written": 4, "replaced": 0, "skipped": 0}
    assert set(CaseloadSnapshot.objects.values_list("officer_id", flat=True)) == {
        busy.pk,
        world.users.om.pk,
        world.users.om2.pk,
        world.users.away_om.pk,
    }
    assert not CaseloadSnapshot.objects.filter(officer=idle).exists()
    s = CaseloadSnapshot.objects.get(officer=busy)
    assert (s.month, s.team_id, s.area_id) == (_last_month(), busy.team_id, world.home["mappa"].pk)
    assert (s.cases, s.weighted_units, s.high_risk_cases) == (52, Decimal("52.00"), 3)
    assert (s.community_cases, s.approved_premises_cases, s.custody_cases, s.level_2_3_cases) == (52, 3, 0, 3)
    assert s.over_ratio and not s.over_high_risk_cap  # 3 of 52: the cap allows 10
    away = CaseloadSnapshot.objects.get(officer=world.users.away_om)
    assert away.area_id == world.away["mappa"].pk
    event = AuditEvent.objects.get(record_type="workforce.caseloadsnapshot")
    assert event.operation == "create" and event.detail["written"] == 4


def test_taking_a_month_again_replaces_it(world):
    busy = officer(world, "busy")
    add_cases(busy, 51, world)
    take_snapshots(_last_month())
    first_ids = set(CaseloadSnapshot.objects.values_list("pk", flat=True))
    Nominal.objects.filter(offender_manager=busy).update(offender_manager=world.users.om2)
    again = take_snapshots(_last_month())
    assert again["replaced"] == 4 and again["written"] == 3  # busy now holds nothing
    assert CaseloadSnapshot.objects.count() == 3 and not (
        first_ids & set(CaseloadSnapshot.objects.values_list("pk", flat=True))
    )
    assert CaseloadSnapshot.objects.get(officer=world.users.om2).cases == 52
    assert not CaseloadSnapshot.objects.filter(officer=busy).exists()
    assert take_snapshots(_last_month()) == {**again, "replaced": 3}  # a third time: the same rows again
    assert CaseloadSnapshot.objects.count() == 3


def test_other_months_are_left_alone(world):
    months = months_ending(timezone.localdate())
    take_snapshots(months[-3])
    take_snapshots(months[-2])
    take_snapshots(months[-2])
    assert CaseloadSnapshot.objects.filter(month=months[-3]).count() == 3
    assert CaseloadSnapshot.objects.filter(month=months[-2]).count() == 3


def test_a_month_that_has_not_ended_is_refused(world):
    today = timezone.localdate()
    for month in (today, today + dt.timedelta(days=40)):
        with pytest.raises(SnapshotRefused, match="has not ended"):
            take_snapshots(month)
    assert not CaseloadSnapshot.objects.exists()


def test_the_area_settings_decide_over_or_not(world):
    AreaSettings.objects.update_or_create(area=world.home["mappa"], defaults={"ratio_cases_per_officer": 60})
    busy = officer(world, "busy")
    add_cases(busy, 55, world)
    take_snapshots(_last_month())
    assert not CaseloadSnapshot.objects.get(officer=busy).over_ratio
    assert CaseloadSnapshot.objects.get(officer=world.users.om).over_high_risk_cap  # 1 of 1 at high risk


def test_the_queries_do_not_grow_with_the_officers(world):
    """One grouped query for the cases and one for the officers, however many officers there are."""
    take_snapshots(_last_month())
    for n in range(12):
        add_cases(officer(world, f"extra{n}", agency=world.police), 2, world)
    with CaptureQueriesContext(connection) as few:
        take_snapshots(_last_month())
    for n in range(12, 40):
        add_cases(officer(world, f"extra{n}", agency=world.police), 2, world)
    with CaptureQueriesContext(connection) as many:
        summary = take_snapshots(_last_month())
    assert summary["written"] == 43
    assert len(many) == len(few)


def test_an_officer_with_no_agency_counts_in_their_teams_area(world):
    drifter = officer(world, "drifter")
    type(drifter).objects.filter(pk=drifter.pk).update(agency=None)
    add_cases(drifter, 2, world)
    loner = officer(world, "loner")
    type(loner).objects.filter(pk=loner.pk).update(agency=None, team=None)
    add_cases(loner, 1, world)
    summary = take_snapshots(_last_month())
    assert CaseloadSnapshot.objects.get(officer=drifter).area_id == world.home["mappa"].pk
    assert summary["skipped"] == 1 and not CaseloadSnapshot.objects.filter(officer=loner).exists()


# --- The monthly task ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 10, 31, 23, 59, tzinfo=LONDON), dt.datetime(2026, 11, 1, 1, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 11, 1, 0, 59, tzinfo=LONDON), dt.datetime(2026, 11, 1, 1, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 11, 1, 1, 0, tzinfo=LONDON), dt.datetime(2026, 12, 1, 1, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 12, 15, 12, 0, tzinfo=LONDON), dt.datetime(2027, 1, 1, 1, 0, tzinfo=LONDON)),
        (dt.datetime(2026, 3, 20, 12, 0, tzinfo=LONDON), dt.datetime(2026, 4, 1, 1, 0, tzinfo=LONDON)),  # BST
    ],
)
def test_the_next_run_is_the_first_of_a_month(now, expected):
    found = tasks.next_run_after(now)
    assert found == expected and timezone.localtime(found).hour == 1


def test_the_month_just_ended():
    assert tasks.month_just_ended(dt.date(2026, 11, 1)) == dt.date(2026, 10, 1)
    assert tasks.month_just_ended(dt.date(2026, 1, 31)) == dt.date(2025, 12, 1)
    assert tasks.month_just_ended(dt.date(2024, 3, 1)) == dt.date(2024, 2, 1)


def test_the_task_enqueued_takes_the_month_just_ended(world):
    result = tasks.take_caseload_snapshots.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"month": _last_month().isoformat(), "written": 3, "replaced": 0, "skipped": 0}
    assert CaseloadSnapshot.objects.filter(month=_last_month()).count() == 3


def test_each_run_enqueues_the_next_and_scheduling_starts_one_chain(world, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = StringIO()
    call_command("take_caseload_snapshots", "--schedule", stdout=out)
    call_command("take_caseload_snapshots", "--schedule", stdout=out)
    queued = DBTaskResult.objects.filter(task_path=tasks.TASK_PATH)
    assert queued.count() == 1 and "already scheduled" in out.getvalue()
    first = queued.get()
    assert first.run_after == tasks.next_run_after(timezone.now())
    assert first.args_kwargs["kwargs"] == {"schedule_next": True}
    # Running the task (as the worker would) writes the snapshots and queues the following month's run.
    summary = tasks.take_caseload_snapshots.call(schedule_next=True)
    assert summary["written"] == 3
    assert queued.count() == 2


# --- The command ---------------------------------------------------------------------------------


def test_the_command_takes_a_month(world):
    out = StringIO()
    month = months_ending(timezone.localdate())[-4]
    call_command("take_caseload_snapshots", "--month", f"{month:%Y-%m}", stdout=out)
    assert f"Caseload snapshots for {month:%B %Y}: 3 written, 0 replaced" in out.getvalue()
    call_command("take_caseload_snapshots", stdout=out)
    assert f"Caseload snapshots for {_last_month():%B %Y}: 3 written" in out.getvalue()
    assert CaseloadSnapshot.objects.count() == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026/10"], "enter the month as YYYY-MM"),
        (["--month", "2026-13"], "enter the month as YYYY-MM"),
        (["--month", f"{dt.date.today().year + 1}-01"], "has not ended"),
        (["--schedule", "--month", "2026-01"], "--schedule takes no --month"),
    ],
)
def test_the_command_explains_what_it_refuses(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("take_caseload_snapshots", *args, stdout=StringIO())


def test_supervisors_without_cases_are_not_snapshotted(world):
    take_snapshots(_last_month())
    assert not CaseloadSnapshot.objects.filter(officer__roles__icontains=Role.SUPERVISOR.value).exists()
