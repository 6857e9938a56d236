"""The workforce lists page, sort and filter through web/lists.py, and never show more than the gate allows:
a team's officers (caseloads), the training page's officers, waiting-list entries and places, and an
allocation batch's recommendations and officers.

Pages are made small here (a page size of 1 or 2) so that a few records page: the component is the same at
50 a page."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation, Role, Staff
from safeguard.workforce.services import caseloads as services
from safeguard.workforce.views import allocation as allocation_views
from safeguard.workforce.views import caseloads as caseload_views
from safeguard.workforce.views import training as training_views
from tests.helpers import ctx_for
from tests.workforce.roles_allocation import add_officer, add_release
from tests.workforce.roles_training import records
from tests.workforce.test_allocation_pages import _releases
from tests.workforce.test_caseloads import add_cases, officer


def _table(html: str, anchor: str) -> str:
    """The body of the first table after the element with id ``anchor``."""
    after = html.split(f'id="{anchor}"', 1)[1]
    return after.split("<tbody", 1)[1].split("</tbody>", 1)[0]


def _row_ids(html: str, anchor: str, prefix: str) -> list[int]:
    return [int(n) for n in re.findall(rf'id="{prefix}-(\d+)"', _table(html, anchor))]


def _shown(html: str, anchor: str) -> str:
    return re.sub(r"\s+", " ", html.split(f'id="{anchor}"', 1)[1].split("</p>", 1)[0])


# --- A team's officers (workforce:caseloads) ------------------------------------------------------------


@pytest.fixture
def team(world):
    """Three officers of the supervisor's team: 51 cases (over the ratio), 30 and 10."""
    big = officer(world, "biggest", last="Zeller")
    add_cases(big, 51, world)
    middle = officer(world, "middle", last="Abbott", rank="Police Sergeant")
    add_cases(middle, 30, world)
    small = officer(world, "smallest", last="Mason")
    add_cases(small, 10, world)
    return big, middle, small


def test_a_teams_officers_page_sort_and_filter(world, team, sign_in, monkeypatch):
    monkeypatch.setattr(caseload_views, "PAGE_SIZE", 2)
    big, middle, small = team
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:caseloads")
    first = client.get(url).content.decode()
    everyone = set(Staff.objects.filter(team=world.users.supervisor.team, is_active=True).values_list("pk", flat=True))
    # Worst first by default, as the services order them.
    worst = [r.officer.pk for r in services.team_caseloads(ctx_for(world.users.supervisor)).rows]
    assert _row_ids(first, "officers-table", "officer") == worst[:2] and worst[0] == big.pk
    total = int(re.search(r"Showing 1 to 2 of (\d+) officers", _shown(first, "shown")).group(1))
    listed = []
    for number in range(1, -(-total // 2) + 1):
        listed += _row_ids(client.get(url, {"page": number}).content.decode(), "officers-table", "officer")
    # Every officer once, over the pages, and only the team's.
    assert len(listed) == total == len(set(listed)) and small.pk in listed[2:]
    assert set(listed) <= everyone

    by_name = client.get(url, {"sort": "officer", "order": "ascending"}).content.decode()
    assert _row_ids(by_name, "officers-table", "officer")[0] == middle.pk  # Abbott first
    assert 'aria-sort="ascending"' in by_name

    over = client.get(url, {"over": "over-ratio"}).content.decode()
    assert _row_ids(over, "officers-table", "officer") == [big.pk]
    assert "Showing 1 to 1 of 1 officers" in _shown(over, "shown")
    sergeant = client.get(url, {"grade": "Police Sergeant"}).content.decode()
    assert _row_ids(sergeant, "officers-table", "officer") == [middle.pk]
    # A grade that is not one of the team's is ignored: nothing is widened or narrowed by it.
    assert set(_row_ids(client.get(url, {"grade": "Chief Constable"}).content.decode(), "officers-table", "officer"))


def test_a_team_outside_the_users_scope_shows_none_of_its_officers(world, team, sign_in):
    big, _middle, _small = team
    other = f.staff("supervisor2", world.police, [Role.SUPERVISOR], team_=world.users.om2.team)
    client = sign_in(other)
    html = client.get(reverse("workforce:caseloads"), {"team": world.users.supervisor.team_id}).content.decode()
    assert f'id="officer-{big.pk}"' not in html and "Zeller" not in html
    own = client.get(reverse("workforce:caseloads"), {"sort": "officer"}).content.decode()
    assert "Zeller" not in own and f'id="officer-{big.pk}"' not in own


# --- The training page (workforce:training) ---------------------------------------------------------------


def test_the_training_officers_page_sort_and_filter(world, sign_in, monkeypatch):
    monkeypatch.setattr(training_views, "PAGE_SIZE", 2)
    t = records(world)
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training")
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    one, two = _row_ids(first, "competence", "officer"), _row_ids(second, "competence", "officer")
    assert len(one) == 2 and two and not set(one) & set(two)
    team = {world.users.om.pk, world.users.supervisor.pk, t.trained.pk}
    assert team <= set(one + two)
    assert "Showing 1 to 2 of" in _shown(first, "shown")

    ascending = _row_ids(client.get(url, {"sort": "officer"}).content.decode(), "competence", "officer")
    descending = _row_ids(
        client.get(url, {"sort": "officer", "order": "descending"}).content.decode(), "competence", "officer"
    )
    assert ascending != descending

    supervisors = client.get(url, {"role": Role.SUPERVISOR}).content.decode()
    assert _row_ids(supervisors, "competence", "officer") == [world.users.supervisor.pk]
    # The latest list event names the officers shown on this page only.
    event = AuditEvent.objects.filter(actor_id=world.users.supervisor.pk, record_type="workforce.staff").latest("at")
    assert event.detail["shown"] == [world.users.supervisor.pk]


def test_the_waiting_list_and_places_page_and_sort_on_their_own(world, sign_in, monkeypatch):
    monkeypatch.setattr(training_views, "PAGE_SIZE", 1)
    t = records(world)
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:training")
    by_course = client.get(url).content.decode()
    assert "ARMS" in _table(by_course, "waiting") and "Showing 1 to 1 of 2 waiting-list entries" in by_course
    assert "MOSOVO" in _table(client.get(url, {"waiting-page": 2}).content.decode(), "waiting")
    oldest_last = client.get(url, {"waiting-sort": "since", "waiting-order": "descending"}).content.decode()
    assert "ARMS" in _table(oldest_last, "waiting")  # joined 10 days ago, the newest
    oldest_first = client.get(url, {"waiting-sort": "since"}).content.decode()
    assert "MOSOVO" in _table(oldest_first, "waiting")
    offered = client.get(url, {"waiting-status": "offered", "waiting-page": 1}).content.decode()
    assert "Showing 1 to 1 of 1 waiting-list entries" in offered
    assert "Place offered" in _table(offered, "waiting")
    # Places: the soonest first (MOSOVO in 20 days), the other on page 2; the largest first when asked.
    assert "Neighbouring Police" in _table(by_course, "places")
    assert "Force trainers" in _table(client.get(url, {"places-page": 2}).content.decode(), "places")
    assert "Force trainers" in _table(client.get(url, {"places-sort": "places"}).content.decode(), "places")
    # Each list keeps the other lists' parameters in its links.
    paged = client.get(url, {"waiting-page": 2}).content.decode()
    places_head = paged.split('id="places"', 1)[1].split("</thead>", 1)[0]
    assert "waiting-page=2" in places_head and "places-sort=course" in places_head
    assert t.waiting.pk != t.offered.pk


def test_the_training_lists_stay_in_the_users_scope(world, sign_in):
    t = records(world)
    # An officer sees their own record only, whatever the filters and sorting ask.
    om = sign_in(world.users.om)
    html = om.get(reverse("workforce:training"), {"role": Role.OFFENDER_MANAGER, "sort": "ranked"}).content.decode()
    assert _row_ids(html, "competence", "officer") == [world.users.om.pk]
    # Another team's officer sees none of this team's rows, waiting-list entries included.
    other = sign_in(world.users.om2)
    html = other.get(reverse("workforce:training"), {"team": world.users.om.team_id}).content.decode()
    assert _row_ids(html, "competence", "officer") == [world.users.om2.pk]
    assert f'href="/workforce/training/officers/{world.users.om.pk}/"' not in html
    assert reverse("workforce:training-entry", args=[t.waiting.pk]) not in html
    assert "No one is waiting for a course" in html


def test_the_coordinator_filters_the_area_by_team(world, sign_in):
    records(world)
    coordinator = world.users.coordinator
    client = sign_in(coordinator)
    team = world.users.om.team
    html = client.get(reverse("workforce:training"), {"team": team.pk}).content.decode()
    shown = _row_ids(html, "competence", "officer")
    assert shown and set(Staff.objects.filter(pk__in=shown).values_list("team_id", flat=True)) == {team.pk}
    by_team = client.get(reverse("workforce:training"), {"sort": "team"}).content.decode()
    assert 'aria-sort="ascending"' in by_team.split('id="competence"', 1)[1].split("</thead>", 1)[0]


# --- An allocation batch (workforce:batch) ----------------------------------------------------------------


@pytest.fixture
def batch(world, sign_in):
    add_officer(world, "trained", trained=True, last="Trained")
    add_officer(world, "spare", last="Spare")
    level_two = add_release(world, days=12, management_level=2, rosh="high")
    plain = add_release(world, days=20, rosh="low")
    _releases(sign_in(world.users.supervisor), world)
    return AllocationBatch.objects.get(), level_two, plain


def _recs(html: str) -> list[int]:
    return _row_ids(html, "recommendations", "recommendation")


def test_a_batchs_recommendations_page_sort_and_filter(world, sign_in, batch, monkeypatch):
    record, level_two, plain = batch
    spec = dataclasses.replace(allocation_views.RECOMMENDATIONS, page_size=1)
    monkeypatch.setattr(allocation_views, "RECOMMENDATIONS", spec)
    two = record.recommendations.get(nominal=level_two).pk
    one = record.recommendations.get(nominal=plain).pk
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:batch", kwargs={"pk": record.pk})
    first, second = client.get(url).content.decode(), client.get(url, {"page": 2}).content.decode()
    assert sorted(_recs(first) + _recs(second)) == sorted([one, two])
    assert "Showing 1 to 1 of 2 recommendations" in first
    assert "Accept all 2 waiting recommendations" in second  # the count is the batch's, not the page's
    assert _recs(client.get(url, {"sort": "level", "order": "descending"}).content.decode()) == [two]
    assert _recs(client.get(url, {"sort": "level", "order": "ascending"}).content.decode()) == [one]
    assert _recs(client.get(url, {"sort": "rosh", "order": "descending"}).content.decode()) == [two]
    assert _recs(client.get(url, {"level": "2", "page": 2}).content.decode()) == [two]
    assert _recs(client.get(url, {"rosh": "low"}).content.decode()) == [one]
    # An accept from page 2, sorted, comes back to page 2, sorted.
    query = {"sort": "level", "order": "ascending", "page": "2"}
    accept = reverse("workforce:batch-accept", kwargs={"pk": record.pk, "rec_pk": two})
    response = client.post(f"{accept}?sort=level&order=ascending&page=2", {"version": 1})
    assert response.status_code == 302
    assert all(f"{k}={v}" in response["Location"] for k, v in query.items())
    decided = client.get(url, {"decision": AllocationRecommendation.Decision.ACCEPTED}).content.decode()
    assert _recs(decided) == [two]


def test_a_batchs_officers_page_and_sort(world, sign_in, batch, monkeypatch):
    record, _two, _plain = batch
    spec = dataclasses.replace(allocation_views.OFFICERS, page_size=1)
    monkeypatch.setattr(allocation_views, "OFFICERS", spec)
    client = sign_in(world.users.supervisor)
    url = reverse("workforce:batch", kwargs={"pk": record.pk})
    names = sorted(o["name"] for o in record.figures["officers"])
    assert len(names) >= 2

    def officer_names(params) -> list[str]:
        body = _table(client.get(url, params).content.decode(), "officers")
        return [n for n in names if n in body]

    assert officer_names({}) == [names[0]]
    assert officer_names({"officers-page": 2}) == [names[1]]
    assert officer_names({"officers-sort": "officer", "officers-order": "descending"}) == [names[-1]]


def test_a_batchs_list_shows_only_the_recommendations_the_gate_allows(world, sign_in, batch):
    record, _two, _plain = batch
    hidden = AllocationRecommendation.objects.create(batch=record, nominal=world.nominals.away, reasons=[])
    html = sign_in(world.users.supervisor).get(reverse("workforce:batch", kwargs={"pk": record.pk})).content.decode()
    shown = _recs(html)
    assert hidden.pk not in shown and len(shown) == 2
    assert world.nominals.away.reference not in html
    other = f.staff("supervisor2", world.police, [Role.SUPERVISOR], team_=world.users.om2.team)
    assert (
        sign_in(other).get(reverse("workforce:batch", kwargs={"pk": record.pk}), {"sort": "level"}).status_code == 404
    )
