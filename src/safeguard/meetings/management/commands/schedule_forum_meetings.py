"""Start the daily chain that keeps forums' meetings scheduled (idempotent), or run it now with --now."""

from django.core.management.base import BaseCommand

from safeguard.meetings.services import schedule
from safeguard.meetings.tasks import keep_meetings_scheduled, next_run_after, pending_run


class Command(BaseCommand):
    help = "Enqueue tomorrow morning's scheduling task (it then enqueues the next), or with --now run it here."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Schedule every forum's meetings at once, here.")
        parser.add_argument("--weeks", type=int, default=schedule.DEFAULT_WEEKS)

    def handle(self, *args, now=False, weeks=schedule.DEFAULT_WEEKS, **options):
        from django.utils import timezone

        if now:
            summary = schedule.keep_all_scheduled(timezone.localdate(), weeks)
            self.stdout.write(
                f"{summary['created']:,} meetings scheduled across {summary['forums']:,} forums; "
                f"{len(summary['skipped']):,} forums skipped (cadence, first day or start time not set)."
            )
            return
        if pending_run():
            self.stdout.write("The scheduling task is already queued.")
            return
        run_after = next_run_after(timezone.now())
        keep_meetings_scheduled.using(run_after=run_after).enqueue(schedule_next=True, weeks=weeks)
        self.stdout.write(f"Meetings will be scheduled at {timezone.localtime(run_after):%H:%M on %d %b %Y}.")
