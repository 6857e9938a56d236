"""Start the daily chain of the action-chasing task (idempotent), or run it now with --now."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguard.actions import chase
from safeguard.actions.tasks import CHASE_AT, chase_actions, next_run_after


class Command(BaseCommand):
    help = "Enqueue tomorrow morning's chase of open actions (it then enqueues the next), or with --now run it here."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the chase in this process, at once.")

    def handle(self, *args, now=False, **options):
        if now:
            summary = chase.chase_actions(timezone.localdate())
            self.stdout.write(
                f"Actions chased: {summary['reminded']:,} reminded, {summary['escalated']:,} escalated "
                f"({summary['prompts_raised']:,} new prompts for chairs and coordinators). No e-mail is sent: "
                'reminders and escalations show on "my work".'
            )
            return
        if chase.pending_daily_run():
            self.stdout.write("The daily chase is already scheduled.")
            return
        run_after = next_run_after(timezone.now(), CHASE_AT)
        chase_actions.using(run_after=run_after).enqueue(schedule_next=True)
        self.stdout.write(f"The daily chase will run at {timezone.localtime(run_after):%H:%M on %d %b %Y}.")
