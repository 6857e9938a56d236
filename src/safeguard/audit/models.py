"""The audit store (DPA 2018 s.62): append-only, written by the access gate.

Each row records who did what to which record, when, for what purpose, and
whether the gate allowed it. The actor is kept as an id and a username copy,
not a foreign key, so removing a user never cascades into the log. On
PostgreSQL a trigger refuses UPDATE and DELETE for every role (migration
0002); in Python, save() refuses to change an existing row and delete() is
refused.
"""

from django.db import models
from django.utils import timezone


class Operation(models.TextChoices):
    VIEW = "view", "View"
    SEARCH = "search", "Search"
    CREATE = "create", "Create"
    CHANGE = "change", "Change"
    EXPORT = "export", "Export"
    DISCLOSE = "disclose", "Disclose"
    SIGN_IN = "sign_in", "Sign in"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


ACTOR_INDEX_INCLUDES = ["operation", "record_type", "record_id", "purpose", "outcome"]


class AuditImmutable(Exception):
    """Raised on any attempt to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("Audit events cannot be changed.")

    def delete(self):
        raise AuditImmutable("Audit events cannot be removed.")


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=False)
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150)
    actor_agency_id = models.BigIntegerField(null=True)
    operation = models.CharField(max_length=10, choices=Operation.choices)
    record_type = models.CharField(max_length=40)
    record_id = models.BigIntegerField(null=True)
    purpose = models.CharField(max_length=40)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    reason = models.CharField(max_length=200, blank=True, help_text="Why the gate decided as it did.")
    request_id = models.CharField(max_length=32, blank=True, help_text="One id for all events of one action.")
    client_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "at"], name="audit_record"),
            # Covering on PostgreSQL, so "what did this user look at" reads the index alone (SQLite ignores it).
            models.Index(fields=["actor_id", "at"], name="audit_actor", include=ACTOR_INDEX_INCLUDES),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.record_type} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("Audit events cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("Audit events cannot be removed.")


class AuditSealQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("Audit seals cannot be changed.")

    def delete(self):
        raise AuditImmutable("Audit seals cannot be removed.")


class AuditSeal(models.Model):
    """The hash of one closed batch of audit rows, chained to the seal before it.

    A batch is every audit row with ``after_id < id <= last_id``, hashed in id
    order (``sealing.rows_digest``); ``seal_hash`` covers the batch's bounds,
    count and digest and the previous seal's hash, so changing, removing or
    adding a sealed row, or rewriting one seal, breaks the chain from there
    on. Kept in a table of its own, append-only as the rows are.
    """

    number = models.PositiveBigIntegerField(unique=True)
    after_id = models.BigIntegerField(help_text="The batch holds the rows whose id is above this one...")
    last_id = models.BigIntegerField(help_text="...up to and including this one.")
    row_count = models.PositiveIntegerField()
    rows_digest = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    seal_hash = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField(default=timezone.now)

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"seal {self.number}: ids {self.after_id + 1} to {self.last_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("Audit seals cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("Audit seals cannot be removed.")
