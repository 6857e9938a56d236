"""Events: incidents (with the people in them) and convictions or cautions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Offence(models.Model):
    """Reference data: an offence with its statute and its schedule flags.

    The code is Safeguard's own short form of the statute and section (for
    example ``SOA2003-s1``); the national CJS offence code list can be loaded
    beside it (``cjs_code``). Schedule flags are those of the offence as
    listed; Schedule 3's age and sentence thresholds are applied by the rules.
    """

    code = models.CharField(max_length=30, unique=True)
    cjs_code = models.CharField("CJS offence code", max_length=10, blank=True)
    description = models.CharField(max_length=200)
    statute = models.CharField(max_length=120)
    soa_schedule_3 = models.BooleanField("SOA 2003 Schedule 3", default=False)
    cja_schedule_15 = models.BooleanField("CJA 2003 Schedule 15", default=False)
    is_murder = models.BooleanField(default=False)
    domestic_abuse_related = models.BooleanField(
        default=False, help_text="Commonly recorded as a domestic-abuse offence (used for RFG gravity)."
    )

    class Meta:
        ordering = ["description"]

    def __str__(self) -> str:
        return f"{self.description} ({self.statute})"


class Incident(models.Model):
    reference = models.CharField("police reference", max_length=30, unique=True)
    occurred_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    local_area = models.ForeignKey(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="incidents",
        help_text="The local authority area where it happened.",
    )
    domestic_abuse = models.BooleanField("domestic abuse", default=False)
    offence = models.ForeignKey(Offence, null=True, blank=True, on_delete=models.PROTECT)
    summary = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; stops a lost update.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["domestic_abuse", "occurred_at"])]

    def __str__(self) -> str:
        return self.reference

    def clean(self) -> None:
        if self.occurred_at and self.occurred_at > timezone.now():
            raise ValidationError({"occurred_at": "The incident date must be now or in the past."})


class IncidentRole(models.TextChoices):
    PERPETRATOR = "perpetrator", "Suspect or perpetrator"
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"
    CHILD_PRESENT = "child_present", "Child present"


class IncidentPerson(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="incident_roles")
    role = models.CharField(max_length=20, choices=IncidentRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person", "role"], name="incident_person_role_once"),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return self.get_role_display()


class Disposal(models.TextChoices):
    """The disposal types the notification rules distinguish (SOA 2003 s.82)."""

    LIFE = "life", "Imprisonment for life"
    IPP = "ipp", "Imprisonment for public protection"
    IMPRISONMENT = "imprisonment", "Imprisonment"
    DETENTION = "detention", "Detention (young offender)"
    HOSPITAL_ORDER = "hospital_order", "Hospital order"
    HOSPITAL_ORDER_WITH_RESTRICTION = "hospital_order_with_restriction", "Hospital order with restriction"
    CAUTION = "caution", "Caution"
    CONDITIONAL_DISCHARGE = "conditional_discharge", "Conditional discharge"
    COMMUNITY_ORDER = "community_order", "Community order"
    FINE = "fine", "Fine"
    OTHER = "other", "Other"


CUSTODIAL = frozenset({Disposal.LIFE, Disposal.IPP, Disposal.IMPRISONMENT, Disposal.DETENTION})
TERM_REQUIRED = frozenset({Disposal.IMPRISONMENT, Disposal.DETENTION})
MAX_TERM_MONTHS = 12 * 60


class Conviction(models.Model):
    """A conviction, finding or caution for one offence."""

    class Kind(models.TextChoices):
        CONVICTION = "conviction", "Conviction"
        CAUTION = "caution", "Caution"
        FINDING = "finding", "Not guilty by insanity or unfit to plead"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="convictions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONVICTION)
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT)
    offence_date = models.DateField(null=True, blank=True)
    relevant_date = models.DateField(help_text="The date of conviction, finding or caution.")
    sentence_date = models.DateField(null=True, blank=True)
    disposal = models.CharField(max_length=40, choices=Disposal.choices)
    term_months = models.PositiveIntegerField("custodial term (months)", null=True, blank=True)
    discharge_months = models.PositiveIntegerField("discharge period (months)", null=True, blank=True)
    consecutive_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
        verbose_name="term follows",
        help_text="The conviction whose custodial term this term follows (consecutive or partly concurrent).",
    )
    overlap_months = models.PositiveIntegerField(
        "overlap with that term (months)",
        default=0,
        db_default=0,
        help_text="For partly concurrent terms: how long the two terms run together. 0 for consecutive terms.",
    )
    licence_or_order_end = models.DateField(
        "licence or hospital order ends",
        null=True,
        blank=True,
        help_text="When the licence or hospital order ends: MAPPA Category 2 lasts until then.",
    )
    soa_schedule_3 = models.BooleanField("SOA 2003 Schedule 3", default=False)
    cja_schedule_15 = models.BooleanField("CJA 2003 Schedule 15", default=False)
    court = models.CharField(max_length=120, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; stops a lost update.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-relevant_date"]

    def __str__(self) -> str:
        return f"{self.offence.description} ({self.relevant_date:%d %b %Y})"

    @property
    def is_custodial(self) -> bool:
        return self.disposal in CUSTODIAL

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.relevant_date and self.relevant_date > today:
            errors["relevant_date"] = "The date of conviction or caution must be today or in the past."
        if self.offence_date and self.relevant_date and self.offence_date > self.relevant_date:
            errors["offence_date"] = "The offence date must be on or before the date of conviction or caution."
        if self.sentence_date and self.relevant_date and self.sentence_date < self.relevant_date:
            errors["sentence_date"] = "The sentence date must be on or after the date of conviction."
        if self.disposal in TERM_REQUIRED and not self.term_months:
            errors["term_months"] = "Enter the custodial term in months."
        if self.term_months and self.term_months > MAX_TERM_MONTHS:
            errors["term_months"] = f"Enter a term of at most {MAX_TERM_MONTHS} months (for life, choose life)."
        if self.licence_or_order_end and self.relevant_date and self.licence_or_order_end < self.relevant_date:
            errors["licence_or_order_end"] = "The licence or order must end on or after the date of conviction."
        if self.disposal == Disposal.CONDITIONAL_DISCHARGE and not self.discharge_months:
            errors["discharge_months"] = "Enter the period of the conditional discharge in months."
        errors.update(self._term_link_errors())
        if self.kind == self.Kind.CAUTION and self.disposal != Disposal.CAUTION:
            errors["disposal"] = "A caution's disposal is a caution."
        person = getattr(self, "person", None) if self.person_id else None
        if person and person.date_of_birth and self.relevant_date and self.relevant_date < person.date_of_birth:
            errors["relevant_date"] = "The date of conviction or caution cannot be before the date of birth."
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None):
        # The term followed is checked in clean(), with one message for a missing conviction and another
        # person's, so that no record's existence is revealed (Django's own check names the id).
        super().clean_fields(exclude={*(exclude or ()), "consecutive_to"})

    def _term_link_errors(self) -> dict[str, str]:
        """A term follows another term of the same person's (s.82(3)-(4)); an overlap is less than either term."""
        if self.consecutive_to_id is None:
            return (
                {"overlap_months": "An overlap applies only to a term that follows another."}
                if self.overlap_months
                else {}
            )
        if self.disposal not in TERM_REQUIRED or not self.term_months:
            return {"consecutive_to": "Only a term of imprisonment or detention can follow another term."}
        if self.pk and self.consecutive_to_id == self.pk:
            return {"consecutive_to": "A term cannot follow itself: choose another conviction."}
        # One message whether the conviction is missing or another person's: no record's existence is revealed.
        other = Conviction.objects.filter(pk=self.consecutive_to_id, person_id=self.person_id).first()
        if other is None:
            return {"consecutive_to": "Choose a conviction of the same person."}
        if other.disposal not in TERM_REQUIRED or not other.term_months:
            return {"consecutive_to": "Choose a conviction with a term of imprisonment or detention."}
        if self.overlap_months and self.overlap_months >= min(self.term_months, other.term_months):
            return {
                "overlap_months": "Partly concurrent terms overlap for less than either term; for wholly concurrent "
                "terms leave 'term follows' blank."
            }
        return {}


class Notification(models.Model):
    """A notification made in person under SOA 2003 Part 2 (ss.83-86, 2012 Regulations)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial notification (s.83)"
        CHANGE = "change", "Notification of a change (s.84)"
        PERIODIC = "periodic", "Periodic notification (s.85)"
        TRAVEL = "travel", "Foreign travel"

    class Change(models.TextChoices):
        NAME = "name", "Using a new name"
        HOME_ADDRESS = "home_address", "A new home address"
        STAY = "stay", "Staying 7 days at an address not notified"
        RELEASE = "release", "Release from custody or hospital"
        BANK_ACCOUNT = "bank_account", "A bank or card account (2012 Regulations)"
        IDENTITY_DOCUMENT = "identity_doc", "A passport or other identity document (2012 Regulations)"
        CHILD_IN_HOUSEHOLD = "child_household", "Living or staying 12 hours or more with a child under 18"
        OTHER = "other", "Other information"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    change = models.CharField("what changed", max_length=15, choices=Change.choices, blank=True)
    event_on = models.DateField(
        "date of the change", null=True, blank=True, help_text="For a change: the day it happened."
    )
    notified_on = models.DateField("date notified")
    departure_on = models.DateField("date of departure", null=True, blank=True)
    return_on = models.DateField("date of return", null=True, blank=True)
    destination = models.CharField(max_length=80, blank=True)
    police_station = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey("workforce.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-notified_on", "-id"]
        indexes = [models.Index(fields=["person", "notified_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.notified_on:%d %b %Y}"

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.notified_on and self.notified_on > today:
            errors["notified_on"] = "The date notified must be today or in the past."
        if self.kind == self.Kind.CHANGE:
            if not self.change:
                errors["change"] = "Choose what changed."
            if not self.event_on:
                errors["event_on"] = "Enter the date of the change."
            elif self.notified_on and self.event_on > self.notified_on:
                errors["event_on"] = "The change must be on or before the date notified."
        if self.kind == self.Kind.TRAVEL:
            if not self.departure_on:
                errors["departure_on"] = "Enter the date of departure."
            if not self.destination:
                errors["destination"] = "Enter the destination."
            if self.departure_on and self.return_on and self.return_on < self.departure_on:
                errors["return_on"] = "The date of return must be on or after the date of departure."
        if errors:
            raise ValidationError(errors)
