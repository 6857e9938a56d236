"""manage.py generate_world: a fictional force area, the same for the same seed."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.demo import world
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import Area


class Command(BaseCommand):
    help = "Generate a fictional force area (people, nominals, incidents, staff) for a seed."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--nominals", type=int, default=1500)
        parser.add_argument(
            "--incidents",
            type=int,
            default=None,
            help=f"Domestic-abuse incidents (default {world.INCIDENTS_PER_NOMINAL} per nominal).",
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any nominal exists already.")

    def handle(self, *args, seed, nominals, incidents, if_empty, **options):
        if if_empty and Nominal.objects.exists():
            self.stdout.write("Nominals exist already: no world generated.")
            self._say_when_made()
            return
        if nominals < 1 or (incidents is not None and incidents < 0):
            raise CommandError("Give at least one nominal and no negative number of incidents.")
        if Area.objects.filter(code=f"w{seed}-fictional-shire").exists():
            raise CommandError(f"A world with seed {seed} exists already: use another seed or an empty database.")
        verbose = options.get("verbosity", 1) > 0

        def progress(stage: str, done: int, total: int) -> None:
            if verbose:
                sys.stderr.write(f"  {stage}: {done:,} of {total:,}\n")
                sys.stderr.flush()

        counts = world.generate(seed, nominals, incidents, progress=progress)
        self.stdout.write(
            f"Generated a world for seed {seed}: {counts['nominals']:,} nominals, {counts['people']:,} people, "
            f"{counts['incidents']:,} incidents, {counts['staff']:,} staff in {counts['seconds']} s."
        )

    def _say_when_made(self) -> None:
        """The demo's dates are relative to the day its world was made: say so when that was not today."""
        made = world.made_on()
        if made is not None and made != timezone.localdate():
            self.stdout.write(
                f"The world was made on {made:%A} {made.day} {made:%B %Y}: its meetings, triage and due dates are "
                "relative to that day. Empty the database (delete safeguard.sqlite3) for a world made today."
            )
