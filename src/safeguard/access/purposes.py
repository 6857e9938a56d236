"""Purposes a member of staff states for looking at personal records.

The Data (Use and Access) Act 2025 s.82 removed the duty to log a
justification (DPA 2018 s.62); Safeguard records a purpose anyway, because
misconduct inquiries need it. The purpose is chosen once for a session (with
a default for the role) and can be changed at any time from the header.
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
