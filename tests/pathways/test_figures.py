"""Take-up and outcome figures against hand counts, with small numbers suppressed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.pathways.models import InterventionReferral, ReleasePlan
from safeguard.pathways.services.figures import area_figures
from safeguard.rules import pathway_figures as rule
from safeguard.rules.working import RuleInputError
from tests.pathways.records import records


def test_counts_below_the_minimum_are_suppressed():
    assert rule.suppress(0).text == "0"
    assert rule.suppress(4) == rule.Shown(None, "fewer than 5")
    assert rule.suppress(5).value == 5
    assert rule.suppress(2, minimum=3).text == "fewer than 3"
    with pytest.raises(RuleInputError):  # below 3, "fewer than" would reveal the figure (rules.suppression)
        rule.suppress(3, minimum=2)


def test_rates_are_not_shown_over_a_suppressed_count():
    assert rule.rate(6, 12) == "50%"
    assert rule.rate(4, 12) == "not shown"
    assert rule.rate(0, 0) == "not shown"


def test_programme_figures_by_hand():
    rows = (
        [("BBR", "Probation", "completed")] * 6
        + [("BBR", "Probation", "dropped_out")] * 5
        + [("BBR", "Probation", "referred")] * 9
        + [("Drive", "Charity", "started")] * 2
    )
    bbr, drive = rule.programme_figures(rows)
    assert (bbr.referred.value, bbr.started.value, bbr.completed.value, bbr.dropped_out.value) == (20, 11, 6, 5)
    assert (bbr.start_rate, bbr.completion_rate, bbr.drop_out_rate) == ("55%", "55%", "45%")
    assert (drive.referred.text, drive.start_rate) == ("fewer than 5", "not shown")


def test_release_figures_by_hand():
    releases = [{"accommodation": True, "substance_misuse": True}] * 5 + [{"accommodation": True}] * 3 + [{}] * 2
    found = rule.release_figures(releases)
    assert (found.released.value, found.accommodation.value, found.treatment.value) == (10, 8, 5)
    assert (found.accommodation_rate, found.treatment_rate) == ("80%", "50%")


@pytest.mark.django_db
def test_the_area_figures_count_the_areas_referrals_and_releases(world):
    r = records(world)
    InterventionReferral.objects.bulk_create(
        InterventionReferral(
            nominal=r.mine, programme=r.programme, pillar="supervision", status="completed", referred_by=world.users.om
        )
        for _ in range(5)
    )
    ReleasePlan.objects.filter(pk=r.plan.pk).update(outcome="released")
    r.plan.items.filter(pathway="gp").update(in_place_on_day=True)
    found = area_figures(world.home["mappa"].pk)
    (row,) = found.programmes
    assert (row.referred.value, row.started.value, row.completed.value) == (6, 5, 5)
    assert (row.start_rate, row.completion_rate) == ("83%", "100%")
    assert found.release.released.text == "fewer than 5"
    assert area_figures(world.away["mappa"].pk).programmes == []


@pytest.mark.django_db
def test_the_figures_page_is_counts_only(world, sign_in):
    records(world)
    page = sign_in(world.users.analyst).get(reverse("pathways:figures")).content.decode()
    assert "Building Better Relationships" in page and "fewer than 5" in page
    assert "Jonathan" not in page and "Smith" not in page
