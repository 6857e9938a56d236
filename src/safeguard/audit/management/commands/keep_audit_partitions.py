"""Start the monthly chain that creates the audit table's partitions ahead (idempotent), or run it now."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.audit import partitions
from safeguard.audit.tasks import PARTITIONS_TASK, keep_audit_partitions, next_month_run_after
from safeguard.jobs.schedule import queued


class Command(BaseCommand):
    help = "Enqueue the monthly audit partition task (it then enqueues the next), or with --now run it here."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Create the missing partitions at once, here.")

    def handle(self, *args, now=False, **options):
        if now:
            if not partitions.partitioned():
                self.stdout.write("The audit table is not partitioned on this database (SQLite): nothing to do.")
                return
            created = partitions.keep_partitions_ahead(timezone.now().date())
            self.stdout.write(f"Created {len(created)} partitions{': ' + ', '.join(created) if created else ''}.")
            return
        if queued(PARTITIONS_TASK):
            self.stdout.write("The monthly audit partition task is already scheduled.")
            return
        run_after = next_month_run_after(timezone.now())
        keep_audit_partitions.using(run_after=run_after).enqueue(schedule_next=True)
        self.stdout.write(f"The audit partition task will run at {run_after:%H:%M UTC on %d %b %Y}.")
