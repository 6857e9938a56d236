from django.conf import settings

from safeguard.access.purposes import Purpose, default_purpose
from safeguard.workforce.models import Role

# The header's tabs that only some roles see (base.html): a tab is shown to anyone holding one of its roles.
# "forums" shows Forums and Referrals together.
NAV_TABS = {
    "workforce": frozenset({Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.MAPPA_COORDINATOR, Role.CHAIR, Role.ANALYST}),
    "oversight": frozenset({Role.SUPERVISOR, Role.MAPPA_COORDINATOR, Role.MARAC_COORDINATOR, Role.CHAIR, Role.ANALYST}),
    "forums": frozenset(
        {
            Role.OFFENDER_MANAGER,
            Role.MAPPA_COORDINATOR,
            Role.MARAC_COORDINATOR,
            Role.CHAIR,
            Role.SUPERVISOR,
            Role.IDVA,
            Role.PARTNER,
        }
    ),
    "triage": frozenset({Role.MARAC_COORDINATOR, Role.IDVA, Role.PARTNER, Role.SUPERVISOR}),
    "matching": frozenset({Role.MAPPA_COORDINATOR, Role.MARAC_COORDINATOR, Role.SUPERVISOR}),
}


def nav_tabs(roles) -> frozenset[str]:
    """The tabs of NAV_TABS these roles see (worked out once a page, not role by role in the template)."""
    held = set(roles or [])
    return frozenset(tab for tab, allowed in NAV_TABS.items() if held & allowed)


def safeguard(request):
    user = getattr(request, "user", None)
    purpose, purpose_note, tabs = None, "", frozenset()
    if user is not None and user.is_authenticated:
        tabs = nav_tabs(user.roles)
    if user is not None and user.is_authenticated and hasattr(request, "session"):
        code = request.session.get("purpose") or default_purpose(user.roles or [])
        purpose = Purpose(code).label if code in Purpose.values else code
        if getattr(request, "purpose_set_by_page", False):
            purpose_note = "set by this page's work"
        elif request.session.get("purpose_source") == "page":
            purpose_note = "carried from the last page"
    return {
        "marking": settings.SAFEGUARD_MARKING,
        "demo_mode": settings.SAFEGUARD_DEMO,
        "mfa_relaxed": not settings.SAFEGUARD_REQUIRE_MFA,
        "current_purpose": purpose,
        "purpose_note": purpose_note,
        # The header's section: the URL namespace of the page, so every page of an app marks its tab.
        "nav_section": getattr(getattr(request, "resolver_match", None), "namespace", "") or "",
        "nav_tabs": tabs,
    }
