"""Train an area's matching model on its own records and queue the possible matches for review."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguard.matching import services
from safeguard.matching.models import MatchModel
from safeguard.workforce.models import Area


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--area", help="MAPPA area name (default: every MAPPA area).")
        parser.add_argument("--no-training", action="store_true", help="Score with the latest model, do not train.")
        parser.add_argument("--if-untrained", action="store_true", help="Only for areas with no model yet (make demo).")

    def handle(self, *args, area=None, no_training=False, if_untrained=False, **options):
        areas = Area.objects.filter(kind=Area.Kind.MAPPA)
        if area:
            areas = areas.filter(name=area)
            if not areas.exists():
                raise CommandError(f"No MAPPA area is called {area!r}.")
        for each in areas:
            say = lambda text, name=each.name: self.stdout.write(f"{name}: {text}")  # noqa: E731
            if if_untrained and MatchModel.objects.filter(area=each).exists():
                continue
            if each.people.count() < 2:
                say("too few person records to match")
                continue
            model = None if no_training else services.train_model(each, progress=say)
            found = services.find_pairs(each, model, progress=say)
            say(f"{found.scored:,} pairs at or above the threshold, {found.new:,} new for review")
