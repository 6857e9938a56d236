"""Use cases for nominals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.accounts.rows import Statement
from safeguard.workforce.models import Agency, Role, Staff

from .models import REASONED_FIELDS, Nominal
from .recalculate import person_changed

MIN_REASON_LENGTH = 10

# What a user gives when opening a nominal, and what they may change afterwards
# (the web forms and the API both take exactly these).
OPEN_FIELDS = [
    "mappa_category",
    "management_level",
    "local_area",
    "lead_agency",
    "offender_manager",
    "location",
    "location_detail",
    "release_date",
    "rosh",
    "registered_sex_offender",
    "managed_from",
    "next_review_due",
]
CHANGE_FIELDS = [
    "mappa_category",
    "management_level",
    "status",
    "offender_manager",
    "location",
    "location_detail",
    "release_date",
    "rosh",
    "registered_sex_offender",
    "lead_agency",
    "managed_until",
    "next_review_due",
    "last_reviewed_on",
    "detained_since",
    "review_refused_on",
    "further_qualifying_date",
    "further_qualifying_reason",
]


def next_reference() -> str:
    last = Nominal.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"NOM-{last + 1:07d}"


def open_nominal(ctx: AccessContext, nominal: Nominal) -> Nominal:
    if not nominal.reference:
        nominal.reference = next_reference()
    if nominal.offender_manager_id and not nominal.allocated_on:
        nominal.allocated_on = timezone.localdate()
    with transaction.atomic():
        save_record(ctx, nominal)
        person_changed(nominal.person_id)
    return nominal


def changed_fields(before: Nominal, after: Nominal) -> list[str]:
    fields = [f.attname for f in Nominal._meta.concrete_fields if f.attname not in ("id", "version")]
    return [f for f in fields if getattr(before, f) != getattr(after, f)]


# The nominal as stored, to compare the change with: its row alone, in SQL written once a process (accounts.rows).
_NOMINAL = Statement(Nominal)


def change_nominal(ctx: AccessContext, nominal: Nominal, *, expected_version: int, reason: str = "") -> Nominal:
    """Change a nominal. A change of category, level or offender manager needs a reason."""
    before = _NOMINAL.one(nominal.pk)
    if before is None:
        raise Nominal.DoesNotExist(f"no nominal {nominal.pk}")
    changed = changed_fields(before, nominal)
    if not changed:
        raise ValidationError({"__all__": "Nothing has changed."})
    reasoned = [f for f in changed if f.removesuffix("_id") in REASONED_FIELDS]
    if reasoned and len(reason.strip()) < MIN_REASON_LENGTH:
        labels = ", ".join(Nominal._meta.get_field(f.removesuffix("_id")).verbose_name for f in reasoned)
        raise ValidationError(
            {"reason": f"Give the reason for changing the {labels} (at least {MIN_REASON_LENGTH} characters)."}
        )
    if "offender_manager_id" in changed:
        nominal.allocated_on = timezone.localdate() if nominal.offender_manager_id else None
    with transaction.atomic():
        save_record(
            ctx,
            nominal,
            expected_version=expected_version,
            reason=reason.strip(),
            detail={"fields": changed},
            before=before,
        )
        person_changed(nominal.person_id)
    return nominal


def offender_managers_in(mappa_area_id) -> QuerySet[Staff]:
    """Offender managers of Responsible Authority agencies in one MAPPA area (a lazy query).

    Roles are a JSON list; the quoted code is matched in its text, which both
    SQLite and PostgreSQL answer and which no other role code contains.
    """
    return Staff.objects.filter(
        is_active=True,
        agency__kind__in=list(Agency.RESPONSIBLE_AUTHORITY),
        agency__area_id=mappa_area_id,
        roles__icontains=f'"{Role.OFFENDER_MANAGER.value}"',
    )
