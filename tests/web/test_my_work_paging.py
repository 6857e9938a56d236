"""My work a page at a time: 50 nominals a page, nearest due first, "Showing 1 to 50 of N", previous and next."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from safeguard.audit.models import AuditEvent
from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.web.lists import PAGE_SIZE


def _level_two(world, count: int) -> list[Nominal]:
    """`count` Level 2 nominals in the home area, each due one day after the last (the first due soonest)."""
    today = dt.date.today()
    made = []
    for n in range(count):
        person = f.person(world.home["mappa"], f"Given{n}", f"Family{n:03d}", dt.date(1970, 1, 1))
        made.append(
            f.nominal(
                person,
                world.home["local"][0],
                world.police,
                world.users.om2,
                management_level=2,
                next_due_on=today + dt.timedelta(days=n + 1),
            )
        )
    return made


def _shown_references(page: str) -> list[str]:
    section = page.split('id="levels"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"NOM-\d{7}", section)


def _audited(count_before: int) -> list[int]:
    event = AuditEvent.objects.filter(detail__page="my work").order_by("-id").first()
    assert AuditEvent.objects.count() > count_before
    return event.detail["shown"]


@pytest.mark.parametrize("total, paged", [(PAGE_SIZE, False), (PAGE_SIZE + 1, True)])
def test_pagination_appears_only_past_one_page(world, sign_in, total, paged):
    _level_two(world, total)
    page = sign_in(world.users.coordinator).get("/").content.decode()
    assert len(_shown_references(page)) == PAGE_SIZE
    assert ("govuk-pagination" in page) is paged
    assert f"Showing 1 to {PAGE_SIZE} of {total} nominals, sorted by due, ascending" in page


def test_coordinator_pages_through_level_two_and_three_nearest_due_first(world, sign_in):
    nominals = _level_two(world, 2 * PAGE_SIZE + 3)
    references = [n.reference for n in nominals]
    client = sign_in(world.users.coordinator)

    before = AuditEvent.objects.count()
    first = client.get("/").content.decode()
    assert _shown_references(first) == references[:PAGE_SIZE]
    assert "Showing 1 to 50 of 103 nominals" in first
    assert 'href="?levels-page=2#levels"' in first and 'aria-label="Page 3"' in first
    assert "govuk-pagination__prev" not in first
    assert _audited(before) == [n.pk for n in nominals[:PAGE_SIZE]]

    before = AuditEvent.objects.count()
    second = client.get("/?levels-page=2").content.decode()
    assert _shown_references(second) == references[PAGE_SIZE : 2 * PAGE_SIZE]
    assert "Showing 51 to 100 of 103 nominals" in second
    assert 'href="?levels-page=1#levels"' in second and 'href="?levels-page=3#levels"' in second
    assert _audited(before) == [n.pk for n in nominals[PAGE_SIZE : 2 * PAGE_SIZE]]

    last = client.get("/?levels-page=3").content.decode()
    assert _shown_references(last) == references[2 * PAGE_SIZE :]
    assert "Showing 101 to 103 of 103 nominals" in last
    assert "govuk-pagination__next" not in last


@pytest.mark.parametrize(
    "asked, shown", [("99", "101 to 103"), ("0", "1 to 50"), ("two", "1 to 50"), ("-4", "1 to 50")]
)
def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page(world, sign_in, asked, shown):
    _level_two(world, 2 * PAGE_SIZE + 3)
    page = sign_in(world.users.coordinator).get(f"/?levels-page={asked}").content.decode()
    assert f"Showing {shown} of 103 nominals" in page


def test_nominals_with_nothing_due_come_last(world, sign_in):
    nominals = _level_two(world, 3)
    Nominal.objects.filter(pk=nominals[0].pk).update(next_due_on=None)
    page = sign_in(world.users.coordinator).get("/").content.decode()
    assert _shown_references(page) == [nominals[1].reference, nominals[2].reference, nominals[0].reference]
