"""Pairs for the matching tests: two people of the home area, one pair of them, and a trained-looking model."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.demo import factories as f
from safeguard.matching.models import CandidatePair, MatchModel, PersonMerge

WATERFALL = [
    {"comparison": "prior", "label": "Two records picked at random", "weight": -16.0},
    {"comparison": "given_name", "label": "Nearly the same (Jaro-Winkler 0.92)", "weight": 6.5},
    {"comparison": "family_name", "label": "The same", "weight": 8.0},
    {"comparison": "date_of_birth", "label": "Day and month swapped", "weight": 9.0},
    {"comparison": "postcode", "label": "Not recorded on both", "weight": 0.0},
]


def model(area) -> MatchModel:
    return MatchModel.objects.create(
        area=area,
        version=(MatchModel.objects.filter(area=area).count() + 1),
        trained_at=timezone.now(),
        records=100,
        threshold=0.9,
        splink_version="5.0.0",
        model={"probability_two_random_records_match": 0.0001, "comparisons": []},
    )


def pair(world, first=None, second=None, **fields) -> CandidatePair:
    """A pair found by the model: the world's offender and a look-alike entered by another agency."""
    first = first or world.people.offender
    second = second or f.person(world.home["mappa"], "Jonathon", "Smith", dt.date(1980, 3, 17))
    a, b = sorted((first, second), key=lambda p: p.pk)
    values = {
        "area": world.home["mappa"],
        "source": CandidatePair.Source.MODEL,
        "match_model": model(world.home["mappa"]),
        "match_weight": 7.5,
        "match_probability": 0.994,
        "waterfall": WATERFALL,
    } | fields
    return CandidatePair.objects.create(first=a, second=b, **values)


def merge(world, kept, merged, **fields) -> PersonMerge:
    """A merge waiting for a second reviewer's approval (nothing moved yet)."""
    values = {
        "status": "awaiting",
        "reason": "The same person: same PNC photograph",
        "requested_by": world.users.supervisor,
    }
    return PersonMerge.objects.create(kept=kept, merged=merged, **(values | fields))
