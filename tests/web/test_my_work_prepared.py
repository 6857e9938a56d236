"""My work's sections through prepared queries (web.my_work: ``SECTION_ROWS``, ``SECTION_COUNT``, ``PRESENT``).

Each section's page (its rows, their order, the count, the page number) is the page the ORM gives for the real
member of staff through the gate, for every role that has sections, for each sort, filter and page asked; the
shapes are kept, not refused; and the check mode (on in the tests) compares every cached call with the ORM's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from safeguard.access import gate, policy, viewer
from safeguard.demo import factories as f
from safeguard.web import lists, my_work
from tests.helpers import EVERY_SIGNED_IN

PARAMS = [
    "",
    "levels-page=2",
    "levels-page=3",
    "levels-page=99",
    "levels-sort=name&levels-order=descending",
    "levels-sort=level",
    "unallocated-sort=due&unallocated-order=descending",
    "caseload-sort=name",
    "level=3",
    "category=1&levels-page=2",
    "due=overdue",
    "due=soon&levels-sort=name",
    "team-page=2&due=soon",
]


def _world_of_sections(world) -> None:
    """Enough Level 2/3, unallocated, team and own nominals to page, with due dates either side of today."""
    today = dt.date.today()
    for n in range(130):
        person = f.person(world.home["mappa"], f"Given{n}", f"Family{n % 17:03d}", dt.date(1970, 1, 1))
        f.nominal(
            person,
            world.home["local"][n % len(world.home["local"])],
            world.police,
            [world.users.om, world.users.om2, None][n % 3],
            management_level=(n % 3) + 1,
            mappa_category=(n % 3) + 1,
            next_due_on=today + dt.timedelta(days=(n % 60) - 20),
        )


def _orm_page(user, key: str, params: QueryDict) -> lists.ListPage:
    with policy.remembering():
        visible = gate.scoped(user, my_work._caseload_base())
        return lists.page_of(my_work.spec_for(key), my_work.section_queryset(user, key, visible), params)


def _prepared_page(user, key: str, params: QueryDict) -> lists.ListPage:
    with policy.remembering():
        found = viewer.facts(user)
        assert found is not None
        return my_work._section_page(user, found, key, params, timezone.localdate())


@pytest.mark.parametrize("who", ["om", "om2", "coordinator", "supervisor"])
def test_every_section_page_is_the_orms_for_the_real_user(world, who):
    _world_of_sections(world)
    user = getattr(world.users, who)
    titles = my_work.section_titles(user)
    assert titles
    for query in PARAMS:
        params = QueryDict(query)
        for key, _ in titles:
            for _ in range(2):  # the second call runs the kept SQL (compared with the ORM's in check mode)
                orm, prepared = _orm_page(user, key, params), _prepared_page(user, key, params)
                assert [n.pk for n in prepared.rows] == [n.pk for n in orm.rows], (who, key, query)
                assert (prepared.number, prepared.count, prepared.capped) == (orm.number, orm.count, orm.capped)
                assert [n.person.full_name for n in prepared.rows] == [n.person.full_name for n in orm.rows]
    for query in (my_work.SECTION_ROWS, my_work.SECTION_COUNT):
        assert not query.refused(), query.refused()
    assert any(not isinstance(shape, str) for shape in my_work.SECTION_ROWS._shapes.values())
    if who == "coordinator":  # 86 Level 2/3 nominals: more than a page, so counted
        assert any(not isinstance(shape, str) for shape in my_work.SECTION_COUNT._shapes.values())


def test_my_work_pages_read_through_the_kept_queries(world, sign_in):
    _world_of_sections(world)
    client = sign_in(world.users.coordinator)
    for query in ("", "levels-page=2", "due=overdue"):
        for _ in range(2):
            assert client.get(f"/?{query}").status_code == 200
    assert not my_work.SECTION_ROWS.refused() and not my_work.SECTION_COUNT.refused()
    assert not my_work.PRESENT.refused(), my_work.PRESENT.refused()


@pytest.mark.parametrize("who", EVERY_SIGNED_IN)
def test_the_short_sections_present_are_the_orms(world, who):
    user = getattr(world.users, who)
    today = timezone.localdate()
    with policy.remembering():
        expected = my_work.present(user, my_work.short_section_candidates(user, today))
    for _ in range(2):
        with policy.remembering():
            assert my_work.present_sections(user, today) == expected


@pytest.mark.parametrize("extra", [0, 60])
def test_open_actions_and_their_counts_are_the_orms(world, extra):
    """Up to a page of actions the rows count themselves; past it, the prepared counts (all, and overdue) are the
    ORM's counts of the gate's scope."""
    from safeguard.actions import services as action_services
    from tests.actions.records import make_action, records

    aw = records(world)
    om = world.users.om
    today = timezone.localdate()
    for n in range(extra):
        make_action(
            aw.marac_action.forum_case, world.police, today + dt.timedelta(days=n - 30), owner=om, created_by=om
        )
    for _ in range(2):
        with policy.remembering():
            rows, count, overdue = my_work.open_actions(om, today, 50)
            mine = action_services.my_open_actions(om)
            assert [a.pk for a in rows] == [a.pk for a in mine[:50]]
            assert count == mine.count()
            if extra:
                assert overdue == mine.filter(due_on__lt=today).count() == 31
            else:
                assert overdue is None and count == len(rows) == 2
    assert not my_work.OPEN_ACTIONS.refused() and not my_work.OPEN_ACTIONS_COUNT.refused()


def test_a_row_read_as_values_is_drawn_as_the_nominal_itself(world):
    """The sections read their rows as values (``ShownNominal``): each row's HTML and due items are those of the
    Nominal and Person models for the same record, names with middle names, apostrophes and markup included."""
    from safeguard.offenders.models import Nominal

    _world_of_sections(world)
    person = f.person(world.home["mappa"], "<b>Amy</b>", "O'Brien & Sons", dt.date(1970, 1, 1))
    person.middle_names = "Jo Ann"
    person.save()
    f.nominal(person, world.home["local"][0], world.police, world.users.om, management_level=2)
    today = timezone.localdate()
    models = {n.pk: n for n in Nominal.objects.select_related("person")}
    shown = my_work.shown_nominals(Nominal.objects.values_list(*my_work.SHOWN_COLUMNS))
    assert len(shown) == len(models) > 100
    for row_values, row_model in zip(
        my_work.caseload_rows(shown, today), my_work.caseload_rows([models[s.pk] for s in shown], today), strict=True
    ):
        assert row_values["html"] == row_model["html"]
        assert row_values["due"] == row_model["due"] and row_values["overdue"] == row_model["overdue"]
        assert row_values["nominal"].person.full_name == row_model["nominal"].person.full_name


@pytest.mark.parametrize("who", ["om", "coordinator", "supervisor"])
def test_my_work_is_the_same_page_with_the_prepared_queries_off(world, sign_in, who):
    """``SAFEGUARD_PREPARED_QUERIES`` off: every section built by the ORM, request by request; the lists, counts
    and pages shown are the same."""
    import re

    from django.test import override_settings

    _world_of_sections(world)
    client = sign_in(getattr(world.users, who))

    def tables(query: str) -> list[str]:
        page = client.get(f"/?{query}").content.decode()
        return re.findall(r"<tbody.*?</tbody>|Showing \d+ to \d+ of [\d,]+ \w+", page, flags=re.S)

    for query in ("", "levels-page=2&team-page=2", "due=overdue&levels-sort=name"):
        on = tables(query)
        with override_settings(SAFEGUARD_PREPARED_QUERIES=False):
            off = tables(query)
        assert on == off and on, query
