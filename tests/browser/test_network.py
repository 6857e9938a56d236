"""The relationship network on the person page in a browser: drawn, tabled, no serious axe violations, no CSP
violation (the page fixture fails on one), and the person outside the user's access counted, not named."""

import pytest

from tests.people.test_network import _world_network

from .test_accessibility import violations
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_the_network_section_is_drawn_tabled_and_accessible(page, live_server, world):
    partner, _, _ = _world_network(world)
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/people/{world.people.offender.pk}/")
    section = page.locator("#network")
    section.get_by_role("heading", name="Relationship network").wait_for()
    drawing = section.get_by_role("img", name=f"Drawing of {world.people.offender.full_name}'s relationship network")
    assert drawing.is_visible()
    table = section.locator("#network-table")
    assert table.get_by_role("link", name=partner.full_name).is_visible()
    assert section.locator("#network-hidden").inner_text().startswith("1 other person you may not see")
    assert "Farah" not in section.inner_text()
    stroke = page.locator(".sg-network__edge--partner").first.evaluate("e => getComputedStyle(e).strokeWidth")
    assert stroke == "4px", "the static stylesheet draws the partner line"
    assert violations(page) == []
