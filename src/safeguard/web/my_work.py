"""My work's caseload sections: which nominals each role sees there, a page at a time, nearest due first.

Every section is one bounded query (the page's rows, nearest due first, ``PAGE_SIZE`` at a time) and one
count, both answered from indexes (offenders' "my work" indexes: active Level 2/3 and active unallocated
nominals in due-date order), whatever the size of the area: a national MAPPA coordinator's Level 2 and 3
nominals are a few thousand, and "my work" shows the first 50 with GOV.UK pagination ("Showing 1 to 50
of 365 nominals", previous and next). Each section pages on its own query-string parameter, which holds a
page number only. One audit event lists the nominals shown.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Exists, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from safeguard.access import gate
from safeguard.access import viewer as access_viewer
from safeguard.actions import services as action_services
from safeguard.actions.models import Action
from safeguard.audit.models import Operation
from safeguard.offenders.models import DueNotice, ManagementLevel, Nominal
from safeguard.pathways import my_work as pathways_my_work
from safeguard.pathways.services import interventions
from safeguard.people.models import Person
from safeguard.prepared import PreparedQuery, count_of
from safeguard.workforce.models import Role, Staff

from . import dates, html_text, lists
from .lists import Column, Filter, ListSpec

PAGE_SIZE = 50
DUE_SOON_DAYS = 28

NOTIFICATION_LABELS = {
    "initial": "Initial notification",
    "release": "Notification on release",
    "periodic": "Periodic notification",
    "weekly": "Weekly notification (no fixed abode)",
}


def due_items(nominal: Nominal, today: dt.date) -> list[tuple[str, dt.date]]:
    """What is due for one nominal, from the dates the rules worked out (offenders.due_dates)."""
    due = []
    if nominal.notification_due:
        due.append((NOTIFICATION_LABELS.get(nominal.notification_due_kind, "Notification"), nominal.notification_due))
    if nominal.mappa_review_due:
        due.append((f"Level {nominal.management_level} review", nominal.mappa_review_due))
    if nominal.level_set_by:
        due.append(("Set the level before release", nominal.level_set_by))
    if nominal.next_review_due:
        due.append(("Lead agency review", nominal.next_review_due))
    if nominal.release_date and nominal.release_date >= today:
        due.append(("Release", nominal.release_date))
    due.sort(key=lambda d: d[1])
    return due


# What an "overdue" tag on my work names: which of a nominal's dates has passed.
OVERDUE_TAG = {
    "Lead agency review": "Review overdue",
    "Set the level before release": "Level setting overdue",
}


def overdue_tag(label: str) -> str:
    """The tag for a due item whose day has passed: "Notification overdue", "Level review overdue"."""
    if label in OVERDUE_TAG:
        return OVERDUE_TAG[label]
    if label.startswith("Level "):
        return "Level review overdue"
    if label in NOTIFICATION_LABELS.values() or label == "Notification":
        return "Notification overdue"
    return f"{label} overdue"


def caseload_rows(nominals, today: dt.date, soon_days: int = DUE_SOON_DAYS) -> list[dict]:
    rows = []
    href = _nominal_href()
    for nominal in nominals:
        due = due_items(nominal, today)
        nearest = due[0][1] if due else None
        overdue = list(dict.fromkeys(overdue_tag(label) for label, day in due if day < today))
        row = {
            "nominal": nominal,
            "due": due,
            "overdue": overdue,
            "soon": bool(nearest and today <= nearest <= today + dt.timedelta(days=soon_days)),
            "nearest": nearest,
        }
        row["html"] = row_html(row, href)
        rows.append(row)
    return rows


# The columns a caseload row shows (``row_html``, ``due_items``): the sections fetch these and no others.
ROW_FIELDS = (
    "reference",
    "mappa_category",
    "management_level",
    "location",
    "rosh",
    "notification_due",
    "notification_due_kind",
    "mappa_review_due",
    "level_set_by",
    "next_review_due",
    "release_date",
    "person__given_name",
    "person__middle_names",
    "person__family_name",
)


# A row as the sections read it: its columns as values (``values_list``), not a Nominal and a Person made for each
# of a hundred rows (the models' __init__ cost more than the rest of the rows' work).
SHOWN_COLUMNS = ("pk", *ROW_FIELDS)


class ShownPerson:
    """The person's names a caseload row shows; ``full_name`` is the Person model's own."""

    __slots__ = ("given_name", "middle_names", "family_name")
    full_name = Person.full_name

    def __init__(self, given_name: str, middle_names: str, family_name: str) -> None:
        self.given_name, self.middle_names, self.family_name = given_name, middle_names, family_name


class ShownNominal:
    """The columns of a nominal a caseload row shows (``ROW_FIELDS``), by the names the Nominal model gives them."""

    __slots__ = ("pk", *(name for name in ROW_FIELDS if not name.startswith("person__")), "person")

    def __init__(self, values: tuple) -> None:
        names = SHOWN_COLUMNS
        person = []
        for name, value in zip(names, values, strict=True):
            if name.startswith("person__"):
                person.append(value)
            else:
                setattr(self, name, value)
        self.person = ShownPerson(*person)


def shown_nominals(rows) -> list[ShownNominal]:
    return [ShownNominal(values) for values in rows]


_text = html_text.text


def _nominal_href() -> Callable[[int], str]:
    """The nominal page's URL for a pk, escaped, reversed once a list (``html_text.href``)."""
    return html_text.href("offenders:nominal")


# ``get_location_display`` and ``get_rosh_display`` as lookups in the fields' choices, made once.
_LOCATIONS = dict(Nominal._meta.get_field("location").flatchoices)
_ROSH = dict(Nominal._meta.get_field("rosh").flatchoices)


# One row of a caseload table, as web/home.html drew it with a template a row (the whitespace included): written
# here because a coordinator's my work draws a hundred of them, and the template's lookups, filters and URL tag
# cost more than the rest of the page's rendering (tests/web/test_my_work_rows.py compares the two).
ROW = """
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{name}</a><br><span class="govuk-body-s">\
{reference}</span></td>
      <td class="govuk-table__cell">{category}, Level {level}</td>
      <td class="govuk-table__cell">{location}</td>
      <td class="govuk-table__cell">{rosh}</td>
      <td class="govuk-table__cell">
        {due}
        {tags}
      </td>
    </tr>
  """


@functools.lru_cache(maxsize=4096)
def _due_text(label: str, day: dt.date) -> str:
    """One due item as a row writes it ("Release 6 December 2026", escaped): the same few labels and dates
    recur across rows and requests, so each is written once."""
    return f"{_text(label)} {_text(dates.long_date(day))}"


@functools.lru_cache(maxsize=256)
def _tag_text(tag: str) -> str:
    return f'<strong class="govuk-tag govuk-tag--red">{_text(tag)}</strong> '


@functools.lru_cache(maxsize=256)
def _category_text(category, level) -> tuple[str, str]:
    """A row's category words and level, escaped (a handful of values, written once each)."""
    from .templatetags.govuk import category_words

    return _text(category_words(category)), _text(level)


@functools.lru_cache(maxsize=256)
def _choice_text(location: str, rosh: str) -> tuple[str, str]:
    """``get_location_display`` and ``get_rosh_display``, escaped (a handful of values, written once each)."""
    return _text(_LOCATIONS.get(location, location)), _text(_ROSH.get(rosh, rosh))


def row_html(row: dict, href: Callable[[int], str] | None = None) -> SafeString:
    nominal = row["nominal"]
    href = href or _nominal_href()
    due = "<br>".join(_due_text(label, day) for label, day in row["due"])
    tags = "".join(_tag_text(tag) for tag in row["overdue"])
    if not row["overdue"] and row["soon"]:
        tags += '<strong class="govuk-tag govuk-tag--yellow">Due soon</strong>'
    category, level = _category_text(nominal.mappa_category, nominal.management_level)
    location, rosh = _choice_text(nominal.location, nominal.rosh)
    return mark_safe(  # noqa: S308 (every value in it escaped above)
        ROW.format(
            href=href(nominal.pk),
            name=_text(nominal.person.full_name),
            reference=_text(nominal.reference),
            category=category,
            level=level,
            location=location,
            rosh=rosh,
            due=due or "Nothing recorded",
            tags=tags,
        )
    )


def _narrow_by_due_on(queryset: QuerySet, value: str, today: dt.date, soon_until: dt.date) -> QuerySet:
    if value == "overdue":
        return queryset.filter(next_due_on__lt=today)
    if value == "soon":
        return queryset.filter(next_due_on__lte=soon_until)
    return queryset


def _narrow_by_due(queryset: QuerySet, value: str) -> QuerySet:
    today = timezone.localdate()
    return _narrow_by_due_on(queryset, value, today, today + dt.timedelta(days=DUE_SOON_DAYS))


def _narrow_by(field_name: str):
    def narrow(queryset: QuerySet, value: str) -> QuerySet:
        return queryset.filter(**{field_name: value}) if value else queryset

    return narrow


FILTERS = (
    Filter(
        "level",
        "Level",
        (("", "All levels"), ("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")),
        _narrow_by("management_level"),
    ),
    Filter(
        "category",
        "Category",
        (("", "All categories"), ("1", "Category 1"), ("2", "Category 2"), ("3", "Category 3"), ("4", "Category 4")),
        _narrow_by("mappa_category"),
    ),
    Filter(
        "due",
        "Due",
        (("", "Any time"), ("overdue", "Overdue"), ("soon", f"Overdue or due within {DUE_SOON_DAYS} days")),
        _narrow_by_due,
    ),
)

COLUMNS = (
    Column("name", "Nominal", ("person__family_name", "person__given_name")),
    Column("level", "Category and level", ("management_level", "mappa_category"), first=lists.DESCENDING),
    Column("where", "Where"),
    Column("rosh", "Risk of serious harm"),
    Column("due", "Due", ("next_due_on",)),
)


def spec_for(key: str) -> ListSpec:
    """A caseload section's list: nearest due first (the offenders' "my work" indexes), sortable and filtered."""
    return ListSpec(
        noun="nominals",
        columns=COLUMNS,
        default_sort="due",
        tiebreak=("reference",),
        filters=FILTERS,
        prefix=key,
    )


@dataclass
class Section:
    """One list on my work: a page of its rows and where that page sits in the whole."""

    key: str  # the prefix of its query-string parameters ("<key>-page", "<key>-sort", "<key>-order")
    title: str
    list: lists.ListPage
    rows: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.list.count


def section_titles(user) -> list[tuple[str, str]]:
    """(parameter, title) of each list the user's roles put on my work."""
    sections = []
    if user.has_role(Role.OFFENDER_MANAGER):
        sections.append(("caseload", "My caseload"))
    if user.has_role(Role.SUPERVISOR) and user.team_id:
        sections.append(("team", "My team's caseload"))
        sections.append(("unallocated", "Waiting to be allocated"))
    if user.has_role(Role.MAPPA_COORDINATOR):
        sections.append(("levels", "Level 2 and 3 nominals in the area"))
        if not user.has_role(Role.SUPERVISOR):
            sections.append(("unallocated", "Waiting to be allocated"))
    if not sections and gate.policy.sees_through_forums(user):
        sections.append(("forums", "Cases on your agency's forums"))
    return sections


def section_queryset(user, key: str, visible: QuerySet) -> QuerySet:
    """The nominals of one section: the gate's scope (``visible``) narrowed to the section's."""
    if key == "caseload":
        return visible.filter(offender_manager=user)
    if key == "team":
        return visible.filter(offender_manager__team=user.team_id).exclude(offender_manager=user)
    if key == "unallocated":
        return visible.filter(offender_manager=None)
    if key == "levels":
        return visible.filter(management_level__gte=ManagementLevel.TWO)
    if key == "forums":
        if gate.policy.area_worker(user, gate.policy.CASE_ROLES):
            # Said so that PostgreSQL walks nominal_my_work_active (every nominal has a local area).
            return visible.filter(local_area__isnull=False)
        return visible
    raise ValueError(f"no section {key!r}")


def _caseload_base() -> QuerySet:
    return Nominal.objects.filter(status=Nominal.Status.ACTIVE)


# My work's sections as prepared queries (safeguard.prepared): their SQL written once a kind of viewer, section,
# filter, order and page a process, not once a request. The builders scope with the gate, for a stand-in of the
# viewer (access.viewer); the dates are arguments (the "due" filter's), never read inside.


def _section_of(viewer_key, section: str, values: tuple[str, ...], facts: dict, today, soon_until) -> QuerySet:
    with access_viewer.standing_in(viewer_key, **facts) as user:
        queryset = section_queryset(user, section, gate.scoped(user, _caseload_base()))
    for spec_filter, value in zip(FILTERS, values, strict=True):
        if spec_filter.key == "due":
            queryset = _narrow_by_due_on(queryset, value, today, soon_until)
        else:
            queryset = spec_filter.narrow(queryset, value)
    return queryset


def _build_section_rows(key, *, today, soon_until, **facts) -> QuerySet:
    viewer_key, section, values, (sort, direction), start = key
    spec = spec_for(section)
    column = spec.column(sort)
    ordering = lists.ordering_for(column.order_by + spec.tiebreak, direction == lists.DESCENDING)
    queryset = _section_of(viewer_key, section, values, facts, today, soon_until).order_by(*ordering)
    return queryset.values_list(*SHOWN_COLUMNS)[start : start + spec.page_size]


def _build_section_count(key, *, today, soon_until, **facts) -> QuerySet:
    viewer_key, section, values = key
    queryset = _section_of(viewer_key, section, values, facts, today, soon_until)
    return queryset.order_by().values("pk")[: spec_for(section).count_cap + 1]


SECTION_ROWS = PreparedQuery("my_work.section_rows", Nominal, _build_section_rows, keyed=True)
SECTION_COUNT = PreparedQuery("my_work.section_count", Nominal, _build_section_count, keyed=True)


def _section_page(user, found, key: str, params, today: dt.date) -> lists.ListPage:
    """One section's page: its prepared queries for a member of staff of a MAPPA area (``found``: their
    ``access.viewer.facts``), the ORM's for anyone else."""
    spec = spec_for(key)
    if found is None:
        visible = gate.scoped(user, _caseload_base())
        page = lists.page_of(spec, section_queryset(user, key, visible).values_list(*SHOWN_COLUMNS), params)
        page.rows = shown_nominals(page.rows)
        return page
    viewer_key, facts = found
    arguments = {**facts, "today": today, "soon_until": today + dt.timedelta(days=DUE_SOON_DAYS)}
    filters = lists.filters_shown(spec, params)
    values = tuple(f.value for f in filters)
    column, direction = lists.sort_asked(spec, params)

    def rows_at(start: int) -> list:
        return shown_nominals(SECTION_ROWS(key=(viewer_key, key, values, (column.key, direction), start), **arguments))

    def count() -> tuple[int, bool]:
        counted = count_of(SECTION_COUNT(key=(viewer_key, key, values), **arguments))
        return min(counted, spec.count_cap), counted > spec.count_cap

    return lists.paged(spec, params, filters, (column, direction), rows_at=rows_at, count=count)


def caseload_sections(ctx, user, params, today: dt.date) -> list[Section]:
    """The user's caseload sections, each at the page, order and filters its parameters ask for; the
    nominals shown audited. The filters and sorts only narrow and order the gate's scope."""
    shown: list[Section] = []
    found = access_viewer.facts(user)
    for key, title in section_titles(user):
        page = _section_page(user, found, key, params, today)
        shown.append(Section(key=key, title=title, list=page, rows=caseload_rows(page.rows, today)))
    ids = [row["nominal"].pk for section in shown for row in section.rows]
    if ids:
        pages = {s.key: s.list.number for s in shown}
        filters = lists.filter_panel(FILTERS, params).filters
        gate.audit_list(
            ctx,
            Operation.VIEW,
            Nominal,
            ids,
            {"page": "my work", "pages": pages, "filters": {f.key: f.value for f in filters if f.value}},
        )
    return shown


# The user's open actions (a coordinator's run to hundreds): read and counted through prepared queries too.


def _open_actions_of(viewer_key, facts: dict) -> QuerySet:
    with access_viewer.standing_in(viewer_key, **facts) as user:
        return action_services.my_open_actions(user)


def _build_open_actions(key, **facts) -> QuerySet:
    viewer_key, limit = key
    return _open_actions_of(viewer_key, facts)[:limit]


def _build_open_actions_count(key, *, due_before: dt.date | None = None, **facts) -> QuerySet:
    viewer_key, cap = key
    queryset = _open_actions_of(viewer_key, facts)
    if due_before is not None:
        queryset = queryset.filter(due_on__lt=due_before)
    return queryset.order_by().values("pk")[:cap]


OPEN_ACTIONS = PreparedQuery("my_work.open_actions", Action, _build_open_actions, keyed=True)
OPEN_ACTIONS_COUNT = PreparedQuery("my_work.open_actions_count", Action, _build_open_actions_count, keyed=True)
ACTIONS_COUNT_CAP = 100_000  # more than any one member of staff holds: the count is exact


def open_actions(user, today: dt.date, limit: int) -> tuple[list, int, int | None]:
    """The user's first ``limit`` open actions through the gate (``actions.services.my_open_actions``), how many
    there are, and how many are overdue when there are more than are shown (None: count the rows shown)."""
    found = access_viewer.facts(user)
    if found is None:
        mine = action_services.my_open_actions(user)
        rows = list(mine[: limit + 1])
        if len(rows) <= limit:
            return rows, len(rows), None
        return rows[:limit], mine.count(), mine.filter(due_on__lt=today).count()
    viewer_key, facts = found
    rows = list(OPEN_ACTIONS(key=(viewer_key, limit + 1), **facts))
    if len(rows) <= limit:
        return rows, len(rows), None
    count = count_of(OPEN_ACTIONS_COUNT(key=(viewer_key, ACTIONS_COUNT_CAP), **facts))
    overdue = count_of(OPEN_ACTIONS_COUNT(key=(viewer_key, ACTIONS_COUNT_CAP), due_before=today, **facts))
    return rows[:limit], count, overdue


def present(user, candidates: Mapping[str, QuerySet]) -> set[str]:
    """Which of these querysets have any row, asked in one query (an EXISTS each, on the user's own row).

    For my work's short sections (actions, prompts, intervention steps, release gaps...): each is the gate's
    scope of records that are the user's own, and most users have none of most of them. A section whose
    records, before the gate, are none can show nothing, so its scoped query (which costs more to build than
    to run) is not built. Nothing here is shown: the page shows the gate's scope of each section that has any.
    """
    if not candidates:
        return set()
    names = dict(zip((f"has_{n}" for n in range(len(candidates))), candidates, strict=True))
    found = (
        Staff.objects.filter(pk=user.pk)
        .values(**{key: Exists(candidates[name].order_by()) for key, name in names.items()})
        .first()
    )
    if found is None:  # no row to ask on: every section is asked on its own
        return set(candidates)
    return {name for key, name in names.items() if found[key]}


def _build_present(key, *, viewer: int, today: dt.date, steps_due_by: dt.date, **facts) -> QuerySet:
    with access_viewer.standing_in(key, viewer=viewer, **facts) as user:
        candidates = short_section_candidates(user, today, steps_due_by)
    asked = {f"has_{name}": Exists(queryset.order_by()) for name, queryset in candidates.items()}
    return Staff.objects.filter(pk=viewer).values(**asked)[:1]


PRESENT = PreparedQuery("my_work.present", Staff, _build_present, keyed=True)


def present_sections(user, today: dt.date) -> set[str]:
    """``present`` for my work's short sections, as a prepared query (its SQL written once a kind of viewer a
    process) for a member of staff of a MAPPA area, and as the ORM's for anyone else."""
    found = access_viewer.facts(user)
    if found is None:
        return present(user, short_section_candidates(user, today))
    key, facts = found
    steps_due_by = interventions.steps_due_by(today)
    row = next(iter(PRESENT(key=key, today=today, steps_due_by=steps_due_by, **facts)), None)
    if row is None:  # no row to ask on: every section is asked on its own
        return set(short_section_candidates(user, today))
    return {name.removeprefix("has_") for name, has in row.items() if has}


def short_section_candidates(user, today: dt.date, steps_due_by: dt.date | None = None) -> dict[str, QuerySet]:
    """My work's short sections, each the records it lists before the gate narrows them: the intervention steps,
    release gaps and peer feedback (pathways.my_work), the open actions and prompts, and for an offender
    manager the notices fallen due on their caseload."""
    candidates = {
        **pathways_my_work.candidates(user, today, steps_due_by),
        "actions": action_services.open_actions_owned(user),
        "prompts": action_services.open_prompts(user),
    }
    if user.has_role(Role.OFFENDER_MANAGER):
        candidates["notices"] = DueNotice.objects.filter(resolved_on=None, nominal__offender_manager=user)
    return candidates
