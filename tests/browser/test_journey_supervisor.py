"""Journey 9: a supervisor allocates next month's releases as a batch, overrides one recommendation with a reason
(first without one: the error), accepts the rest, and sees the team's caseloads move. axe on every page of it."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest

from safeguard.audit.models import AuditEvent
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation
from tests.workforce.roles_allocation import REASON, add_nominal, add_officer, add_release

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def next_month(today: dt.date) -> tuple[dt.date, dt.date]:
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def fill_date(page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def cases_of(page, officer) -> int:
    text = page.locator(f"#officer-{officer.pk} td").first.inner_text()
    return int(re.match(r"\s*(\d+) case", text).group(1))


def test_supervisor_allocates_next_months_releases(page, live_server, world):
    supervisor = world.users.supervisor
    trained = add_officer(world, "trained", trained=True, last="Trained")
    spare = add_officer(world, "spare", last="Spare")
    first, last = next_month(dt.date.today())
    level_two = add_release(world, days=(first - dt.date.today()).days + 3, management_level=2, rosh="high")
    plain = [add_release(world, days=(first - dt.date.today()).days + d, rosh="low") for d in (5, 9)]
    add_release(world, days=(last - dt.date.today()).days + 2, rosh="low")  # the month after: not in the batch
    problems = {}

    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/workforce/caseloads/")
    page.get_by_role("heading", name=supervisor.team.name).wait_for()
    before = {o.pk: cases_of(page, o) for o in (trained, spare, world.users.om)}

    page.goto(f"{live_server.url}/workforce/allocation/")
    page.get_by_role("heading", name="Allocate nominals to offender managers").wait_for()
    if found := violations(page):
        problems["start"] = found
    page.get_by_label("Releases from prison between two dates").check()
    page.get_by_role("button", name="Recommend offender managers").click()
    page.get_by_text("There is a problem").wait_for()  # no dates yet
    assert "Enter the first release date of the batch" in page.content()
    if found := violations(page):
        problems["start with errors"] = found
    fill_date(page, "released_from", first)
    fill_date(page, "released_to", last)
    page.get_by_role("button", name="Recommend offender managers").click()
    page.get_by_role("heading", name=re.compile(r"Allocation batch \d+")).wait_for()
    assert f"{first:%-d %B %Y}" in page.content()  # the criteria are in the page, not the address
    assert str(first.year) not in page.url
    if found := violations(page):
        problems["batch"] = found

    batch = AllocationBatch.objects.get()
    assert batch.status == AllocationBatch.Status.RECOMMENDED
    recs = {r.nominal_id: r for r in batch.recommendations.all()}
    assert recs.keys() == {level_two.pk, *(n.pk for n in plain)}
    assert recs[level_two.pk].recommended_officer == trained
    table = page.locator("table.sg-allocation-table").inner_text()
    for n in (level_two, *plain):
        assert n.reference in table
    assert "Least-loaded trained officer" in page.content() and "Proven optimal" in page.content()

    chosen = recs[plain[0].pk]
    other = spare if chosen.recommended_officer != spare else world.users.om
    page.get_by_role("link", name=f"Choose a different officer for {plain[0].reference}").click()
    page.get_by_role("heading", name="Choose a different officer").wait_for()
    if found := violations(page):
        problems["override"] = found
    page.get_by_label("Officer", exact=True).select_option(str(other.pk))
    page.get_by_role("button", name="Allocate to this officer").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Give the reason for choosing this officer" in page.content()
    if found := violations(page):
        problems["override with errors"] = found
    assert Nominal.objects.get(pk=plain[0].pk).offender_manager is None
    page.get_by_label("Reason for choosing this officer").fill(REASON)
    page.get_by_role("button", name="Allocate to this officer").click()
    page.get_by_text(f"{plain[0].reference} is allocated to").wait_for()

    page.get_by_role("button", name="Accept all 2 waiting recommendations").click()
    page.get_by_text("2 recommendations accepted").wait_for()  # the background job's page, the job done
    if found := violations(page):
        problems["accept all: the job's page"] = found
    page.get_by_role("link", name="Back to the batch").click()
    assert "Decided" in page.locator("#batch-status").inner_text()
    assert REASON in page.content()

    allocated = dict(Nominal.objects.filter(pk__in=recs).values_list("pk", "offender_manager_id"))
    assert allocated[plain[0].pk] == other.pk
    assert allocated[level_two.pk] == trained.pk
    assert allocated[plain[1].pk] == recs[plain[1].pk].recommended_officer_id
    decisions = set(AllocationRecommendation.objects.values_list("decision", flat=True))
    assert decisions == {"accepted", "overridden"}

    page.goto(f"{live_server.url}/workforce/caseloads/")
    page.get_by_role("heading", name=supervisor.team.name).wait_for()
    after = {o.pk: cases_of(page, o) for o in (trained, spare, world.users.om)}
    given = {pk: 0 for pk in before}
    for officer_id in allocated.values():
        given[officer_id] += 1
    assert after == {pk: before[pk] + given[pk] for pk in before}
    assert after[trained.pk] == before[trained.pk] + 1

    events = AuditEvent.objects.filter(actor_id=supervisor.pk)
    assert events.filter(operation="create", record_type="workforce.allocationbatch", record_id=batch.pk).exists()
    assert events.filter(operation="change", record_type="offenders.nominal").count() == 3
    assert events.filter(operation="change", record_type="workforce.allocationrecommendation").count() == 3
    assert problems == {}


def test_an_infeasible_batch_page_passes_axe(page, live_server, world):
    add_nominal(world, management_level=3, rosh="very_high")  # nobody in the team is trained for Level 2/3
    sign_in(page, live_server, world.users.supervisor)
    page.goto(f"{live_server.url}/workforce/allocation/")
    page.get_by_label("Nominals with no offender manager").check()
    page.get_by_role("button", name="Recommend offender managers").click()
    page.get_by_role("heading", name="Why").wait_for()
    assert "No officer trained for Level 2/3" in page.content()
    assert violations(page) == []
    page.get_by_role("link", name=re.compile("Choose an officer for")).click()
    page.get_by_role("heading", name="Choose an officer").wait_for()
    assert violations(page) == []
