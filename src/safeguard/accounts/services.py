"""Account administration, one function per use case, each audited through the gate.

Errors a person can act on are raised as AccountError. A refusal (granting oneself a role, approving
one's own request) is written to the audit store before the error is raised, so the caller must show the
error rather than roll its transaction back (the admin forms do).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.access import gate
from safeguard.audit.models import AuditEvent
from safeguard.workforce.models import Role, Staff

from .models import ENROLMENT_CODE_HOURS, EnrolmentCode, RoleChange
from .sessions import revoke_sessions

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read out over the telephone
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4
PASSWORD_RESET = "password reset"  # why a sign-in was reset when an administrator set the password


class AccountError(Exception):
    """A change to an account that cannot be made, with a message that says why."""


def _roles(staff: Staff) -> list[str]:
    return sorted(staff.roles or [])


def _refuse(ctx, staff, action: str, message: str, detail: dict) -> None:
    gate.audit_account_administration(ctx, staff, action, {**detail, "refused": message}, refused=True)
    raise AccountError(message)


def _require_administrator(ctx, staff, action: str, detail: dict) -> None:
    if not getattr(ctx.user, "is_authenticated", False) or not ctx.user.has_role(Role.ADMINISTRATOR):
        _refuse(ctx, staff, action, "Only an administrator may change roles and sign-ins.", detail)


def _set_roles(staff: Staff, roles: list[str]) -> None:
    staff.roles = sorted(set(roles))
    # The admin site follows the administrator role: nobody keeps it through a flag set by hand.
    staff.is_staff = staff.is_superuser = Role.ADMINISTRATOR in staff.roles
    staff.save(update_fields=["roles", "is_staff", "is_superuser"])


def request_role_change(ctx, staff: Staff, kind: str, role: str, reason: str) -> RoleChange:
    """Grant or remove a role. A grant of a role that reaches case records waits for a second
    administrator; any other grant, and every removal, takes effect at once."""
    action = "role grant" if kind == RoleChange.Kind.GRANT else "role removal"
    detail = {"role": role, "reason": reason}
    _require_administrator(ctx, staff, action, detail)
    if staff.pk == ctx.user.pk:
        _refuse(ctx, staff, action, "You cannot change your own roles: ask another administrator.", detail)
    with transaction.atomic():
        staff = Staff.objects.select_for_update().get(pk=staff.pk)
        before = _roles(staff)
        if kind == RoleChange.Kind.GRANT and role in before:
            raise AccountError(f"{staff} already holds the role {Role(role).label}.")
        if kind == RoleChange.Kind.REMOVAL and role not in before:
            raise AccountError(f"{staff} does not hold the role {Role(role).label}.")
        if RoleChange.objects.filter(staff=staff, role=role, state=RoleChange.State.PENDING).exists():
            raise AccountError(f"A grant of {Role(role).label} to {staff} is already waiting for approval.")
        change = RoleChange(staff=staff, kind=kind, role=role, reason=reason, requested_by=ctx.user)
        if change.needs_second_administrator:
            change.state = RoleChange.State.PENDING
            change.save()
            gate.audit_account_administration(
                ctx, staff, "role grant requested", {**detail, "change": change.pk, "before": before, "after": before}
            )
            return change
        after = before + [role] if kind == RoleChange.Kind.GRANT else [r for r in before if r != role]
        _set_roles(staff, after)
        change.state, change.decided_by, change.decided_at = RoleChange.State.IN_EFFECT, ctx.user, timezone.now()
        change.save()
        label = "role granted" if kind == RoleChange.Kind.GRANT else "role removed"
        gate.audit_account_administration(
            ctx, staff, label, {**detail, "change": change.pk, "before": before, "after": _roles(staff)}
        )
        if kind == RoleChange.Kind.REMOVAL:
            # Pending grants of the removed role are refused with it.
            RoleChange.objects.filter(staff=staff, role=role, state=RoleChange.State.PENDING).update(
                state=RoleChange.State.REFUSED, decided_by=ctx.user, decided_at=timezone.now()
            )
    return change


def approve_role_change(ctx, change: RoleChange) -> RoleChange:
    """A second administrator approves a pending grant: only now does the role take effect."""
    detail = {"role": change.role, "change": change.pk, "requested_by": change.requested_by.get_username()}
    _require_administrator(ctx, change.staff, "role grant approval", detail)
    if ctx.user.pk == change.requested_by_id:
        _refuse(
            ctx,
            change.staff,
            "role grant approval",
            "You asked for this role yourself: a different administrator must approve it.",
            detail,
        )
    if ctx.user.pk == change.staff_id:
        _refuse(ctx, change.staff, "role grant approval", "You cannot approve a role for yourself.", detail)
    with transaction.atomic():
        change = RoleChange.objects.select_for_update().get(pk=change.pk)
        if change.state != RoleChange.State.PENDING:
            raise AccountError("This change of role has already been decided.")
        staff = Staff.objects.select_for_update().get(pk=change.staff_id)
        before = _roles(staff)
        _set_roles(staff, before + [change.role])
        change.state, change.decided_by, change.decided_at = RoleChange.State.IN_EFFECT, ctx.user, timezone.now()
        change.save(update_fields=["state", "decided_by", "decided_at"])
        gate.audit_account_administration(
            ctx, staff, "role grant approved", {**detail, "before": before, "after": _roles(staff)}
        )
    return change


def refuse_role_change(ctx, change: RoleChange) -> RoleChange:
    """Refuse (or, for the administrator who asked, withdraw) a pending grant; the roles do not change."""
    detail = {"role": change.role, "change": change.pk, "requested_by": change.requested_by.get_username()}
    _require_administrator(ctx, change.staff, "role grant refusal", detail)
    with transaction.atomic():
        change = RoleChange.objects.select_for_update().get(pk=change.pk)
        if change.state != RoleChange.State.PENDING:
            raise AccountError("This change of role has already been decided.")
        change.state, change.decided_by, change.decided_at = RoleChange.State.REFUSED, ctx.user, timezone.now()
        change.save(update_fields=["state", "decided_by", "decided_at"])
        roles = _roles(change.staff)
        gate.audit_account_administration(
            ctx, change.staff, "role grant refused", {**detail, "before": roles, "after": roles}
        )
    return change


# Sign-in ------------------------------------------------------------------------------------------


def _new_code() -> str:
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS))
    return "-".join(groups)


def normalise_code(typed: str) -> str:
    """What a person types (any case, spaces or hyphens) as the code was issued."""
    letters = "".join(c for c in typed.upper() if c in CODE_ALPHABET)
    return "-".join(letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH))


def issue_enrolment_code(ctx, staff: Staff) -> str:
    """A new one-time enrolment code for `staff` (earlier unused codes are withdrawn). The code is returned
    to be shown once; only its hash is kept."""
    _require_administrator(ctx, staff, "enrolment code", {})
    if staff.pk == ctx.user.pk:
        _refuse(ctx, staff, "enrolment code", "Another administrator must issue your enrolment code.", {})
    now = timezone.now()
    if _set_their_password_lately(ctx.user, staff, now):
        # Knowing both the password and the enrolment code would be the account: two people hold them.
        _refuse(
            ctx,
            staff,
            "enrolment code",
            "You set this person's password: another administrator must issue their enrolment code.",
            {},
        )
    code = _new_code()
    with transaction.atomic():
        withdrawn = EnrolmentCode.objects.filter(
            staff=staff, used_at=None, withdrawn_at=None, expires_at__gt=now
        ).update(withdrawn_at=now)
        issued = EnrolmentCode.objects.create(
            staff=staff,
            code_hash=make_password(code),
            issued_by=ctx.user,
            issued_at=now,
            expires_at=EnrolmentCode.expiry_from(now),
        )
        gate.audit_account_administration(
            ctx,
            staff,
            "enrolment code issued",
            {"code": issued.pk, "expires_at": issued.expires_at.isoformat(), "withdrawn_codes": withdrawn},
        )
    return code


def _set_their_password_lately(administrator, staff: Staff, now) -> bool:
    """Whether `administrator` set `staff`'s password within an enrolment code's lifetime (from the audit store)."""
    return AuditEvent.objects.filter(
        record_type=gate.record_type_of(staff),
        record_id=staff.pk,
        actor_id=administrator.pk,
        reason="sign-in reset",
        detail__why=PASSWORD_RESET,
        at__gte=now - dt.timedelta(hours=ENROLMENT_CODE_HOURS),
    ).exists()


def matching_enrolment_code(user, typed: str) -> EnrolmentCode | None:
    """The user's usable enrolment code that `typed` matches, if any."""
    code = normalise_code(typed)
    now = timezone.now()
    for candidate in EnrolmentCode.objects.filter(staff=user, used_at=None, withdrawn_at=None, expires_at__gt=now):
        if check_password(code, candidate.code_hash):
            return candidate
    return None


def complete_enrolment(user, device: TOTPDevice, code_id: int) -> bool:
    """Confirm the new authenticator and use up its enrolment code, if the code is still usable."""
    with transaction.atomic():
        code = EnrolmentCode.objects.select_for_update().filter(pk=code_id, staff=user).first()
        now = timezone.now()
        if code is None or not code.usable_at(now):
            return False
        code.used_at = now
        code.save(update_fields=["used_at"])
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def reset_sign_in(ctx, staff: Staff, why: str) -> dict:
    """Remove the member of staff's authenticators and end their sessions: they enrol again (with a new
    enrolment code) at their next sign-in. Called when an administrator resets a password or a device."""
    _require_administrator(ctx, staff, "sign-in reset", {"why": why})
    if staff.pk == ctx.user.pk:
        _refuse(ctx, staff, "sign-in reset", "Another administrator must reset your sign-in.", {"why": why})
    with transaction.atomic():
        devices, _ = TOTPDevice.objects.filter(user=staff).delete()
        sessions = revoke_sessions(staff)
        done = {"why": why, "authenticators_removed": devices, "sessions_ended": sessions}
        gate.audit_account_administration(ctx, staff, "sign-in reset", done)
    return done


def change_own_password(ctx, user: Staff, new_password: str, keep_session: str | None) -> int:
    """The signed-in user's new password (already checked); every other session of theirs ends."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        ended = revoke_sessions(user, keep=keep_session)
        gate.audit_account_administration(ctx, user, "password changed by its owner", {"other_sessions_ended": ended})
    return ended
