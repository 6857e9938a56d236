"""Queue the month-end snapshots of every area's published figures for a month that has ended (default: the
month just ended), as a background job; a month that already has them is skipped, never rewritten.

``--schedule`` instead starts the monthly chain of the background task (idempotent).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.oversight.services.snapshots import SnapshotRefused, month_end, month_just_ended
from safeguard.oversight.tasks import next_run_after, pending_monthly_run, start_job, take_figure_snapshots


def _period(text: str) -> dt.date:
    try:
        return month_end(dt.datetime.strptime(text, "%Y-%m").date())
    except ValueError:
        raise CommandError(f"--period: enter the month as YYYY-MM, for example 2026-10 (not {text!r})") from None


class Command(BaseCommand):
    help = "Take the month-end (and quarter-end) snapshots of the published figures, as a background job."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="The month, as YYYY-MM (default: the month just ended).")
        parser.add_argument(
            "--schedule", action="store_true", help="Enqueue the monthly task on the 1st (it then enqueues the next)."
        )

    def handle(self, *args, period=None, schedule=False, **options):
        if schedule:
            if period:
                raise CommandError("--schedule takes no --period: the task always takes the month just ended")
            if pending_monthly_run():
                self.stdout.write("The monthly snapshot task is already scheduled.")
                return
            run_after = next_run_after(timezone.now())
            take_figure_snapshots.using(run_after=run_after).enqueue(schedule_next=True)
            when = timezone.localtime(run_after)
            self.stdout.write(f"The monthly snapshot task will run at {when:%H:%M on %d %b %Y}.")
            return
        period_end = _period(period) if period else month_just_ended(timezone.localdate())
        try:
            job = start_job(period_end)
        except SnapshotRefused as exc:
            raise CommandError(str(exc)) from None
        if job.status == job.Status.DONE:
            self.stdout.write(job.message)
        elif job.status == job.Status.FAILED:
            raise CommandError(job.failure)
        else:
            self.stdout.write(f"The snapshots to {period_end:%d %B %Y} are queued as job {job.pk}.")
