"""The demo's oversight records: the MAPPA annual tables of the tour have a population and something in each
row of the year's events, for the analyst to open."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.orders.models import Order, OrderBreach, Outcome
from safeguard.oversight.models import OversightSettings
from safeguard.oversight.services import mappa_annual
from safeguard.workforce.models import Staff
from tests.conftest import verified_client
from tests.demo.conftest import held_world


@pytest.fixture(scope="module")
def module_demo_world(django_db_setup, django_db_blocker):
    yield from held_world(django_db_blocker, seed=2026, nominal_count=400, incident_count=300)


@pytest.fixture
def demo_world(module_demo_world, db):
    """One world for the module (its tests only read it): generated once, not once per test."""
    return module_demo_world


def test_the_demo_fills_the_annual_tables(demo_world, client):
    settings = OversightSettings.objects.get()
    assert settings.population
    assert Order.objects.filter(kind="shpo").exists() and OrderBreach.objects.exists()
    assert set(Outcome.objects.values_list("kind", flat=True)) == {
        "custody",
        "sfo",
        "notification_breach",
        "lifetime_revoked",
    }
    year = mappa_annual.latest_year(timezone.localdate())
    tables = mappa_annual.build_annual(settings.area_id, year)
    assert tables.by_category_level.grand_total.value
    analyst = Staff.objects.get(username="analyst.demo")
    verified_client(client, analyst)
    page = client.get(reverse("oversight:mappa-annual")).content.decode()
    assert "MAPPA annual report tables" in page and "per 100,000" in page.lower()


def test_the_demo_marac_has_a_year_of_returns(demo_world, client):
    from safeguard.meetings.models import Forum
    from safeguard.oversight.services import safelives

    forum = Forum.objects.filter(kind=Forum.Kind.MARAC).order_by("pk").first()
    year, quarter = safelives.last_quarter(timezone.localdate())
    r = safelives.build_return(forum, year, quarter, exact=True)
    assert r.rows and r.quarter_total.get("cases") > 0
    assert r.year_total.get("cases") >= r.quarter_total.get("cases")
    marac = Staff.objects.get(username="marac.demo")
    verified_client(client, marac)
    page = client.get(reverse("oversight:safelives"), {"forum": forum.pk}).content.decode()
    assert "SafeLives recommends 40 a year" in page


def test_the_demo_draws_the_capacity_guides_for_every_local_area(demo_world, client):
    from safeguard.oversight.models import LocalAreaSettings
    from safeguard.oversight.services import forum_volumes

    area = OversightSettings.objects.get().area_id
    assert LocalAreaSettings.objects.count() == 7
    v = forum_volumes.build_volumes(area, *forum_volumes.period(timezone.localdate()))
    assert len(v.lines) >= 7 and all(line.guide_cases and line.guide_referrals for line in v.lines[:7])
    assert any(line.marac[2].value for line in v.lines)  # some MARAC heard enough cases to show
    verified_client(client, Staff.objects.get(username="coordinator.demo"))
    page = client.get(reverse("oversight:forum-volumes")).content.decode()
    assert "Forum volumes across local areas" in page and "sg-chart__guide" in page


def test_the_demo_dashboard_shows_last_month_as_recorded_at_its_end(demo_world, client):
    from safeguard.oversight.services import snapshots
    from safeguard.web.dates import long_date

    end = snapshots.month_just_ended(timezone.localdate())
    verified_client(client, Staff.objects.get(username="analyst.demo"))
    page = client.get(reverse("oversight:dashboard")).content.decode()
    assert f"As recorded at month end on {long_date(end)}" in page and snapshots.LIVE_OPEN in page
