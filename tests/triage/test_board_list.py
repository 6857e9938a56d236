"""The triage board and the triage meetings as lists (web/lists.py): filtered by grade and outcome, sorted by
their columns, paged; the whole board's figures whatever the page shows."""

from django.urls import reverse

from safeguard.triage import services
from safeguard.triage.models import TriageCase
from safeguard.triage.views.board import BOARD_LIST

from .builders import at, incident


def _board(client, meeting, query=""):
    return client.get(reverse("triage:board", kwargs={"pk": meeting.pk}) + query).content.decode()


def _graded(world, triage):
    day, ctx = triage.day, triage.ctx
    made = {}
    for hour, grade in ((1, "green"), (2, "amber"), (3, "red")):
        made[grade] = incident(world, at(day, hour, 0)).reference
    services.load(ctx, triage.meeting)
    for grade in ("green", "amber", "red"):
        case = TriageCase.objects.get(incident__reference=made[grade])
        services.grade_case(ctx, case, grade=grade, reason="", expected_version=case.version)
    return made


def test_the_board_filters_by_grade_and_keeps_the_whole_boards_figures(world, triage, sign_in):
    made = _graded(world, triage)
    page = _board(sign_in(world.users.marac), triage.meeting, "?grade=red")
    assert made["red"] in page and made["amber"] not in page and made["green"] not in page
    assert "Showing 1 to 1 of 1 cases" in page
    assert "4: 1 ungraded, 1 red, 1 amber, 1 green" in page  # the figures are the whole board's


def test_the_board_sorts_by_when_either_way(world, triage, sign_in):
    made = _graded(world, triage)
    client = sign_in(world.users.marac)
    earliest_first = _board(client, triage.meeting, "?sort=when&order=ascending")
    latest_first = _board(client, triage.meeting, "?sort=when&order=descending")
    assert earliest_first.index(made["green"]) < earliest_first.index(made["red"])
    assert latest_first.index(made["red"]) < latest_first.index(made["green"])
    assert 'aria-sort="descending"' in latest_first


def test_the_board_filters_by_outcome(world, triage, sign_in):
    _graded(world, triage)
    page = _board(sign_in(world.users.marac), triage.meeting, "?outcome=some")
    assert "No cases match the filters" in page


def test_the_board_pages_fifty_cases_at_a_time():
    assert BOARD_LIST.page_size == 50 and BOARD_LIST.default_sort == "grade"


def test_the_meetings_list_sorts_and_filters(world, triage, sign_in):
    client = sign_in(world.users.marac)
    url = reverse("triage:meetings", kwargs={"forum_pk": triage.forum.pk})
    page = client.get(url).content.decode()
    assert "Showing 1 to 1 of 1 meetings, sorted by day, descending" in page
    assert "No triage meetings match the filters" in client.get(url + "?status=cancelled").content.decode()
