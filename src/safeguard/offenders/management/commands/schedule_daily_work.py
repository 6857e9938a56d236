"""Start the daily chain of the due-work task (idempotent), or run it now with --now."""

from django.core.management.base import BaseCommand

from safeguard.offenders import due_notices
from safeguard.offenders.tasks import next_run_after, raise_due_work


class Command(BaseCommand):
    help = "Enqueue tomorrow morning's due-work task (it then enqueues the next), or with --now run it here."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the task in this process, at once.")

    def handle(self, *args, now=False, **options):
        from django.utils import timezone

        if now:
            summary = due_notices.raise_due_work(timezone.localdate())
            self.stdout.write(
                f"Due dates worked out again ({summary['recomputed']:,} nominals' dates changed); "
                f"{summary['raised']:,} notices raised, {summary['resolved']:,} resolved."
            )
            return
        if due_notices.pending_daily_run():
            self.stdout.write("The daily task is already scheduled.")
            return
        run_after = next_run_after(timezone.now())
        raise_due_work.using(run_after=run_after).enqueue(schedule_next=True)
        self.stdout.write(f"The daily task will run at {timezone.localtime(run_after):%H:%M on %d %b %Y}.")
