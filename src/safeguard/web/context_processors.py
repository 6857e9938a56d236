from django.conf import settings

from safeguard.access.purposes import Purpose, default_purpose


def safeguard(request):
    user = getattr(request, "user", None)
    purpose, purpose_note = None, ""
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
    }
