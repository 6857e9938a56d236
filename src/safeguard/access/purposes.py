"""Purposes a member of staff states for looking at personal records.

The Data (Use and Access) Act 2025 s.82 removed the duty to log a
justification (DPA 2018 s.62); Safeguard records a purpose anyway, because
misconduct inquiries need it. The purpose starts as the role's default and can
be changed at any time from the header.

It follows the page's work where that work is obvious (:func:`purpose_of_page`):
a meeting or its agenda is "Preparing for or attending a multi-agency meeting",
the daily triage is "Protecting a victim or a child", a coordinator's referral
pages are "Screening a referral", workforce pages are "Supervising staff and
caseloads", and my work is the role's own default. Elsewhere (a person's or a
nominal's page, search) the page cannot tell why the record is opened: the
purpose carried from the last page is kept, and the header asks whether it is
still the reason, with a link to change it.
"""

from django.db import models

from safeguard.workforce.models import Role


class Purpose(models.TextChoices):
    OFFENDER_MANAGEMENT = "offender_management", "Managing an offender (public protection)"
    VICTIM_SAFEGUARDING = "victim_safeguarding", "Protecting a victim or a child"
    FORUM = "forum", "Preparing for or attending a multi-agency meeting"
    REFERRAL_SCREENING = "referral_screening", "Screening a referral"
    SUPERVISION = "supervision", "Supervising staff and caseloads"
    DATA_QUALITY = "data_quality", "Correcting or linking records"
    SYSTEM = "system", "System process"


DEFAULT_FOR_ROLE: dict[str, Purpose] = {
    Role.OFFENDER_MANAGER: Purpose.OFFENDER_MANAGEMENT,
    Role.MAPPA_COORDINATOR: Purpose.REFERRAL_SCREENING,
    Role.MARAC_COORDINATOR: Purpose.VICTIM_SAFEGUARDING,
    Role.IDVA: Purpose.VICTIM_SAFEGUARDING,
    Role.CHAIR: Purpose.FORUM,
    Role.SUPERVISOR: Purpose.SUPERVISION,
    Role.PARTNER: Purpose.FORUM,
}

USER_PURPOSES = [(p.value, p.label) for p in Purpose if p != Purpose.SYSTEM]


def default_purpose(roles: list[str]) -> str:
    for role in roles:
        if role in DEFAULT_FOR_ROLE:
            return DEFAULT_FOR_ROLE[role].value
    return Purpose.OFFENDER_MANAGEMENT.value


PURPOSE_BY_SECTION: dict[str, Purpose] = {
    "meetings": Purpose.FORUM,
    "actions": Purpose.FORUM,
    "triage": Purpose.VICTIM_SAFEGUARDING,
    "workforce": Purpose.SUPERVISION,
}
SCREENING_ROLES = frozenset({Role.MAPPA_COORDINATOR, Role.MARAC_COORDINATOR})


def purpose_of_page(section: str, page: str, roles: list[str]) -> str | None:
    """The purpose a page's work makes obvious (``section`` is its URL namespace, ``page`` its URL name), or
    None where the page cannot tell (the user is then asked to confirm the purpose carried over)."""
    if section == "web" and page == "home":
        return default_purpose(roles)
    if section == "referrals":
        # A coordinator's referral pages are screening; a referrer's own referral is not (ask).
        return Purpose.REFERRAL_SCREENING.value if SCREENING_ROLES & set(roles) else None
    found = PURPOSE_BY_SECTION.get(section)
    return found.value if found else None
