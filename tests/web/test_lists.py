"""The one list component (web/lists.py): sorting by declared columns only, filters that only narrow, bounded
pages and counts; and my work's caseload sections sorted and filtered through it, never wider than the gate."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.access import gate
from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.web import lists, my_work
from tests.helpers import ctx_for


def _level(world, count: int, level: int = 2, start: int = 0) -> list[Nominal]:
    today = dt.date.today()
    made = []
    for n in range(start, start + count):
        person = f.person(world.home["mappa"], f"Given{n}", f"Family{n:03d}", dt.date(1970, 1, 1))
        made.append(
            f.nominal(
                person,
                world.home["local"][0],
                world.police,
                world.users.om2,
                management_level=level,
                next_due_on=today + dt.timedelta(days=n - 5),
            )
        )
    return made


def _levels_section(page: str) -> str:
    return page.split('id="levels"', 1)[1].split("</table>", 1)[0]


def _references(page: str) -> list[str]:
    return re.findall(r"NOM-\d{7}", _levels_section(page))


SPEC = lists.ListSpec(
    noun="nominals",
    columns=(lists.Column("ref", "Reference", ("reference",)), lists.Column("due", "Due", ("next_due_on",))),
    default_sort="ref",
    page_size=2,
    count_cap=3,
    filters=(lists.Filter("level", "Level", (("", "All"), ("2", "Level 2")), my_work._narrow_by("management_level")),),
)


def test_a_count_past_the_cap_says_more_than_and_pages_only_to_the_cap(world):
    _level(world, 4)
    page = lists.page_of(SPEC, Nominal.objects.all(), QueryDict("page=9"))
    assert page.capped and page.count_text == "more than 3"
    assert page.pages == 2 and page.number == 2


@pytest.mark.parametrize("how_many", [0, 1, 2, 3, 5])
def test_each_page_and_its_count_are_the_counted_ones_and_a_last_page_needs_no_count(world, how_many):
    made = _level(world, how_many)
    wide = lists.ListSpec(noun="nominals", columns=SPEC.columns, default_sort="ref", page_size=2, count_cap=10)
    references = sorted(n.reference for n in made)
    pages = max(1, -(-how_many // 2))
    these = Nominal.objects.filter(person__family_name__startswith="Family")  # a query, even when none are made
    for asked in range(0, 5):
        with CaptureQueriesContext(connection) as sent:
            page = lists.page_of(wide, these, QueryDict(f"page={asked}"))
        number = min(max(1, asked), pages)
        assert (page.count, page.capped, page.number) == (how_many, False, number)
        assert [n.reference for n in page.rows] == references[(number - 1) * 2 : number * 2]
        counted = [q for q in sent.captured_queries if "COUNT(" in q["sql"]]
        # The last page (fewer rows than a page, or the first page of none) tells the count: no count is sent.
        last_page_asked = max(1, asked) == pages and (how_many % 2 or how_many == 0)
        assert len(counted) == (0 if last_page_asked else 1)


def test_an_undeclared_sort_or_direction_falls_back_to_the_default(world):
    made = _level(world, 3)
    for query in ("sort=person__password", "sort=offender_manager__password&order=sideways", "sort=-reference"):
        page = lists.page_of(SPEC, Nominal.objects.filter(pk__in=[n.pk for n in made]), QueryDict(query))
        assert page.sort == "ref" and page.direction == lists.ASCENDING


def test_the_sorted_column_says_so_and_its_link_reverses_it(world):
    _level(world, 3)
    page = lists.page_of(SPEC, Nominal.objects.all(), QueryDict("sort=due&order=descending&page=2"))
    ref, due = page.headers
    assert due.aria_sort == "descending" and "order=ascending" in due.href and "page" not in due.href
    assert ref.aria_sort == "none" and "sort=ref" in ref.href


def test_page_links_are_first_last_and_neighbours_with_ellipses():
    spec = lists.ListSpec(noun="x", columns=SPEC.columns, default_sort="ref")
    page = lists.ListPage(spec, [1], 10, 1000, False, "ref", lists.ASCENDING, QueryDict(""))
    assert [link.number for link in page.page_links] == [1, None, 9, 10, 11, None, 20]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", "due"),
        ("levels-sort=name", "name"),
        ("levels-sort=name&levels-order=descending", "name-descending"),
        ("levels-sort=due&levels-order=descending", "due-descending"),
    ],
)
def test_my_work_sorts_a_section_by_its_columns(world, sign_in, query, expected):
    made = _level(world, 6)
    by_due = [n.reference for n in made]
    by_name = [n.reference for n in sorted(made, key=lambda n: n.person.family_name)]
    wanted = {
        "due": by_due,
        "name": by_name,
        "name-descending": by_name[::-1],
        "due-descending": by_due[::-1],
    }[expected]
    page = sign_in(world.users.coordinator).get(f"/?{query}").content.decode()
    assert _references(page) == wanted
    assert 'aria-sort="ascending"' in page or 'aria-sort="descending"' in page


def test_my_work_filters_by_level_and_due(world, sign_in):
    twos = _level(world, 6, level=2)
    threes = _level(world, 2, level=3, start=10)
    client = sign_in(world.users.coordinator)
    page = client.get("/?level=3").content.decode()
    assert _references(page) == [n.reference for n in threes]
    assert "Clear filters" in page
    overdue = client.get("/?due=overdue").content.decode()
    assert _references(overdue) == [n.reference for n in twos[:5]]
    ignored = client.get("/?level=9&due=everything").content.decode()
    assert len(_references(ignored)) == 8


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sort=st.sampled_from(["name", "level", "due", "where", "reference", "person__family_name", ""]),
    order=st.sampled_from(["ascending", "descending", "", "x"]),
    level=st.sampled_from(["", "1", "2", "3", "4"]),
    due=st.sampled_from(["", "overdue", "soon", "all"]),
    number=st.integers(min_value=-2, max_value=5),
)
def test_sorting_and_filtering_never_widen_the_gates_scope(world, sort, order, level, due, number):
    user = world.users.om  # the fixed world's read-only records: nothing here changes between examples
    params = QueryDict(mutable=True)
    params.update({"caseload-sort": sort, "caseload-order": order, "level": level, "due": due})
    params["caseload-page"] = str(number)
    sections = my_work.caseload_sections(ctx_for(user, "offender_management"), user, params, dt.date.today())
    allowed = set(gate.scoped(user, Nominal.objects.all()).values_list("pk", flat=True))
    shown = {row["nominal"].pk for section in sections for row in section.rows}
    assert shown <= allowed
    assert world.nominals.away.pk not in shown and world.nominals.other.pk not in shown


def test_a_leading_minus_reverses_one_field_whichever_way_the_column_is_sorted():
    ascending = lists.ordering_for(["-a", "b"], descending=False)
    descending = lists.ordering_for(["-a", "b"], descending=True)
    assert [(t.expression.name, t.descending) for t in ascending] == [("a", True), ("b", False)]
    assert [(t.expression.name, t.descending) for t in descending] == [("a", False), ("b", True)]
    assert all(t.nulls_last for t in ascending + descending)


# --- A list already in memory (page_of_rows) ---------------------------------------------------------------

ROWS_SPEC = lists.ListSpec(
    noun="rows",
    columns=(
        lists.Column("name", "Name", row_key=lambda r: r["name"]),
        lists.Column("size", "Size", row_key=lambda r: r["size"], first=lists.DESCENDING),
        lists.Column("note", "Note"),
    ),
    default_sort="name",
    page_size=2,
    filters=(
        lists.Filter(
            "big", "Big", (("", "All"), ("yes", "Big only")), lambda rows, v: [r for r in rows if not v or r["size"]]
        ),
    ),
)
ROWS = [{"name": "c", "size": 3}, {"name": "a", "size": None}, {"name": "b", "size": 1}]


def _names(query: str) -> list[str]:
    return [r["name"] for r in lists.page_of_rows(ROWS_SPEC, ROWS, QueryDict(query)).rows]


def test_rows_page_by_the_default_column_and_the_second_page_holds_the_rest():
    page = lists.page_of_rows(ROWS_SPEC, ROWS, QueryDict(""))
    assert [r["name"] for r in page.rows] == ["a", "b"] and page.count == 3 and page.pages == 2
    assert _names("page=2") == ["c"] and _names("page=9") == ["c"]


def test_rows_with_no_key_sort_last_in_either_direction():
    assert _names("sort=size") == ["c", "b"] and _names("sort=size&page=2") == ["a"]
    assert _names("sort=size&order=ascending") == ["b", "c"] and _names("sort=size&order=ascending&page=2") == ["a"]


def test_rows_ignore_an_unsortable_or_unknown_column_and_filters_only_narrow():
    assert _names("sort=note") == _names("sort=nothing") == ["a", "b"]
    page = lists.page_of_rows(ROWS_SPEC, ROWS, QueryDict("big=yes"))
    assert [r["name"] for r in page.rows] == ["b", "c"] and page.count == 2 and page.filtered
    assert _names("big=everything") == ["a", "b"]  # not a choice: the default, all rows


def _href_by_copy(listed: lists.ListPage, **changes) -> str:
    """A list link as ``href`` wrote it before it encoded the parameters once a page: the QueryDict copied,
    this list's parameters changed, ``urlencode()``."""
    query = listed.params.copy()
    for name, value in changes.items():
        key = listed.spec.param(name)
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    anchor = f"#{listed.spec.prefix}" if listed.spec.prefix else ""
    return f"?{query.urlencode()}{anchor}"


_PARAM_TEXT = st.text(alphabet=st.sampled_from("ab-_ &=?#+%é/1"), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(["levels-page", "levels-sort", "x", "level", "a b", "é"]) | _PARAM_TEXT, _PARAM_TEXT),
        max_size=6,
    ),
    prefix=st.sampled_from(["", "levels"]),
    sort=st.sampled_from([None, "due", "a&b"]),
    number=st.sampled_from([None, 1, 3]),
)
def test_a_list_link_is_what_a_copy_of_the_query_changed_and_encoded_writes(pairs, prefix, sort, number):
    params = QueryDict(mutable=True)
    for key, value in pairs:
        params.appendlist(key, value)
    spec = lists.ListSpec(noun="x", columns=SPEC.columns, default_sort="ref", prefix=prefix)
    page = lists.ListPage(spec, [1], 2, 1000, False, "ref", lists.ASCENDING, params)
    for changes in ({"sort": sort, "order": "descending", "page": None}, {"page": number}, {"page": None}):
        assert page.href(**changes) == _href_by_copy(page, **changes)
    assert page.next_href == _href_by_copy(page, page=3) and page.previous_href == _href_by_copy(page, page=1)
