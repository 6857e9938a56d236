"""Start the nightly chain of the Category 3 prompt scan (idempotent), or run it now with --now."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.actions import category3
from safeguard.actions.tasks import SCAN_AT, category3_scan, next_run_after


class Command(BaseCommand):
    help = "Enqueue the next Category 3 prompt scan (it then enqueues the next), or with --now run it here."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the scan in this process, at once.")

    def handle(self, *args, now=False, **options):
        if now:
            s = category3.scan(timezone.localdate())
            self.stdout.write(
                f"Category 3 scan: {s['perpetrators_with_facts']:,} perpetrators with a trigger fact, "
                f"{s['prompt_due']:,} to consider; {s['prompts_raised']:,} prompts raised, "
                f"{s['prompts_refreshed']:,} refreshed, {s['not_raised_again_after_a_decision']:,} not raised again "
                f"after a decision, {s['closed_as_managed']:,} closed as now managed under MAPPA, "
                f"{s['no_one_to_ask']:,} with no coordinator or offender manager to ask ({s['seconds']} s)."
            )
            return
        if category3.pending_daily_run():
            self.stdout.write("The nightly scan is already scheduled.")
            return
        run_after = next_run_after(timezone.now(), SCAN_AT)
        category3_scan.using(run_after=run_after).enqueue(schedule_next=True)
        self.stdout.write(f"The Category 3 scan will run at {timezone.localtime(run_after):%H:%M on %d %b %Y}.")
