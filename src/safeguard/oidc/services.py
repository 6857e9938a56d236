"""Use cases: link and unlink an organisation account; record each sign-in through the provider.

Linking passes the access gate (administrators only) and is audited with the
subject before and after. Every sign-in, and every refusal, is an audit event
(operation "sign_in") with its reason; nothing of it goes to a log.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from safeguard.access import gate
from safeguard.access.purposes import Purpose, default_purpose
from safeguard.audit.models import Operation, Outcome
from safeguard.workforce.models import Staff

from .models import LinkedIdentity, ProviderMfaDevice

STAFF_RECORD = "workforce.staff"


class LinkError(Exception):
    """A link that cannot be made, with a message a person can act on."""


def link_identity(ctx: gate.AccessContext, staff: Staff, subject: str) -> LinkedIdentity:
    """Link (or re-link) a member of staff to the provider's subject."""
    with transaction.atomic():
        taken = LinkedIdentity.objects.filter(subject=subject).exclude(staff=staff).select_related("staff").first()
        if taken is not None:
            raise LinkError(f"This organisation account is already linked to {taken.staff.get_username()}.")
        link = LinkedIdentity.objects.select_for_update().filter(staff=staff).first()
        before = link.subject if link else None
        operation = Operation.CHANGE if link else Operation.CREATE
        if link is None:
            link = LinkedIdentity(staff=staff)
        link.subject = subject
        link.linked_by_username = ctx.user.get_username()
        decision = gate.check(ctx, operation, link)
        if before != subject:
            # Sessions verified by the provider for the old subject lose that verification.
            ProviderMfaDevice.objects.filter(user=staff).delete()
        link.save()
        gate.audit_allowed(
            ctx,
            operation,
            link,
            decision.reason,
            {"staff": staff.get_username(), "staff_id": staff.pk, "subject": {"before": before, "after": subject}},
        )
    return link


def unlink_identity(ctx: gate.AccessContext, link: LinkedIdentity) -> None:
    """Remove a link: the member of staff can no longer sign in through the provider."""
    with transaction.atomic():
        decision = gate.check(ctx, Operation.CHANGE, link)
        gate.audit_allowed(
            ctx,
            Operation.CHANGE,
            link,
            decision.reason,
            {
                "staff": link.staff.get_username(),
                "staff_id": link.staff_id,
                "subject": {"before": link.subject, "after": None},
            },
        )
        ProviderMfaDevice.objects.filter(user_id=link.staff_id).delete()
        link.delete()


def provider_device(staff: Staff) -> ProviderMfaDevice:
    """The device a session is verified with when the provider asserted multi-factor authentication."""
    device, _ = ProviderMfaDevice.objects.get_or_create(
        user=staff, defaults={"name": "Organisation sign-in (provider MFA)", "confirmed": True}
    )
    return device


def record_sign_in(request, staff: Staff | None, outcome: str, reason: str, detail: dict | None = None) -> None:
    """One audit event for a sign-in through the provider, in its own transaction (kept if the request fails)."""
    ctx = gate.AccessContext(
        user=staff if staff is not None else request.user,
        purpose=default_purpose(staff.roles or []) if staff is not None else Purpose.SYSTEM.value,
        request_id=getattr(request, "request_id", uuid.uuid4().hex),
        client_address=request.META.get("REMOTE_ADDR"),
    )
    payload = {"method": "openid_connect", **(detail or {})}
    with transaction.atomic():
        gate.audit_sign_in(ctx, STAFF_RECORD, staff.pk if staff is not None else None, outcome, reason, payload)


def record_refusal(request, reason: str, staff: Staff | None = None, subject: str | None = None) -> None:
    record_sign_in(request, staff, Outcome.REFUSED, reason, {"subject": subject} if subject else None)
