"""Start the hourly chain that seals closed batches of audit rows (idempotent), or seal now."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.audit import sealing
from safeguard.audit.tasks import SEAL_TASK, next_hour_run_after, seal_audit
from safeguard.jobs.schedule import queued


class Command(BaseCommand):
    help = "Enqueue the hourly audit sealing task (it then enqueues the next), or with --now seal here."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Seal every closed batch at once, here.")

    def handle(self, *args, now=False, **options):
        if now:
            summary = sealing.seal_closed_batches()
            if summary.skipped:
                self.stdout.write("Another sealing job is running: nothing done.")
                return
            self.stdout.write(
                f"{summary.seals:,} seals written over {summary.rows:,} rows"
                + (f", up to id {summary.last_id:,}; last hash {summary.last_hash}." if summary.last_id else ".")
            )
            if summary.blocked:
                self.stdout.write(
                    "A transaction older than the newest rows was still running: they wait for the next run."
                )
            return
        if queued(SEAL_TASK):
            self.stdout.write("The hourly audit sealing task is already scheduled.")
            return
        run_after = next_hour_run_after(timezone.now())
        seal_audit.using(run_after=run_after).enqueue(schedule_next=True)
        self.stdout.write(f"The audit sealing task will run at {timezone.localtime(run_after):%H:%M on %d %b %Y}.")
