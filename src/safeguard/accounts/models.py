"""Changes of role and enrolment codes.

A role that reaches case records (every role but administrator and analyst) is granted by one
administrator and has no effect until a different administrator approves it. So is the administrator
role itself: were it granted by one administrator alone, an administrator could make two accounts of its
own administrators and have them ask for and approve its case roles (the protective reading; see
docs/operations.md). Only the analyst role (counts, never a name) is granted by one administrator. A
removal takes effect at once (taking access away is never held back). Nobody grants or approves a role
for themselves. Each row
is kept: the list is the history of who asked for what, who decided, and when.

An enrolment code lets a member of staff set up their first authenticator app. It is shown once to the
administrator who issues it (who gives it to the member of staff out of band), stored only as a hash,
and expires after ENROLMENT_CODE_HOURS or once used.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguard.workforce.models import Role

ENROLMENT_CODE_HOURS = 72
# Roles that never reach a named record: the gate refuses administrators and analysts every personal
# record (access.policy), so one administrator may grant them.
ROLES_WITHOUT_CASE_RECORDS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


def reaches_case_records(role: str) -> bool:
    return role not in ROLES_WITHOUT_CASE_RECORDS


class RoleChange(models.Model):
    class Kind(models.TextChoices):
        GRANT = "grant", "Grant the role"
        REMOVAL = "removal", "Remove the role"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a second administrator"
        IN_EFFECT = "in_effect", "In effect"
        REFUSED = "refused", "Refused"

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_changes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GRANT)
    role = models.CharField(max_length=30, choices=Role.choices)
    reason = models.CharField(max_length=300, help_text="Why the change is needed (for example, a new post).")
    state = models.CharField(max_length=10, choices=State.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_changes_requested"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="role_changes_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "change of role"
        verbose_name_plural = "changes of role"
        indexes = [models.Index(fields=["state", "requested_at"], name="role_change_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {Role(self.role).label} for {self.staff}"

    @property
    def needs_second_administrator(self) -> bool:
        return self.kind == self.Kind.GRANT and (reaches_case_records(self.role) or self.role == Role.ADMINISTRATOR)


class EnrolmentCode(models.Model):
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolment_codes_issued"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="When a newer code replaced it.")

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.staff} issued {self.issued_at:%d %b %Y %H:%M}"

    @staticmethod
    def expiry_from(issued_at: dt.datetime) -> dt.datetime:
        return issued_at + dt.timedelta(hours=ENROLMENT_CODE_HOURS)

    def usable_at(self, moment: dt.datetime) -> bool:
        return self.used_at is None and self.withdrawn_at is None and moment < self.expires_at
