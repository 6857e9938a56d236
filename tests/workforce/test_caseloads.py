"""Caseload measures, the supervisor's dashboard and one officer's page.

The expected figures come from the pure rules (``rules.workload``) or are
counted by hand here; the pages and services are what is tested.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from functools import partial
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safeguard.access.gate import AccessRefused
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.rules.workload import CaseFacts, CaseloadSettings, caseload_measure
from safeguard.workforce import figures as adapter
from safeguard.workforce.catalogue import sync_courses
from safeguard.workforce.models import AreaSettings, CaseloadSnapshot, Course, Role, Staff, TrainingCompletion
from safeguard.workforce.services import caseloads as services
from safeguard.workforce.views.caseloads import ChartItem, bar_chart
from tests.helpers import ctx_for

_refs = itertools.count(1)


def add_cases(officer, n: int, world, *, rosh="medium", location="community", level=1, tier="", release_date=None):
    """``n`` active nominals held by ``officer`` (one fictional person; bulk-created)."""
    if n == 0:
        return []
    person = f.person(world.home["mappa"], "Case", f"Holder{next(_refs)}", dt.date(1980, 1, 1))
    rows = [
        Nominal(
            reference=f"CL-{next(_refs):07d}",
            person=person,
            local_area=world.home["local"][0],
            lead_agency=world.police,
            offender_manager=officer,
            mappa_category="1",
            management_level=level,
            rosh=rosh,
            location=location,
            workload_tier=tier,
            release_date=release_date,
        )
        for _ in range(n)
    ]
    return Nominal.objects.bulk_create(rows)


def officer(world, username: str, *, team=None, agency=None, rank="Detective Constable", last="Officer", **fields):
    member = f.staff(
        username,
        agency or world.police,
        [Role.OFFENDER_MANAGER],
        team_=team if team is not None else world.users.om.team,
        rank=rank,
        first=username.capitalize(),
        last=last,
    )
    if fields:
        Staff.objects.filter(pk=member.pk).update(**fields)
        member.refresh_from_db()
    return member


def train(member, code="mosovo", *, on=None, by=None):
    sync_courses()
    TrainingCompletion.objects.create(
        staff=member,
        course=Course.objects.get(code=code),
        completed_on=on or dt.date.today() - dt.timedelta(days=100),
        recorded_by=by or member,
    )


ctx = partial(ctx_for, purpose="supervision")


def page(client, name, **kwargs) -> str:
    response = client.get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text(html: str) -> str:
    """The page's words, without tags and with runs of white space as one space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def team(world):
    """The supervisor's team: one officer at exactly 50 cases, one at 51, one over the high-risk cap."""
    at_ratio = officer(world, "atratio", last="Fifty")
    over_ratio = officer(world, "overratio", last="Fiftyone")
    over_cap = officer(world, "overcap", last="Highrisk")
    add_cases(at_ratio, 40, world)
    add_cases(at_ratio, 10, world, rosh="high")  # 10 of 50: exactly 20%, within the cap
    add_cases(over_ratio, 51, world)
    add_cases(over_cap, 8, world, rosh="very_high", location="approved_premises")
    add_cases(over_cap, 2, world, rosh="high")
    add_cases(over_cap, 30, world, location="custody", release_date=dt.date.today() + dt.timedelta(days=300))
    train(at_ratio)
    return SimpleNamespace(at_ratio=at_ratio, over_ratio=over_ratio, over_cap=over_cap)


# --- Measures at their edges --------------------------------------------------------------------


def test_exactly_the_ratio_is_within_it_and_one_more_is_over(world, team, sign_in):
    client = sign_in(world.users.supervisor)
    at = text(page(client, "workforce:officer", pk=team.at_ratio.pk))
    assert "50 against the area's ratio of 50" in at
    assert "Within the ratio and the cap" in at and "Over the ratio" not in at
    over = text(page(client, "workforce:officer", pk=team.over_ratio.pk))
    assert "Over the ratio by 1" in over
    assert "51 cases, 1 more than the area's ratio of 50 per officer" in over


def test_exactly_the_high_risk_cap_is_within_it_and_one_more_is_over(world, team):
    settings = AreaSettings.for_area(world.home["mappa"].pk).caseload_settings()
    measures = adapter.measures_for([team.at_ratio.pk, team.over_cap.pk], settings)
    at, over = measures[team.at_ratio.pk], measures[team.over_cap.pk]
    assert (at.high_risk_cases, at.cases, at.high_risk_percent, at.over_high_risk_cap) == (
        10,
        50,
        Decimal("20.0"),
        False,
    )
    # 10 of 40 high risk: the 20% cap allows 8, so 2 over.
    assert (over.high_risk_cases, over.cases, over.high_risk_allowed, over.over_high_risk_cap_by) == (10, 40, 8, 2)
    assert over.approved_premises_cases == 8 and over.custody_cases == 30 and over.community_cases == 10


def test_eleven_of_fifty_is_over_the_cap(world):
    member = officer(world, "elevenof50")
    add_cases(member, 39, world)
    add_cases(member, 11, world, rosh="high")
    settings = AreaSettings.for_area(world.home["mappa"].pk).caseload_settings()
    m = adapter.measures_for([member.pk], settings)[member.pk]
    assert m.over_high_risk_cap and m.over_high_risk_cap_by == 1 and not m.over_ratio


def test_the_adapter_counts_as_the_rule_does(world):
    """The grouped query gives the rule the same cases as listing them one by one."""
    member = officer(world, "mixed")
    add_cases(member, 3, world, rosh="high", level=2)
    add_cases(member, 2, world, rosh="not_known", location="custody", release_date=dt.date.today())
    add_cases(member, 4, world, location="hospital", level=3)
    add_cases(member, 1, world, rosh="very_high", location="approved_premises")
    Nominal.objects.create(
        reference="CL-CLOSED",
        person=world.people.offender,
        local_area=world.home["local"][0],
        lead_agency=world.police,
        offender_manager=member,
        status=Nominal.Status.CLOSED,
    )
    settings = CaseloadSettings(weight_custody=Decimal("0.5"), weight_level_2=Decimal("1.5"))
    expected = caseload_measure(
        [CaseFacts("community", "high", 2)] * 3
        + [CaseFacts("custody", "not_known", 1)] * 2
        + [CaseFacts("custody", "medium", 3)] * 4
        + [CaseFacts("approved_premises", "very_high", 1)],
        settings,
    )
    assert adapter.measures_for([member.pk], settings)[member.pk] == expected
    assert expected.weighted_units == Decimal("8.5")  # 3 × 1.5 + 2 × 0.5 + 4 × 0.5 + 1


def test_area_weights_are_used_against_the_ratio(world, team, sign_in):
    AreaSettings.objects.update_or_create(area=world.home["mappa"], defaults={"weight_approved_premises": Decimal("2")})
    page_text = text(page(sign_in(world.users.supervisor), "workforce:officer", pk=team.over_cap.pk))
    # 8 Approved Premises cases at 2 units, 32 others at 1: 48 units.
    assert "Weighted units 48: within the ratio" in page_text


# --- The supervisor's page ---------------------------------------------------------------------------


def test_supervisor_sees_who_is_over_worst_first_with_reasons_and_training(world, team, sign_in):
    html = page(sign_in(world.users.supervisor), "workforce:caseloads")
    words = text(html)
    assert "Who is over, by how much and why" in words
    over_list = words.split("Who is over, by how much and why")[1].split("takes no new allocations")[0]
    assert "Overratio Fiftyone" in over_list and "Overcap Highrisk" in over_list
    assert "Atratio Fifty" not in over_list
    assert "51 cases, 1 more than the area's ratio of 50 per officer" in over_list
    assert "10 of 40 cases (25.0%) are at high or very high risk of serious harm, 2 more than the 8" in over_list
    assert "8 of them in Approved Premises" in over_list
    # Worst first in the table: over_ratio (1 unit over) before over_cap (cap only), then the others.
    table = words.split("Officers and their training")[1]
    order = [table.index(n) for n in ("Overratio Fiftyone", "Overcap Highrisk", "Atratio Fifty")]
    assert order == sorted(order)
    # Training beside it: the trained officer may hold Level 2/3; the others may not and their gaps are listed.
    trained = text(_row(html, team.at_ratio))
    assert "May hold Level 2/3" in trained and "May not hold" not in trained
    untrained = text(_row(html, team.over_ratio))
    assert "May not hold Level 2/3" in untrained
    assert "MOSOVO (Management of Sexual or Violent Offenders): not completed" in untrained
    # The charts: accessible SVG with a title and description, and a link to the same figures as a table.
    assert html.count('role="img"') == 2 and "chart-caseload-desc" in html
    assert "1 over the ratio of 50: Overratio Fiftyone (51)" in words
    assert "The same figures as a table" in words
    # om's one case is at high risk: 1 of 1 is over a 20% cap too.
    assert 'id="over-ratio-count">1<' in html and 'id="over-cap-count">2<' in html


def _row(html: str, member) -> str:
    return re.search(rf'<tr class="govuk-table__row" id="officer-{member.pk}">.*?</tr>', html, re.S).group(0)


def test_the_team_page_is_audited_with_the_staff_shown(world, team, sign_in):
    sign_in(world.users.supervisor).get(reverse("workforce:caseloads"))
    event = AuditEvent.objects.get(actor_id=world.users.supervisor.pk, record_type="workforce.staff", record_id=None)
    assert event.operation == Operation.VIEW and event.outcome == Outcome.ALLOWED
    shown = set(event.detail["shown"])
    assert {team.at_ratio.pk, team.over_ratio.pk, team.over_cap.pk, world.users.om.pk} == shown
    assert event.detail["team"] == world.users.om.team_id


def test_an_officer_is_listed_when_holding_cases_without_the_role(world, sign_in):
    helper = f.staff("helper", world.police, [Role.SUPERVISOR], team_=world.users.om.team, rank="Detective Sergeant")
    add_cases(helper, 2, world)
    data = services.team_caseloads(ctx(world.users.supervisor))
    assert helper.pk in [r.officer.pk for r in data.rows]
    assert world.users.supervisor.pk not in [r.officer.pk for r in data.rows]  # no role, no cases


def test_untrained_officer_holding_level_2_3_is_flagged(world, sign_in):
    member = officer(world, "untrained")
    add_cases(member, 2, world, level=3)
    words = text(page(sign_in(world.users.supervisor), "workforce:caseloads"))
    assert "Holds 2 Level 2/3 nominals without the training" in words


def test_coordinator_picks_a_team_of_the_area(world, team, sign_in):
    client = sign_in(world.users.coordinator)
    overview = text(page(client, "workforce:caseloads"))
    assert "Caseloads by team" in overview and "Choose a team" in overview
    assert world.users.om.team.name in overview
    assert AuditEvent.objects.filter(
        actor_id=world.users.coordinator.pk, record_type="workforce.figures", record_id=world.home["mappa"].pk
    ).exists()
    response = client.get(reverse("workforce:caseloads"), {"team": world.users.om.team_id})
    assert response.status_code == 200 and "Overratio Fiftyone" in response.content.decode()
    other = client.get(reverse("workforce:caseloads"), {"team": world.users.om2.team_id})
    assert other.status_code == 200 and "Overratio Fiftyone" not in other.content.decode()


def test_a_team_outside_the_users_reach_is_refused_and_audited(world, team, sign_in, client):
    away_team = f.team(world.away["mappa"].agencies.get(), "Away PPU")
    for who, team_id in ((world.users.coordinator, away_team.pk), (world.users.supervisor, world.users.om2.team_id)):
        client.logout()
        response = sign_in(who).get(reverse("workforce:caseloads"), {"team": team_id})
        assert response.status_code == 404
        assert AuditEvent.objects.filter(
            actor_id=who.pk, record_type="workforce.staff", outcome=Outcome.REFUSED
        ).exists()
    client.logout()
    assert sign_in(world.users.coordinator).get(reverse("workforce:caseloads"), {"team": "x1"}).status_code == 404


def test_an_officer_is_sent_to_their_own_figures_only(world, team, sign_in):
    client = sign_in(world.users.om)
    response = client.get(reverse("workforce:caseloads"))
    assert response.status_code == 302 and response.url == reverse(
        "workforce:officer", kwargs={"pk": world.users.om.pk}
    )
    own = text(page(client, "workforce:officer", pk=world.users.om.pk))
    assert "Your caseload" in own and "Olivia Mercer" in own
    assert client.get(reverse("workforce:officer", kwargs={"pk": team.over_ratio.pk})).status_code == 404
    assert client.get(reverse("workforce:caseloads"), {"team": world.users.om.team_id}).status_code == 404


def test_the_officer_page_shows_the_working_and_is_audited(world, team, sign_in):
    html = page(sign_in(world.users.chair), "workforce:officer", pk=team.over_ratio.pk)
    words = text(html)
    assert "How these figures were worked out" in words
    assert "51 units against the ratio of 50: over by 1" in words
    assert "The area's caseload ratio is 1 officer to 50 and its high-risk cap is 20%" in words
    assert AuditEvent.objects.filter(
        actor_id=world.users.chair.pk, record_type="workforce.staff", record_id=team.over_ratio.pk, outcome="allowed"
    ).exists()


# --- The trend ------------------------------------------------------------------------------------------


def _months_ago(n: int) -> dt.date:
    month = services.month_start(timezone.localdate())
    for _ in range(n):
        month = adapter.previous_month(month)
    return month


def test_the_trend_is_the_snapshots_then_this_month_live(world, team, sign_in):
    today = timezone.localdate()
    services.take_snapshots(_months_ago(2), today=today)  # 51 cases then
    Nominal.objects.filter(offender_manager=team.over_ratio).order_by("pk").first().delete()
    services.take_snapshots(_months_ago(1), today=today)  # 50 cases then
    add_cases(team.over_ratio, 4, world)  # 54 now

    data = services.officer_caseload(ctx(world.users.supervisor), team.over_ratio)
    trend = data.trend
    assert len(trend) == 12 and [m.month for m in trend] == adapter.months_ending(today)
    assert [(m.recorded, m.live) for m in trend[:9]] == [(False, False)] * 9
    assert (trend[9].cases, trend[9].over_ratio) == (51, True)
    assert (trend[10].cases, trend[10].over_ratio) == (50, False)
    assert (trend[11].cases, trend[11].live, trend[11].over_ratio) == (54, True, True)

    words = text(page(sign_in(world.users.supervisor), "workforce:officer", pk=team.over_ratio.pk))
    assert f"{_months_ago(2):%B %Y} 51 51 0 (0.0%)" in words
    assert f"{_months_ago(1):%B %Y} 50 50" in words and f"{_months_ago(3):%B %Y} No figures" in words
    assert f"{today:%B %Y} (this month, live) 54 54" in words


def test_the_team_trend_adds_up_the_snapshots_of_the_team(world, team, sign_in):
    today = timezone.localdate()
    services.take_snapshots(_months_ago(1), today=today)
    data = services.team_caseloads(ctx(world.users.supervisor))
    last, now = data.trend[-2], data.trend[-1]
    # om holds 1 case in the world; with the three officers: 50 + 51 + 40 + 1.
    assert (last.officers, last.cases, last.largest, last.over_ratio, last.over_high_risk_cap) == (4, 142, 51, 1, 2)
    assert now.live and now.cases == 142 and now.officers == 4
    assert not data.trend[0].recorded


# --- Charts ---------------------------------------------------------------------------------------


def test_bar_chart_geometry():
    chart = bar_chart(
        "c",
        "Title",
        "Description",
        [
            ChartItem("A", Decimal(50), "50", False),
            ChartItem("B", Decimal(75), "75", True),
            ChartItem("C", None, "-", False),
        ],
        50,
        "ratio 50",
    )
    a, b, c = chart.bars
    assert chart.plot_left < chart.limit_x < chart.plot_right
    assert a.width == pytest.approx(chart.limit_x - chart.plot_left, abs=0.2)  # exactly at the line
    assert b.width > a.width and b.flagged and c.missing and c.width == 0
    assert chart.ticks[0] == (chart.plot_left, "0") and chart.ticks[-1][0] <= chart.plot_right + 0.1
    assert all(bar.text_x <= chart.width for bar in chart.bars)


# --- Probation workload -------------------------------------------------------------------------


@pytest.fixture
def probation(world):
    team = f.team(world.probation, "Northtown PDU", world.home["local"][0])
    practitioner = officer(
        world,
        "practitioner",
        team=team,
        agency=world.probation,
        rank="Probation Officer",
        last="Practitioner",
        contracted_hours=Decimal("30"),
        reduction_hours=Decimal("2.5"),
    )
    senior = f.staff("spo", world.probation, [Role.SUPERVISOR], team_=team, rank="SPO")
    past, future = dt.date.today() - dt.timedelta(days=10), dt.date.today() + dt.timedelta(days=100)
    add_cases(practitioner, 3, world, tier="B2")  # community
    add_cases(practitioner, 2, world, tier="a3", release_date=past)  # released: licence
    add_cases(practitioner, 1, world, tier="C1", location="custody", release_date=future)  # custody
    add_cases(practitioner, 1, world, tier="C1", location="custody", release_date=past)  # still in custody
    add_cases(practitioner, 1, world, tier="")  # no tier: no points
    table = {
        "community": {"A3": 20, "B2": 11, "C1": 6},
        "custody": {"A3": 10, "B2": 5, "C1": 3},
        "licence": {"A3": 22, "B2": 12, "C1": 7},
    }
    settings, _ = AreaSettings.objects.update_or_create(
        area=world.home["mappa"],
        defaults={
            "probation_point_table": table,
            "probation_grade_targets": {"po": {"nominal_target": 100, "default_contracted_hours": 37}},
        },
    )
    return SimpleNamespace(team=team, practitioner=practitioner, senior=senior, settings=settings)


def test_probation_capacity_on_the_page_is_the_pure_rule(world, probation, sign_in):
    from safeguard.rules.workload import workload_capacity

    total = 3 * 11 + 2 * 22 + 2 * 3  # community B2, licence A3, custody C1 (whatever the release date)
    expected = workload_capacity(100, 37, Decimal("30"), Decimal("2.5"), total)
    assert (expected.available_points, str(expected.capacity_percent)) == (74, "112.2")
    html = page(sign_in(probation.senior), "workforce:officer", pk=probation.practitioner.pk)
    assert re.search(r'id="workload-points">\s*83<', html)
    assert re.search(rf'id="workload-available">\s*{expected.available_points}\b', html)
    assert f"{expected.capacity_percent}%" in html and "Over capacity" in html
    words = text(html)
    assert "1 case scores no points (1: no tier recorded)" in words
    assert "A3 Licence 2 22 44" in words and "C1 Custody 2 3 6" in words and "B2 Community 3 11 33" in words


def test_probation_capacity_is_not_invented_without_a_grade_target(world, probation, sign_in):
    AreaSettings.objects.filter(pk=probation.settings.pk).update(probation_grade_targets={})
    html = page(sign_in(probation.senior), "workforce:officer", pk=probation.practitioner.pk)
    words = text(html)
    assert "The area has set no nominal target for Probation Officer (PO), so no capacity is shown" in words
    assert "workload-available" not in html and "Impact of allocating" not in words
    team_words = text(page(sign_in(probation.senior), "workforce:caseloads"))
    assert "Not shown: no nominal target for the grade" in team_words


def test_impact_of_allocating_a_proposed_case(world, probation, sign_in):
    from safeguard.rules.workload import impact_of_allocation

    client = sign_in(probation.senior)
    url = reverse("workforce:officer", kwargs={"pk": probation.practitioner.pk})
    response = client.post(url, {"tier": "b2", "case_type": "licence"})
    expected = impact_of_allocation(83, 74, 12)
    html = response.content.decode()
    assert re.search(rf'id="impact-before">{expected.before_percent}%', html)
    assert re.search(rf'id="impact-after">{expected.after_percent}% \(95 points\)', html)
    assert AuditEvent.objects.filter(
        actor_id=probation.senior.pk,
        record_type="workforce.staff",
        record_id=probation.practitioner.pk,
        detail__page="impact of allocation",
    ).exists()
    bad = text(client.post(url, {"tier": "Z9", "case_type": "community"}).content.decode())
    assert "There is a problem" in bad and "This tier has no points for community cases in the area's table" in bad
    missing = text(client.post(url, {"tier": "", "case_type": ""}).content.decode())
    assert "Enter the tier of the proposed case" in missing and "Choose the case type" in missing


def test_police_officers_have_no_probation_workload(world, team, sign_in):
    words = text(page(sign_in(world.users.supervisor), "workforce:officer", pk=team.over_ratio.pk))
    assert "Probation workload" not in words


def test_case_type_reading():
    assert adapter.case_type_of("custody", True) == "custody"
    assert adapter.case_type_of("hospital", False) == "custody"
    assert adapter.case_type_of("community", True) == "licence"
    assert adapter.case_type_of("approved_premises", True) == "licence"
    assert adapter.case_type_of("community", False) == "community"


def test_released_today_is_a_licence_case(world, probation):
    member = officer(world, "today", team=probation.team, agency=world.probation, rank="PO")
    add_cases(member, 1, world, tier="B2", release_date=dt.date.today())
    add_cases(member, 1, world, tier="B2", release_date=dt.date.today() + dt.timedelta(days=1))
    found = adapter.probation_cases_by_officer([member.pk], dt.date.today())[member.pk]
    assert found == [("B2", "community", 1), ("B2", "licence", 1)]


# --- The landing page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("om", ["Your caseload", "Your training"]),
        ("supervisor", ["Your team's caseloads", "Your team's training", "Allocation", "Monthly performance pack"]),
        ("coordinator", ["Caseloads by team", "Training and competence", "Allocation", "Monthly performance pack"]),
        ("chair", ["Caseloads by team", "Training and competence", "Monthly performance pack"]),
        ("analyst", ["Monthly performance pack"]),
    ],
)
def test_the_landing_page_links_by_role(world, sign_in, who, links):
    html = page(sign_in(getattr(world.users, who)), "workforce:index")
    found = re.findall(
        r'<h2 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]+">([^<]+)</a>', html
    )
    assert [link.replace("&#x27;", "'") for link in found] == links
    assert "1 officer to 50" in html and "None set: no probation capacity is shown" in html
    assert 'href="/workforce/"' in html  # the primary navigation item


def test_the_navigation_item_is_not_shown_without_a_workforce_role(world, sign_in):
    html = sign_in(world.users.marac).get("/").content.decode()
    assert 'href="/workforce/"' not in html
    assert sign_in(world.users.marac).get(reverse("workforce:index")).status_code == 404


def test_refusal_as_a_service_call(world, team):
    with pytest.raises(AccessRefused):
        services.team_caseloads(ctx(world.users.analyst))
    with pytest.raises(AccessRefused):
        services.officer_caseload(ctx(world.users.om2), team.over_ratio)


# --- Invariants (Hypothesis) ----------------------------------------------------------------------

case_lists = st.lists(
    st.builds(
        CaseFacts,
        location=st.sampled_from(["community", "custody", "approved_premises"]),
        rosh=st.sampled_from(["low", "medium", "high", "very_high", "not_known"]),
        management_level=st.sampled_from([1, 2, 3]),
    ),
    max_size=70,
)


@given(caseloads=st.lists(case_lists, min_size=1, max_size=8), ratio=st.integers(1, 60), cap=st.integers(0, 100))
@hypothesis_settings(max_examples=60, deadline=None)
def test_worst_first_puts_every_officer_over_before_every_officer_within(caseloads, ratio, cap):
    rule = CaseloadSettings(ratio_cases_per_officer=ratio, high_risk_cap_percent=cap)
    rows = [
        services.OfficerRow(
            officer=Staff(pk=n + 1, first_name="A", last_name=f"B{n}"),
            measure=caseload_measure(cases, rule),
            level_2_3_cases=0,
            competence=None,
            workload=None,
        )
        for n, cases in enumerate(caseloads)
    ]
    ordered = sorted(rows, key=services.worst_first)
    broken = [int(r.measure.over_ratio) + int(r.measure.over_high_risk_cap) for r in ordered]
    assert broken == sorted(broken, reverse=True)
    for a, b in itertools.pairwise(ordered):
        if int(a.measure.over_ratio) + int(a.measure.over_high_risk_cap) == int(b.measure.over_ratio) + int(
            b.measure.over_high_risk_cap
        ):
            assert a.measure.over_ratio_by >= b.measure.over_ratio_by


@given(
    values=st.lists(st.one_of(st.none(), st.decimals(0, 500, places=2)), min_size=1, max_size=20),
    limit=st.integers(1, 200),
)
@hypothesis_settings(max_examples=80, deadline=None)
def test_every_bar_and_the_limit_line_fit_the_plot(values, limit):
    chart = bar_chart("c", "t", "d", [ChartItem(str(i), v, str(v), False) for i, v in enumerate(values)], limit, "l")
    assert chart.plot_left < chart.limit_x <= chart.plot_right
    for bar, value in zip(chart.bars, values, strict=True):
        assert chart.plot_left + bar.width <= chart.plot_right + 0.1
        assert bar.missing == (value is None)
    widths = [(v, b.width) for v, b in zip(values, chart.bars, strict=True) if v is not None]
    for (v1, w1), (v2, w2) in itertools.combinations(widths, 2):
        if v1 < v2:
            assert w1 <= w2


def test_a_snapshot_of_an_officer_holding_nothing_is_not_counted_in_the_team_trend(world, team):
    month = _months_ago(1)
    services.take_snapshots(month)
    idle = officer(world, "idle")
    CaseloadSnapshot.objects.create(
        month=month,
        officer=idle,
        team=idle.team,
        area=world.home["mappa"],
        cases=0,
        weighted_units=0,
        high_risk_cases=0,
        community_cases=0,
        custody_cases=0,
        approved_premises_cases=0,
        level_2_3_cases=0,
        over_ratio=False,
        over_high_risk_cap=False,
        taken_at=timezone.now(),
    )
    last = services.team_caseloads(ctx(world.users.supervisor)).trend[-2]
    assert (last.officers, last.cases) == (4, 142)
