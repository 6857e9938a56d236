"""The Content-Security-Policy in a real browser: a violation fails the test, and the API docs run under it."""

import pytest

from .conftest import REPORT_CSP_VIOLATIONS, is_csp_violation
from .test_journey_offender_manager import sign_in

pytestmark = pytest.mark.browser


def test_an_inline_script_is_refused_and_reported(browser, live_server, settings):
    """The listener the page fixture uses sees what the policy refuses (so a test can fail on it)."""
    settings.DEBUG = True
    context = browser.new_context()
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    seen = []
    page.on("console", lambda message: seen.append(message.text) if is_csp_violation(message.text) else None)
    try:
        page.goto(f"{live_server.url}/sign-in/")
        policy = context.request.get(f"{live_server.url}/sign-in/").headers["content-security-policy"]
        assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
        # GOV.UK Frontend's own start-up ran: its inline script carries the nonce, initAll comes from a file.
        assert "govuk-frontend-supported" in page.evaluate("document.body.className")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
            " document.body.appendChild(s); const d = document.createElement('div');"
            " d.setAttribute('style', 'color: red'); document.body.appendChild(d); }"
        )
        page.wait_for_timeout(200)  # the violation event is dispatched asynchronously (not a timing assertion)
        assert page.evaluate("window.injected") is None
        assert any("script-src" in text for text in seen), seen
        assert any("style-src" in text for text in seen), seen
    finally:
        context.close()


def test_the_api_documentation_runs_under_the_policy(page, live_server, world):
    sign_in(page, live_server, world.users.om)
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 20
    # The page fixture fails the test if any CSP violation was reported on the way.
