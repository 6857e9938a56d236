"""Journeys: a risk management plan's action refers the nominal to a perpetrator programme, followed to completion;
a release in 10 weeks with its pathway checklist and one gap flagged on my work; a peer observation recorded by
the coordinator and seen by the chair; and axe over the pathways pages."""

import pytest

from safeguard.actions.models import Action
from safeguard.pathways.models import InterventionReferral, PeerObservation
from tests.meetings import builders as meetings
from tests.pathways.records import programme, put_in_custody, records

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def _step(page, label, sessions=None):
    page.get_by_label(label, exact=True).check()
    if sessions is not None:
        page.get_by_label("Sessions attended so far").fill(str(sessions))
    page.get_by_role("button", name="Record the step").click()
    page.get_by_text(f"The referral is now {label.lower()}").wait_for()


def test_a_plan_action_refers_to_a_perpetrator_programme_followed_to_completion(page, live_server, world):
    forums = meetings.records(world)
    Action.objects.filter(pk=forums.action.pk).update(plan=forums.plan)
    offered = programme(world.home["mappa"])
    sign_in(page, live_server, world.users.om)

    page.goto(f"{live_server.url}/actions/{forums.action.pk}/")
    page.get_by_role("link", name="Refer to a programme").click()
    page.get_by_role("heading", name="Refer to a programme").wait_for()
    assert f"From action {forums.action.pk}" in page.content()
    page.get_by_role("button", name="Make the referral").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose the programme or intervention to refer to." in page.content()
    page.get_by_label("Programme or intervention").select_option(str(offered.pk))
    page.get_by_role("button", name="Make the referral").click()
    page.get_by_text("has been referred to Building Better Relationships").wait_for()
    assert "risk management plan version 1" in page.content()

    _step(page, "Assessed")
    _step(page, "Accepted")
    _step(page, "Started")
    _step(page, "Sessions attended", sessions=6)
    _step(page, "Completed", sessions=24)
    assert "The referral has ended" in page.content()
    referral = InterventionReferral.objects.get()
    assert (referral.status, referral.sessions_attended, referral.action_id) == ("completed", 24, forums.action.pk)
    assert referral.plan_id == forums.plan.pk


def test_a_release_in_10_weeks_with_its_checklist_and_a_gap_on_my_work(page, live_server, world):
    nominal = put_in_custody(world.nominals.mine, 70)
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/nominals/{nominal.pk}/")
    page.get_by_role("link", name="Release checklist").click()
    page.get_by_role("button", name="Start the release checklist").click()
    page.get_by_text("The release checklist has been started").wait_for()
    rows = page.locator("table.sg-release-checklist tbody tr")
    assert rows.count() == 6
    assert "Substance misuse treatment appointment" in page.content()

    page.get_by_role("link", name="Accommodation on the day of release").click()
    page.get_by_label("Cannot be arranged").check()
    page.get_by_role("button", name="Save the item").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Say why it cannot be arranged" in page.content()
    page.get_by_label("What is arranged, or why it cannot be").fill("No approved premises bed on the day.")
    page.get_by_role("button", name="Save the item").click()
    page.get_by_text("Accommodation on the day of release: cannot be arranged.").wait_for()
    assert page.locator("table.sg-release-checklist strong", has_text="Gap").count() == 1

    page.get_by_role("link", name="My work").first.click()
    gaps = page.locator("table.sg-release-gaps tbody tr")
    assert gaps.count() == 1
    assert "Accommodation on the day of release" in gaps.first.inner_text()
    page.get_by_role("link", name="Releases in the next 12 weeks").click()
    assert "1 gap" in page.locator("table.sg-releases").inner_text()


def test_a_peer_observation_recorded_and_seen_by_the_chair(page, live_server, world):
    r = records(world)
    PeerObservation.objects.all().delete()
    users = world.users
    sign_in(page, live_server, users.coordinator)
    page.goto(f"{live_server.url}/forums/meetings/{r.held.pk}/")
    page.get_by_role("link", name="Record a peer observation").click()
    page.get_by_role("button", name="Record the observation").click()
    page.get_by_text("There is a problem").wait_for()
    assert "Choose a rating for preparation and papers." in page.content()
    page.get_by_label("First observer").select_option(str(users.supervisor.pk))
    page.get_by_label("Second observer").select_option(str(users.om2.pk))
    for item in ("preparation", "chairing", "risk_focus", "victim_focus", "defensible_decisions", "plan_quality"):
        page.locator(f"#id_rating_{item}_0").check()
    page.locator("#id_rating_agency_contribution_1").check()
    page.locator("#id_rating_actions_2").check()
    page.get_by_label("What went well").fill("The chair kept the panel on the risk of serious harm.")
    page.get_by_label("What could be better").fill("Actions lacked dates.")
    page.get_by_label("Actions specific and time-bound").check()
    page.get_by_role("button", name="Record the observation").click()
    page.get_by_text("The peer observation has been recorded").wait_for()
    page.get_by_role("button", name="Share with the chair").click()
    page.get_by_text("The observation has been shared with the chair").wait_for()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, users.chair)
    feedback = page.locator("#peer-feedback")
    assert feedback.is_visible()
    page.get_by_role("link", name=str(r.held)).click()
    page.get_by_role("heading", name=f"Peer observation of {r.held}").wait_for()
    assert "Actions lacked dates." in page.content()
    assert "An area for development" in page.content()


def test_pathways_pages_have_no_serious_violations(page, live_server, world):
    r = records(world)
    problems = {}

    def check(label):
        if found := violations(page):
            problems[label] = found

    sign_in(page, live_server, world.users.coordinator)
    for path in (
        "/",
        f"/pathways/nominals/{r.mine.pk}/interventions/",
        f"/pathways/nominals/{r.mine.pk}/refer/",
        f"/pathways/referrals/{r.referral.pk}/",
        f"/pathways/nominals/{r.mine.pk}/release/",
        f"/pathways/release-items/{r.gp.pk}/",
        f"/pathways/release-plans/{r.plan.pk}/outcome/",
        "/pathways/releases/",
        f"/pathways/meetings/{r.held.pk}/observations/new/",
        f"/pathways/observations/{r.observation.pk}/",
        f"/pathways/forums/{r.forums.forum.pk}/observation-themes/",
        f"/pathways/nominals/{r.mine.pk}/iom/",
        f"/pathways/nominals/{r.member.nominal_id}/iom/",
        "/pathways/iom/",
        "/pathways/cpd/",
        "/pathways/cpd/new/",
        f"/pathways/cpd/{r.cpd.pk}/",
        "/pathways/figures/",
    ):
        page.goto(f"{live_server.url}{path}")
        check(path)
    for path, button in (
        (f"/pathways/referrals/{r.referral.pk}/", "Record the step"),
        (f"/pathways/nominals/{r.mine.pk}/refer/", "Make the referral"),
        (f"/pathways/release-plans/{r.plan.pk}/outcome/", "Record the outcome"),
        (f"/pathways/meetings/{r.held.pk}/observations/new/", "Record the observation"),
        (f"/pathways/nominals/{r.mine.pk}/iom/", "Enter the cohort"),
        ("/pathways/cpd/new/", "Record the event"),
    ):
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("button", name=button).click()
        page.get_by_text("There is a problem").wait_for()
        check(f"{path} with errors")
    assert problems == {}


def test_the_figures_sections_have_no_serious_violations(page, live_server, world):
    """The programme, release and IOM figures on their page, in the monthly pack and on the PCC dashboard."""
    records(world)
    sign_in(page, live_server, world.users.analyst)
    problems = {}
    for path in ("/pathways/figures/", "/workforce/pack/", "/oversight/dashboard/"):
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("heading", name="Programmes, release and the IOM cohort").or_(
            page.get_by_role("heading", name="Programme and release figures")
        ).first.wait_for()
        if found := violations(page):
            problems[path] = found
    assert problems == {}
