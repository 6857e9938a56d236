"""Civil orders on a nominal (SHPO, SRO, notification order), their breaches, and what became of the nominal
(returned to custody, a serious further offence, a breach of notification, lifetime notification revoked).

The records the MAPPA annual report counts that the nominal itself does not hold (reporting notes, "Area rows
to model": SHPOs imposed, SHPOs with a foreign travel restriction, notification orders; people made subject
to notification after breaching a Sexual Risk Order; Level 2/3 offenders returned to custody for breach of
licence and for breach of an order; lifetime notification revoked; serious further offences). Each is dated
by when it happened; the level and category the nominal held on that day are worked out from the nominal's
history when the outcome is recorded (``services.standing_on``), so a later change of level does not move it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class OrderKind(models.TextChoices):
    SHPO = "shpo", "Sexual Harm Prevention Order"
    SRO = "sro", "Sexual Risk Order"
    NOTIFICATION_ORDER = "notification_order", "Notification order"


class Disposal(models.TextChoices):
    CAUTIONED = "cautioned", "Cautioned"
    CONVICTED = "convicted", "Convicted"
    NO_FURTHER_ACTION = "nfa", "No further action"
    PENDING = "pending", "Not yet decided"


class Order(models.Model):
    """A civil order a court made on the nominal, with its conditions."""

    nominal = models.ForeignKey("offenders.Nominal", on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField("kind of order", max_length=20, choices=OrderKind.choices)
    made_on = models.DateField("date the order was made")
    ends_on = models.DateField(
        "date the order ends", null=True, blank=True, help_text="Leave blank for an order until further order."
    )
    court = models.CharField(max_length=120, blank=True)
    conditions = models.TextField(
        "prohibitions and conditions", max_length=4000, help_text="As the order words them, one to a line."
    )
    foreign_travel_restriction = models.BooleanField(
        "the order restricts foreign travel", default=False, help_text="The annual report counts these SHPOs."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "pk"]
        indexes = [models.Index(fields=["made_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} made {self.made_on:%-d %b %Y}"

    def clean(self) -> None:
        errors = {}
        if self.made_on and self.made_on > timezone.localdate():
            errors["made_on"] = "The date the order was made must be today or in the past."
        if self.ends_on and self.made_on and self.ends_on <= self.made_on:
            errors["ends_on"] = "The date the order ends must be after the date it was made."
        if self.foreign_travel_restriction and self.kind == OrderKind.NOTIFICATION_ORDER:
            errors["foreign_travel_restriction"] = "A notification order has no prohibitions: untick this."
        if not (self.conditions or "").strip() and self.kind != OrderKind.NOTIFICATION_ORDER:
            errors["conditions"] = "Enter the prohibitions and conditions of the order."
        if errors:
            raise ValidationError(errors)


class OrderBreach(models.Model):
    """A breach of an order and what was done about it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="breaches")
    occurred_on = models.DateField("date of the breach")
    disposal = models.CharField("what was done", max_length=10, choices=Disposal.choices)
    made_subject_to_notification = models.BooleanField(
        "made subject to notification as a result",
        default=False,
        help_text="A conviction for breaching a Sexual Risk Order makes the person subject to notification.",
    )
    note = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "pk"]
        indexes = [models.Index(fields=["occurred_on"])]

    def __str__(self) -> str:
        return f"Breach on {self.occurred_on:%-d %b %Y}"

    def clean(self) -> None:
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date of the breach must be today or in the past."
        elif self.occurred_on and self.order_id and self.occurred_on < self.order.made_on:
            errors["occurred_on"] = "The date of the breach cannot be before the order was made."
        if self.made_subject_to_notification and self.order_id and self.order.kind != OrderKind.SRO:
            errors["made_subject_to_notification"] = "Only a breach of a Sexual Risk Order is counted this way."
        elif self.made_subject_to_notification and self.disposal != Disposal.CONVICTED:
            errors["made_subject_to_notification"] = "Only a conviction for the breach makes a person subject."
        if errors:
            raise ValidationError(errors)


class OutcomeKind(models.TextChoices):
    RETURNED_TO_CUSTODY = "custody", "Returned to custody"
    SERIOUS_FURTHER_OFFENCE = "sfo", "Charged with a serious further offence"
    NOTIFICATION_BREACH = "notification_breach", "Cautioned or convicted for breaching notification requirements"
    LIFETIME_NOTIFICATION_REVOKED = "lifetime_revoked", "Lifetime notification requirements revoked on review"


class CustodyReason(models.TextChoices):
    BREACH_OF_LICENCE = "licence", "Breach of licence"
    BREACH_OF_ORDER = "order", "Breach of an order"
    FURTHER_OFFENCE = "offence", "Further offence"


class Outcome(models.Model):
    """Something that became of the nominal which the annual report counts."""

    nominal = models.ForeignKey("offenders.Nominal", on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField("what happened", max_length=20, choices=OutcomeKind.choices)
    occurred_on = models.DateField("date it happened")
    custody_reason = models.CharField(
        "reason for the return to custody", max_length=10, choices=CustodyReason.choices, blank=True
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes", help_text="The order breached."
    )
    disposal = models.CharField("cautioned or convicted", max_length=10, blank=True, choices=Disposal.choices[:2])
    note = models.TextField(max_length=2000, blank=True)
    # Worked out from the nominal's history as it stood on the day (services.standing_on); never typed in.
    level_then = models.PositiveSmallIntegerField("management level on the day", null=True, editable=False)
    category_then = models.CharField("MAPPA category on the day", max_length=3, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "pk"]
        indexes = [models.Index(fields=["occurred_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%-d %b %Y}"

    def clean(self) -> None:
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date it happened must be today or in the past."
        if self.kind == OutcomeKind.RETURNED_TO_CUSTODY and not self.custody_reason:
            errors["custody_reason"] = "Choose the reason for the return to custody."
        if self.kind != OutcomeKind.RETURNED_TO_CUSTODY and self.custody_reason:
            errors["custody_reason"] = "A reason is only given for a return to custody: choose none."
        if self.custody_reason == CustodyReason.BREACH_OF_ORDER and not self.order_id:
            errors["order"] = "Choose the order that was breached."
        if self.order_id and self.nominal_id and self.order.nominal_id != self.nominal_id:
            errors["order"] = "Choose one of this nominal's orders."
        if self.kind == OutcomeKind.NOTIFICATION_BREACH and self.disposal not in (
            Disposal.CAUTIONED,
            Disposal.CONVICTED,
        ):
            errors["disposal"] = "Choose whether the nominal was cautioned or convicted."
        if self.kind != OutcomeKind.NOTIFICATION_BREACH and self.disposal:
            errors["disposal"] = "Cautioned or convicted is only asked for a breach of notification: choose none."
        if errors:
            raise ValidationError(errors)
