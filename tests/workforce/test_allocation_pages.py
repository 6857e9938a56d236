"""The allocation pages: start a batch, read the recommendations, accept, accept all, override with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation, Role
from tests.workforce.roles_allocation import REASON, add_nominal, add_officer, add_release, team_of


def _start(client, world, **data):
    body = {"team": team_of(world).pk, "kind": "unallocated", **data}
    return client.post(reverse("workforce:allocation"), body)


@pytest.fixture
def team(world):
    trained = add_officer(world, "trained", trained=True, last="Trained")
    spare = add_officer(world, "spare", last="Spare")
    level_two = add_release(world, days=12, management_level=2, rosh="high")
    plain = add_release(world, days=20, rosh="low")
    return trained, spare, level_two, plain


def _releases(client, world):
    today = dt.date.today()
    end = today + dt.timedelta(days=31)
    return _start(
        client,
        world,
        kind="releases",
        released_from_0=today.day,
        released_from_1=today.month,
        released_from_2=today.year,
        released_to_0=end.day,
        released_to_1=end.month,
        released_to_2=end.year,
    )


def test_start_page_lists_what_to_allocate(world, sign_in):
    response = sign_in(world.users.supervisor).get(reverse("workforce:allocation"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Releases from prison between two dates" in page and "Recent batches" in page
    assert team_of(world).name in page
    assert "Every offender manager of" not in page  # a supervisor allocates to their own team only


def test_a_coordinator_may_allocate_to_the_whole_area(world, sign_in):
    page = sign_in(world.users.coordinator).get(reverse("workforce:allocation")).content.decode()
    assert f"Every offender manager of {world.home['mappa'].name}" in page


def test_releases_batch_shows_the_recommendations_and_the_comparison(world, sign_in, team):
    trained, _, level_two, plain = team
    client = sign_in(world.users.supervisor)
    response = _releases(client, world)
    batch = AllocationBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("workforce:batch", kwargs={"pk": batch.pk})
    page = client.get(response.url).content.decode()
    for text in (
        level_two.reference,
        plain.reference,
        "Exact: a mixed-integer programme solved by HiGHS",
        "Proven optimal",
        "Least-loaded trained officer",
        "Largest caseload",
        "Officers over the high-risk cap",
        "How this was worked out",
        "seconds",
    ):
        assert text in page, text
    rec = batch.recommendations.get(nominal=level_two)
    assert rec.recommended_officer == trained
    assert AuditEvent.objects.filter(
        actor_id=world.users.supervisor.pk,
        record_type="workforce.allocationbatch",
        record_id=batch.pk,
        operation="view",
    ).exists()
    assert AuditEvent.objects.filter(
        actor_id=world.users.supervisor.pk, record_type="workforce.allocationrecommendation", operation="view"
    ).exists()


def test_the_form_names_the_missing_dates(world, sign_in):
    response = _start(sign_in(world.users.supervisor), world, kind="releases")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the first release date of the batch" in page and "Enter the last release date of the batch" in page
    assert not AllocationBatch.objects.exists()


def test_the_form_says_when_there_is_nothing_to_allocate(world, sign_in):
    page = _start(sign_in(world.users.supervisor), world).content.decode()
    assert "There is no active nominal with no offender manager" in page


def test_one_nominal_by_reference_and_the_link_from_a_nominal(world, sign_in):
    nominal = add_nominal(world)
    client = sign_in(world.users.supervisor)
    page = client.get(reverse("workforce:allocation") + f"?nominal={nominal.pk}").content.decode()
    assert f'value="{nominal.reference}"' in page
    response = _start(client, world, kind="nominal", reference=nominal.reference.lower())
    assert response.status_code == 302
    assert AllocationBatch.objects.get().recommendations.get().nominal == nominal


def test_a_reference_the_user_may_not_see_is_not_told_apart(world, sign_in):
    page = _start(sign_in(world.users.supervisor), world, kind="nominal", reference=world.nominals.away.reference)
    assert "There is no nominal with this reference that you may allocate" in page.content.decode()


def test_accept_one_then_the_rest(world, sign_in, team):
    trained, _, level_two, plain = team
    client = sign_in(world.users.supervisor)
    _releases(client, world)
    batch = AllocationBatch.objects.get()
    rec = batch.recommendations.get(nominal=level_two)
    url = reverse("workforce:batch-accept", kwargs={"pk": batch.pk, "rec_pk": rec.pk})
    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    assert Nominal.objects.get(pk=level_two.pk).offender_manager == trained
    page = client.get(reverse("workforce:batch", kwargs={"pk": batch.pk})).content.decode()
    assert "Accept all 1 waiting recommendation" in page
    batch.refresh_from_db()
    response = client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": batch.version})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == AllocationBatch.Status.DECIDED
    assert Nominal.objects.get(pk=plain.pk).offender_manager_id is not None


def test_accept_with_a_stale_version_says_so(world, sign_in, team):
    _, _, level_two, _ = team
    client = sign_in(world.users.supervisor)
    _releases(client, world)
    batch = AllocationBatch.objects.get()
    rec = batch.recommendations.get(nominal=level_two)
    response = client.post(reverse("workforce:batch-accept", kwargs={"pk": batch.pk, "rec_pk": rec.pk}), {"version": 7})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "Someone else changed this record" in page
    assert Nominal.objects.get(pk=level_two.pk).offender_manager is None


def test_accept_all_with_a_stale_page_says_so(world, sign_in, team):
    client = sign_in(world.users.supervisor)
    _releases(client, world)
    batch = AllocationBatch.objects.get()
    response = client.post(reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk}), {"version": 99})
    assert "Decisions were made on this batch since you loaded it" in response.content.decode()


def test_override_without_a_reason_then_with_one(world, sign_in, team):
    _, spare, _, plain = team
    client = sign_in(world.users.supervisor)
    _releases(client, world)
    batch = AllocationBatch.objects.get()
    rec = batch.recommendations.get(nominal=plain)
    officer = spare if rec.recommended_officer != spare else world.users.om
    url = reverse("workforce:batch-override", kwargs={"pk": batch.pk, "rec_pk": rec.pk})
    page = client.get(url).content.decode()
    assert "Choose a different officer" in page and "cases now" in page
    response = client.post(url, {"officer": officer.pk, "reason": "", "version": 1})
    assert response.status_code == 200
    assert "Give the reason for choosing this officer" in response.content.decode()
    assert Nominal.objects.get(pk=plain.pk).offender_manager is None
    response = client.post(url, {"officer": officer.pk, "reason": REASON, "version": 1})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.decision == AllocationRecommendation.Decision.OVERRIDDEN and rec.allocated_officer == officer
    page = client.get(reverse("workforce:batch", kwargs={"pk": batch.pk})).content.decode()
    assert REASON in page and "Overridden" in page


def test_an_illegal_override_is_refused_naming_the_rule(world, sign_in, team):
    _, spare, level_two, _ = team
    client = sign_in(world.users.supervisor)
    _releases(client, world)
    batch = AllocationBatch.objects.get()
    rec = batch.recommendations.get(nominal=level_two)
    url = reverse("workforce:batch-override", kwargs={"pk": batch.pk, "rec_pk": rec.pk})
    response = client.post(url, {"officer": spare.pk, "reason": REASON, "version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This would break a hard rule" in page and "is not trained for Level 2/3 nominals" in page
    assert Nominal.objects.get(pk=level_two.pk).offender_manager is None


def test_an_infeasible_batch_says_which_rule_binds(world, sign_in):
    add_nominal(world, management_level=3, rosh="very_high")
    client = sign_in(world.users.supervisor)
    response = _start(client, world)
    page = client.get(response.url).content.decode()
    assert "No allocation of this batch obeys every hard rule" in page
    assert "No officer trained for Level 2/3" in page
    assert "Choose an officer" in page and "Accept all" not in page


@pytest.mark.parametrize("who", ["other_supervisor", "om", "analyst", "away_om"])
def test_others_are_refused_with_404_and_audited(world, sign_in, client, team, who):
    verified = sign_in(world.users.supervisor)
    _releases(verified, world)
    batch = AllocationBatch.objects.get()
    rec = batch.recommendations.first()
    client.logout()
    if who == "other_supervisor":
        user = f.staff("supervisor2", world.police, [Role.SUPERVISOR], team_=world.users.om2.team)
    else:
        user = getattr(world.users, who)
    other = sign_in(user)
    assert other.get(reverse("workforce:batch", kwargs={"pk": batch.pk})).status_code == 404
    accept = reverse("workforce:batch-accept", kwargs={"pk": batch.pk, "rec_pk": rec.pk})
    assert other.post(accept, {"version": 1}).status_code == 404
    accept_all = reverse("workforce:batch-accept-all", kwargs={"pk": batch.pk})
    assert other.post(accept_all, {"version": batch.version}).status_code == 404
    refused = AuditEvent.objects.filter(actor_id=user.pk, outcome=Outcome.REFUSED)
    assert refused.filter(record_type="workforce.allocationbatch", record_id=batch.pk, operation=Operation.VIEW)
    assert refused.filter(record_type="workforce.allocationrecommendation", record_id=rec.pk)
    assert refused.filter(record_type="workforce.allocationbatch", record_id=batch.pk, operation=Operation.CHANGE)
    assert not Nominal.objects.filter(pk=rec.nominal_id, offender_manager__isnull=False).exists()


def test_another_teams_supervisor_does_not_see_the_batch_listed(world, sign_in, team):
    _releases(sign_in(world.users.supervisor), world)
    other = f.staff("supervisor2", world.police, [Role.SUPERVISOR], team_=world.users.om2.team)
    page = sign_in(other).get(reverse("workforce:allocation")).content.decode()
    assert "No batches yet." in page
