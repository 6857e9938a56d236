"""Lists of records, written once: sortable columns, filters, and bounded pages with honest counts.

A list page declares a :class:`ListSpec` (its columns, each sortable column mapped to the model fields it
orders by, and its filters) and calls :func:`page_of` with a queryset that is already the user's scope
(``gate.scoped``). Sorting and filtering only order and narrow that queryset: a query-string value that is
not a declared column or choice is ignored, so no parameter can widen what the user sees, nor order by a
field the spec does not name.

Every page is one bounded query (``LIMIT`` a page, ``OFFSET`` at most ``count_cap``) and one count that is
bounded too: the count stops at ``count_cap`` (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``), so a national
list costs no more to count than ``cap`` index entries, and the page says so ("more than 10,000"). Past
the cap the list is narrowed by its filters, not paged.

A list that is already in memory and bounded by what it is (a team's officers with figures worked out by
the rules, the officers stored with an allocation batch) is paged by :func:`page_of_rows` with the same
spec: each sortable column gives a sort key of a row (``row_key``) instead of model fields.

The templates: ``includes/list_filters.html`` (the filter form), ``includes/list_head.html`` (the table
head, with ``aria-sort`` and a sort link on each sortable column) and ``includes/list_pagination.html``
("Showing 1 to 50 of 365 nominals" and GOV.UK pagination).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote_plus

from django.db.models import F, QuerySet
from django.http import QueryDict

PAGE_SIZE = 50
COUNT_CAP = 10_000  # counted exactly up to here; past it the page says "more than 10,000"
ASCENDING, DESCENDING = "ascending", "descending"


@dataclass(frozen=True)
class Column:
    """One column of a list's table; sortable when it names the fields it orders by."""

    key: str
    label: str
    order_by: tuple[str, ...] = ()  # model fields (a leading "-" reverses one); empty: not sortable
    first: str = ASCENDING  # the direction a first click sorts in
    numeric: bool = False
    row_key: Callable[[Any], Any] | None = None  # for page_of_rows: a row's sort key (None sorts last)

    @property
    def sortable(self) -> bool:
        return bool(self.order_by or self.row_key)


@dataclass(frozen=True)
class Filter:
    """One filter of a list: a choice from fixed values, each narrowing the queryset."""

    key: str
    label: str
    choices: tuple[tuple[str, str], ...]  # (value, label); the first is the default
    narrow: Callable[[Any, str], Any]  # a QuerySet (page_of) or a list (page_of_rows), narrowed

    def value_of(self, params: Mapping[str, Any]) -> str:
        value = params.get(self.key, "")
        return value if value in dict(self.choices) else self.choices[0][0]


@dataclass(frozen=True)
class ListSpec:
    """A list of records: what it is called, its columns, its default order, its filters and its page size."""

    noun: str  # plural, for "Showing 1 to 50 of 365 nominals"
    columns: tuple[Column, ...]
    default_sort: str
    default_direction: str = ASCENDING
    tiebreak: tuple[str, ...] = ("pk",)  # appended to every order, so that pages never overlap
    filters: tuple[Filter, ...] = ()
    page_size: int = PAGE_SIZE
    count_cap: int = COUNT_CAP
    prefix: str = ""  # for several lists on one page: "<prefix>-page", "<prefix>-sort", "<prefix>-order"

    def param(self, name: str) -> str:
        return f"{self.prefix}-{name}" if self.prefix else name

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key and c.sortable), None)


def ordering_for(fields: Sequence[str], descending: bool) -> list:
    """Each field in the direction asked (a leading "-" reverses it), missing values last either way."""
    terms = []
    for name in fields:
        reverse = name.startswith("-")
        expression = F(name.lstrip("-"))
        if reverse != descending:
            terms.append(expression.desc(nulls_last=True))
        else:
            terms.append(expression.asc(nulls_last=True))
    return terms


def _number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@dataclass
class Header:
    label: str
    sortable: bool
    aria_sort: str  # "ascending", "descending" or "none" (only on sortable columns)
    href: str
    next_direction: str
    numeric: bool


@dataclass
class PageLink:
    number: int | None  # None: an ellipsis
    href: str = ""
    current: bool = False


@dataclass
class FilterShown:
    key: str
    label: str
    value: str
    choices: tuple[tuple[str, str], ...]


@dataclass
class ListPage:
    """One page of a list, with what its templates need: headers, links, counts."""

    spec: ListSpec
    rows: list
    number: int
    count: int
    capped: bool
    sort: str
    direction: str
    params: QueryDict
    filters: list[FilterShown] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.spec.page_size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.spec.page_size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def count_text(self) -> str:
        return f"more than {self.spec.count_cap:,}" if self.capped else f"{self.count:,}"

    @property
    def cap_text(self) -> str:
        return f"{self.spec.count_cap:,}"

    @property
    def sort_label(self) -> str:
        column = self.spec.column(self.sort)
        label = column.label.lower() if column else self.sort
        return f"sorted by {label}, {self.direction}"

    @property
    def filtered(self) -> bool:
        return any(f.value != f.choices[0][0] for f in self.filters)

    @cached_property
    def _encoded(self) -> dict[str, str] | None:
        """This page's parameters as ``QueryDict.urlencode`` writes them, a key's values joined: encoded once a
        page, not once a link (None: parameters that are not a ``QueryDict``, copied and encoded a link)."""
        if not isinstance(self.params, QueryDict):
            return None
        encoding = self.params.encoding
        return {
            key: "&".join(f"{quote_plus(key.encode(encoding))}={quote_plus(str(v).encode(encoding))}" for v in values)
            for key, values in self.params.lists()
        }

    def href(self, **changes: Any) -> str:
        """This page's query string with this list's parameters changed (the others kept): what
        ``QueryDict.copy()``, a change of each and ``urlencode()`` write, without the copy (a deep copy)."""
        anchor = f"#{self.spec.prefix}" if self.spec.prefix else ""
        encoded = self._encoded
        if encoded is None:
            query = self.params.copy()
            for name, value in changes.items():
                key = self.spec.param(name)
                if value is None:
                    query.pop(key, None)
                else:
                    query[key] = str(value)
            return f"?{query.urlencode()}{anchor}"
        pairs = dict(encoded)
        encoding = self.params.encoding
        for name, value in changes.items():
            key = self.spec.param(name)
            if value is None:
                pairs.pop(key, None)
            else:
                pairs[key] = f"{quote_plus(key.encode(encoding))}={quote_plus(str(value).encode(encoding))}"
        return f"?{'&'.join(v for v in pairs.values() if v)}{anchor}"

    @property
    def headers(self) -> list[Header]:
        shown = []
        for column in self.spec.columns:
            if not column.sortable:
                shown.append(Header(column.label, False, "", "", "", column.numeric))
                continue
            current = column.key == self.sort
            reverse = DESCENDING if self.direction == ASCENDING else ASCENDING
            following = reverse if current else column.first
            shown.append(
                Header(
                    column.label,
                    True,
                    self.direction if current else "none",
                    self.href(sort=column.key, order=following, page=None),
                    following,
                    column.numeric,
                )
            )
        return shown

    @cached_property
    def previous_href(self) -> str:
        return self.href(page=self.number - 1) if self.number > 1 else ""

    @cached_property
    def next_href(self) -> str:
        return self.href(page=self.number + 1) if self.number < self.pages else ""

    @property
    def page_links(self) -> list[PageLink]:
        """GOV.UK pagination's numbers: the first, the last, and those either side of this one."""
        wanted = {1, self.pages, self.number - 1, self.number, self.number + 1}
        links: list[PageLink] = []
        for n in sorted(w for w in wanted if 1 <= w <= self.pages):
            if links and links[-1].number is not None and n - links[-1].number > 1:
                links.append(PageLink(None))
            links.append(PageLink(n, self.href(page=n), n == self.number))
        return links


def _filtered(spec: ListSpec, queryset: QuerySet, params: Mapping[str, Any]) -> tuple[QuerySet, list[FilterShown]]:
    shown = []
    for spec_filter in spec.filters:
        value = spec_filter.value_of(params)
        queryset = spec_filter.narrow(queryset, value)
        shown.append(FilterShown(spec_filter.key, spec_filter.label, value, spec_filter.choices))
    return queryset, shown


def bounded_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """How many rows, counting no further than ``cap`` (and whether it stopped there)."""
    counted = queryset.order_by()[: cap + 1].count()
    return min(counted, cap), counted > cap


def sort_asked(spec: ListSpec, params: Mapping[str, Any]) -> tuple[Column, str]:
    """The column and direction ``params`` ask for: the list's default sort for anything else, and a column's
    first direction when none is asked."""
    column = spec.column(params.get(spec.param("sort"), "")) or spec.column(spec.default_sort)
    if column is None:
        raise ValueError(f"the default sort {spec.default_sort!r} is not a sortable column")
    direction = params.get(spec.param("order"), "")
    if direction not in (ASCENDING, DESCENDING):
        direction = spec.default_direction if column.key == spec.default_sort else column.first
    return column, direction


def page_asked(spec: ListSpec, params: Mapping[str, Any], count: int) -> int:
    """The page ``params`` ask for, within the pages that ``count`` rows make (1 for anything else)."""
    pages = max(1, -(-count // spec.page_size))
    return min(_number(params.get(spec.param("page"))), pages)


def page_of(spec: ListSpec, queryset: QuerySet, params: QueryDict) -> ListPage:
    """The page of ``queryset`` (already the user's scope) that ``params`` ask for: filtered, sorted, bounded."""
    queryset, filters = _filtered(spec, queryset, params)
    column, direction = sort_asked(spec, params)
    ordered = queryset.order_by(*ordering_for(column.order_by + spec.tiebreak, direction == DESCENDING))
    return paged(
        spec,
        params,
        filters,
        (column, direction),
        rows_at=lambda start: list(ordered[start : start + spec.page_size]),
        count=lambda: bounded_count(queryset, spec.count_cap),
    )


def filters_shown(spec: ListSpec, params: Mapping[str, Any]) -> list[FilterShown]:
    """Each filter of the list with the value ``params`` ask for (its default for anything else)."""
    return [FilterShown(f.key, f.label, f.value_of(params), f.choices) for f in spec.filters]


def paged(
    spec: ListSpec,
    params: QueryDict,
    filters: list[FilterShown],
    sort: tuple[Column, str],
    *,
    rows_at: Callable[[int], list],
    count: Callable[[], tuple[int, bool]],
) -> ListPage:
    """The page ``params`` ask for of a list already filtered and sorted: ``rows_at(start)`` reads the page from
    ``start`` (``spec.page_size`` rows), ``count()`` counts them up to ``spec.count_cap`` (``page_of`` gives the
    ORM's; a caller with prepared queries its own)."""
    column, direction = sort
    # The page asked for first: when it is the last page (fewer rows than a page, and some, or none on the
    # first page), it tells how many there are, and the count is not asked for (most caseloads are one page).
    number = _number(params.get(spec.param("page")))
    start = (number - 1) * spec.page_size
    if start < spec.count_cap:
        rows = rows_at(start)
        known = start + len(rows)
        if len(rows) < spec.page_size and (rows or number == 1) and known <= spec.count_cap:
            return ListPage(spec, rows, number, known, False, column.key, direction, params, filters)
    counted, capped = count()
    asked, number = number, page_asked(spec, params, counted)
    if number != asked or start >= spec.count_cap:
        rows = rows_at((number - 1) * spec.page_size)
    return ListPage(spec, rows, number, counted, capped, column.key, direction, params, filters)


def _sorted_rows(rows: list, key: Callable[[Any], Any], descending: bool) -> list:
    """Rows by ``key`` in the direction asked, rows whose key is None last either way; equal keys keep
    the rows' own order (Python's sort is stable, reversed or not)."""
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


def page_of_rows(spec: ListSpec, rows: Sequence, params: QueryDict) -> ListPage:
    """The page of ``rows`` (already in the user's scope and already in memory) that ``params`` ask for.

    Each sortable column sorts by its ``row_key``; a filter's ``narrow`` takes and returns a list. Only for
    lists bounded by their nature: a long list is a queryset for :func:`page_of`.
    """
    shown = list(rows)
    filters = []
    for spec_filter in spec.filters:
        value = spec_filter.value_of(params)
        shown = list(spec_filter.narrow(shown, value))
        filters.append(FilterShown(spec_filter.key, spec_filter.label, value, spec_filter.choices))
    column, direction = sort_asked(spec, params)
    if column.row_key is None:
        raise ValueError(f"the column {column.key!r} has no row_key")
    count = len(shown)
    number = page_asked(spec, params, count)
    start = (number - 1) * spec.page_size
    ordered = _sorted_rows(shown, column.row_key, direction == DESCENDING)
    return ListPage(
        spec, ordered[start : start + spec.page_size], number, count, False, column.key, direction, params, filters
    )


@dataclass
class FilterPanel:
    """The filter form of a page (one for all its lists): each filter's choices and value, and the page's
    other parameters kept as hidden fields (sorting kept, pages back to the first)."""

    filters: list[FilterShown]
    kept: list[tuple[str, str]]
    legend: str = "Filter"

    @property
    def filtered(self) -> bool:
        return any(f.value != f.choices[0][0] for f in self.filters)

    @property
    def clear_href(self) -> str:
        query = QueryDict(mutable=True)
        for name, value in self.kept:
            query.appendlist(name, value)
        return f"?{query.urlencode()}"


def filter_panel(filters: Sequence[Filter], params: QueryDict, legend: str = "Filter") -> FilterPanel:
    keys = {f.key for f in filters}
    kept = [
        (name, value)
        for name, values in params.lists()
        if name not in keys and name != "page" and not name.endswith("-page")
        for value in values
    ]
    shown = [FilterShown(f.key, f.label, f.value_of(params), f.choices) for f in filters]
    return FilterPanel(shown, kept, legend)
