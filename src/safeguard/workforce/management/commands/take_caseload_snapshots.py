"""Snapshot every officer's caseload for a month that has ended (default: the month just ended).

``--schedule`` instead starts the monthly chain of the background task (idempotent).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.workforce.services.caseloads import SnapshotRefused, take_snapshots
from safeguard.workforce.tasks import month_just_ended, next_run_after, pending_monthly_run, take_caseload_snapshots


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month: enter the month as YYYY-MM, for example 2026-10 (not {text!r})") from None


class Command(BaseCommand):
    help = "Take the month-end caseload snapshots (one per officer holding cases); re-taking a month replaces it."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month, as YYYY-MM (default: the month just ended).")
        parser.add_argument(
            "--schedule", action="store_true", help="Enqueue the monthly task on the 1st (it then enqueues the next)."
        )

    def handle(self, *args, month=None, schedule=False, **options):
        if schedule:
            if month:
                raise CommandError("--schedule takes no --month: the task always takes the month just ended")
            if pending_monthly_run():
                self.stdout.write("The monthly caseload snapshot task is already scheduled.")
                return
            run_after = next_run_after(timezone.now())
            take_caseload_snapshots.using(run_after=run_after).enqueue(schedule_next=True)
            self.stdout.write(
                f"The monthly caseload snapshot task will run at {timezone.localtime(run_after):%H:%M on %d %b %Y}."
            )
            return
        chosen = _month(month) if month else month_just_ended(timezone.localdate())
        try:
            summary = take_snapshots(chosen)
        except SnapshotRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Caseload snapshots for {chosen:%B %Y}: {summary['written']:,} written, "
            f"{summary['replaced']:,} replaced, {summary['skipped']:,} officers with no area skipped."
        )
