"""Month-end and quarter-end snapshots (issue 15 item 7): a past month's figures on the PCC dashboard stay as they
were recorded at its end when a record about that month is added later, while the live figures move; a period is
written once; the command refuses a month that has not ended; the job is all or nothing; only the dashboard's
readers see a snapshot."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.jobs.models import Job
from safeguard.oversight import tasks
from safeguard.oversight.models import FigureSnapshot
from safeguard.oversight.services import dashboard, relationships, snapshots
from tests.helpers import incident

LONDON = ZoneInfo(settings.TIME_ZONE)


def _last_month_end() -> dt.date:
    return snapshots.month_just_ended(timezone.localdate())


def _in(world, period_end: dt.date, reference: str):
    """A DA crime in the middle of the month ending ``period_end``, no relationship recorded (one 'missing')."""
    return incident(world, reference, occurred_at=dt.datetime(period_end.year, period_end.month, 15, 12, tzinfo=LONDON))


@pytest.fixture
def area(world):
    return world.home["mappa"].pk


def _analyst(world):
    return gate.AccessContext(user=world.users.analyst, purpose="oversight")


def _month_row(d: dashboard.Dashboard, period_end: dt.date):
    trend = next(s for s in d.series if s.key == "relationships")
    label = relationships.month_label(f"{period_end:%Y-%m}")
    i = trend.periods.index(label)
    return [f.text for f in trend.rows[i]], trend.notes[i]


def test_a_past_months_figure_stays_as_recorded_when_a_record_is_added_later(world, area):
    end = _last_month_end()
    _in(world, end, "TEST-SNAP-0001")
    job = tasks.start_job(end)
    assert job.kind == Job.Kind.FIGURE_SNAPSHOTS and job.status == Job.Status.DONE, job.failure
    assert job.started_by.username == "system" and (job.done, job.total) == (2, 2)  # two MAPPA areas

    for n in range(2, 8):  # six more crimes of that month, recorded after its end
        _in(world, end, f"TEST-SNAP-000{n}")
    shown = dashboard.dashboard(_analyst(world))
    texts, note = _month_row(shown, end)
    assert texts == ["0", "fewer than 5", "fewer than 5"]  # as recorded at the month's end
    assert note == f"As recorded at month end on {end.day} {end:%B %Y}"
    live_texts, live_note = _month_row(dashboard.build_dashboard(area, timezone.localdate()), end)
    assert live_texts == ["0", "7", "7"] and live_note == snapshots.LIVE  # the recomputation differs
    _, open_note = _month_row(shown, timezone.localdate())
    assert open_note == snapshots.LIVE_OPEN

    kept = FigureSnapshot.objects.get(area_id=area, kind="month", period_end=end, what=FigureSnapshot.DASHBOARD)
    look = AuditEvent.objects.filter(record_type=dashboard.RECORD_TYPE, operation=Operation.VIEW).latest("pk")
    assert look.actor_id == world.users.analyst.pk and look.detail == {"snapshots": [kept.pk]}  # an aggregate read
    content, _, _ = dashboard.export_dashboard(_analyst(world), "csv")
    assert f"As recorded at month end on {end.day} {end:%B %Y}".encode() in content


def test_a_period_is_written_once_and_never_rewritten(world, area):
    end = _last_month_end()
    _in(world, end, "TEST-SNAP-0001")
    first = snapshots.take_all(end)
    kept = {s.pk: s.figures for s in FigureSnapshot.objects.all()}
    assert first["written"] == len(kept) > 0 and first["skipped"] == 0
    for n in range(2, 8):
        _in(world, end, f"TEST-SNAP-000{n}")
    again = snapshots.take_all(end)
    assert again["written"] == 0 and again["skipped"] == len(kept)
    assert {s.pk: s.figures for s in FigureSnapshot.objects.all()} == kept
    snap = FigureSnapshot.objects.first()
    with pytest.raises(ValueError):
        snap.save()  # no update path
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureSnapshot.objects.create(
            area_id=snap.area_id,
            kind=snap.kind,
            period_end=snap.period_end,
            what=snap.what,
            figures={},
            taken_at=timezone.now(),
        )


def test_a_quarter_end_keeps_the_quarter_and_each_marac_safelives_return(world, area):
    end = dt.date(2026, 9, 30)
    snapshots.take_all(end, today=dt.date(2026, 10, 1))
    kinds = set(FigureSnapshot.objects.filter(area_id=area, period_end=end).values_list("kind", "what"))
    assert kinds == {
        ("month", "dashboard"),
        ("quarter", "dashboard"),
        ("quarter", f"safelives-{world.marac.pk}"),
    }
    quarter = FigureSnapshot.objects.get(area_id=area, kind="quarter", what="dashboard").figures
    assert quarter[f"marac-{world.marac.pk}"]["period"] == "2026 Q3" and "forum-volumes" in quarter
    assert "matac" not in quarter and "relationships" not in quarter  # MATAC stays live; months are monthly
    ret = FigureSnapshot.objects.get(area_id=area, what=f"safelives-{world.marac.pk}").figures
    assert ret["headers"][:2] == ["MARAC name", "Meeting date"] and len(ret["rows"]) == 1  # suppressed totals


def test_the_command_refuses_a_month_that_has_not_ended(world, area):
    today = timezone.localdate()
    with pytest.raises(CommandError, match="has not ended"):
        call_command("take_snapshots", period=f"{today:%Y-%m}")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("take_snapshots", period="November")
    assert not FigureSnapshot.objects.exists() and not Job.objects.exists()
    end = _last_month_end()
    call_command("take_snapshots", period=f"{end:%Y-%m}")
    assert FigureSnapshot.objects.filter(period_end=end, kind="month").count() == 2


def test_the_job_is_all_or_nothing(world, area, monkeypatch):
    taken = snapshots.take_area
    areas_done = []

    def fails_on_the_second(area_id, period_end, job_id=None):
        if areas_done:
            raise RuntimeError("forced failure")
        areas_done.append(area_id)
        return taken(area_id, period_end, job_id)

    monkeypatch.setattr(snapshots, "take_area", fails_on_the_second)
    job = tasks.start_job(_last_month_end())
    job.refresh_from_db()
    assert areas_done and job.status == Job.Status.FAILED and "Nothing was changed" in job.failure
    assert not FigureSnapshot.objects.exists()


def test_only_the_dashboards_readers_see_a_snapshot(world, area):
    snapshots.take_all(_last_month_end())
    everything = FigureSnapshot.objects.all()
    assert set(gate.scoped(world.users.analyst, everything).values_list("area_id", flat=True)) == {area}
    for user in (world.users.supervisor, world.users.coordinator, world.users.om, world.users.marac):
        assert not gate.scoped(user, everything).exists()
        assert not gate.decide(user, Operation.VIEW, everything.filter(area_id=area).first())


def test_the_chain_runs_on_the_first_after_the_caseload_snapshots():
    zone = timezone.get_current_timezone()
    now = timezone.make_aware(dt.datetime(2026, 12, 6, 9, 0), zone)
    assert timezone.localtime(tasks.next_run_after(now)) == timezone.make_aware(dt.datetime(2027, 1, 1, 2, 0), zone)
    early = timezone.make_aware(dt.datetime(2027, 1, 1, 1, 0), zone)
    assert timezone.localtime(tasks.next_run_after(early)) == timezone.make_aware(dt.datetime(2027, 1, 1, 2, 0), zone)


def test_the_quarter_to_31_march_keeps_the_year_to_31_march(world, area):
    from tests.oversight.builders import annual_world

    annual_world(world)
    end = dt.date(2026, 3, 31)
    snapshots.take_all(end, today=dt.date(2026, 4, 1))
    kept = FigureSnapshot.objects.get(area_id=area, kind="quarter", period_end=end, what="dashboard").figures
    levels = kept["mappa-level"]
    assert levels["period"] == "2026" and levels["columns"][-1] == "All levels"
    # The hand count on 31 March 2026 (tests/oversight/builders.py): Level 1 four, Level 2 three, Level 3 none.
    assert [snapshots.restored(c).text for c in levels["row"][:3]] == ["fewer than 5", "fewer than 5", "0"]
    assert "mappa-level" not in FigureSnapshot.objects.get(area_id=area, kind="month", period_end=end).figures
