"""A table of actions' rows, written in Python (actions.rows_html), is the HTML the template's row loop wrote."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from safeguard.actions import services
from safeguard.actions.models import Action
from tests.actions.records import records

# actions/rows_table.html's row loop as it was, before the rows were written in Python.
TEMPLATE_ROWS = (Path(__file__).parent / "action_rows_before.html").read_text()


def _drawn(source: str, rows, show_owner: bool) -> str:
    context = {"rows": rows, "show_owner": show_owner}
    return engines["django"].from_string(source).render(context, RequestFactory().get("/"))


def _varied(world) -> list[dict]:
    """Rows of every kind the table shows: overdue by one day and by many, due soon, complete, cancelled, in
    progress, open; with and without an owner; names, forums and descriptions that need escaping or truncating."""
    aw = records(world)
    today = timezone.localdate()
    base = [aw.marac_action, aw.housing_action, aw.mappa_action]
    made = []
    for n, (status, due, reminded) in enumerate(
        [
            (Action.Status.OPEN, today - dt.timedelta(days=1), None),
            (Action.Status.OPEN, today - dt.timedelta(days=1234), None),
            (Action.Status.OPEN, today + dt.timedelta(days=3), today),
            (Action.Status.COMPLETE, today - dt.timedelta(days=2), None),
            (Action.Status.CANCELLED, today + dt.timedelta(days=9), None),
            (Action.Status.IN_PROGRESS, today + dt.timedelta(days=9), None),
            (Action.Status.OPEN, today + dt.timedelta(days=40), None),
        ]
    ):
        action = copy.copy(base[n % len(base)])
        action.status, action.due_on, action.reminded_on = status, due, reminded
        if n == 1:
            action.description = 'Visit & <check> the "address" it\'s ' + "x" * 200
        if n == 2:
            action.person = copy.copy(action.person)
            action.person.given_name = "<b>Amy</b> & O'Neil"
        if n == 3:
            action.owner = None
        if n == 4 and action.owner is not None:
            action.owner = copy.copy(action.owner)
            action.owner.first_name, action.owner.last_name = "", ""
        made.append(action)
    return services.action_rows(made, today)


@pytest.mark.parametrize("show_owner", [False, True])
def test_the_rows_are_the_html_the_template_wrote(world, show_owner):
    rows = _varied(world)
    assert {r["overdue"] for r in rows} == {True, False} and any(r["due_soon"] for r in rows)
    before = _drawn(TEMPLATE_ROWS, rows, show_owner)
    now = _drawn("{% load action_rows %}  {% action_rows rows show_owner %}\n", rows, show_owner)
    assert now == before


def test_no_rows_no_html(world):
    assert _drawn(TEMPLATE_ROWS, [], False) == _drawn("{% load action_rows %}  {% action_rows rows %}\n", [], False)
