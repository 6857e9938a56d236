"""Nominals: the management record around a person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class MappaCategory(models.TextChoices):
    """MAPPA categories (CJA 2003 s.327; Guidance); one per offender. Probation codes M1-M3, X9."""

    ONE = "1", "Category 1: registered sex offender"
    TWO = "2", "Category 2: violent offender"
    THREE = "3", "Category 3: other dangerous offender"
    FOUR = "4", "Category 4: terrorist or terrorism-risk offender"
    TO_BE_DETERMINED = "tbd", "To be determined"


class ManagementLevel(models.IntegerChoices):
    ONE = 1, "Level 1: ordinary agency management"
    TWO = 2, "Level 2: multi-agency meetings"
    THREE = 3, "Level 3: senior multi-agency management"


class Location(models.TextChoices):
    COMMUNITY = "community", "Community"
    CUSTODY = "custody", "Custody"
    APPROVED_PREMISES = "approved_premises", "Approved premises"
    HOSPITAL = "hospital", "Hospital"


class RiskOfSeriousHarm(models.TextChoices):
    """RoSH as recorded by the assessing agency (OASys); Safeguard does not compute it."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"
    NOT_KNOWN = "not_known", "Not known"


HIGH_RISK = frozenset({RiskOfSeriousHarm.HIGH, RiskOfSeriousHarm.VERY_HIGH})

# Worked out by offenders.due_dates, not changed by people: kept out of the record's history.
COMPUTED_DUE_FIELDS = [
    "notification_due",
    "notification_due_kind",
    "notification_ends_on",
    "notification_indefinite",
    "mappa_review_due",
    "level_set_by",
    "next_due_on",
    "due_dates_on",
]

# Changes to these fields need a reason, kept in the record's history.
REASONED_FIELDS = ("mappa_category", "management_level", "offender_manager")


# What my work's counts and the gate's scope read of each nominal beside the index's keys: with them in the index
# (PostgreSQL; SQLite ignores them), a section's count reads the index alone, not a row of the table for each
# nominal counted (a national coordinator's Level 2 and 3: 2,444 rows, 2.6 ms of PostgreSQL a count).
MY_WORK_INCLUDES = ["id", "local_area_id", "person_id"]


class Nominal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    reference = models.CharField(max_length=16, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="nominals")
    mappa_category = models.CharField(
        "MAPPA category", max_length=3, choices=MappaCategory.choices, default=MappaCategory.TO_BE_DETERMINED
    )
    management_level = models.PositiveSmallIntegerField(
        "management level", choices=ManagementLevel.choices, default=ManagementLevel.ONE
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    location = models.CharField(max_length=20, choices=Location.choices, default=Location.COMMUNITY)
    location_detail = models.CharField(
        max_length=120, blank=True, help_text="The prison, approved premises or hospital."
    )
    release_date = models.DateField("expected release date", null=True, blank=True)
    detained_since = models.DateField(
        "in custody or hospital since",
        null=True,
        blank=True,
        help_text="The first day of the present custody or detention: days in it are not counted in a 3-day period.",
    )
    rosh = models.CharField(
        "risk of serious harm",
        max_length=10,
        choices=RiskOfSeriousHarm.choices,
        default=RiskOfSeriousHarm.NOT_KNOWN,
    )
    registered_sex_offender = models.BooleanField(default=False)
    workload_tier = models.CharField(
        "probation tier",
        max_length=10,
        blank=True,
        default="",
        help_text="The probation case tier (for example B2) that the workload model's point table is keyed by.",
    )
    lead_agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="led_nominals")
    offender_manager = models.ForeignKey(
        "workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="caseload"
    )
    local_area = models.ForeignKey(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="nominals",
        help_text="The local authority area where the nominal is managed.",
    )
    managed_from = models.DateField(default=timezone.localdate)
    managed_until = models.DateField(null=True, blank=True)
    allocated_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        "lead agency's next review", null=True, blank=True, help_text="Set by the lead agency (no national rule)."
    )
    last_reviewed_on = models.DateField(
        "last multi-agency review", null=True, blank=True, help_text="The last Level 2 or 3 meeting that reviewed it."
    )
    review_refused_on = models.DateField(
        "review of indefinite notification refused on",
        null=True,
        blank=True,
        help_text="The chief officer's determination to keep the notification requirements (s.91C).",
    )
    further_qualifying_date = models.DateField(
        "further qualifying date set by the chief officer",
        null=True,
        blank=True,
        help_text="Only where the chief officer set a date other than 8 years after the determination (s.91B(4)-(6)).",
    )
    further_qualifying_reason = models.TextField(
        "chief officer's reason for the further qualifying date", max_length=2000, blank=True, db_default=""
    )
    # Computed by offenders.due_dates from the rules; never typed in.
    notification_due = models.DateField("next notification due", null=True, blank=True, editable=False)
    notification_due_kind = models.CharField(max_length=10, blank=True, default="", editable=False)
    notification_ends_on = models.DateField("notification ends", null=True, blank=True, editable=False)
    notification_indefinite = models.BooleanField(default=False, editable=False)
    mappa_review_due = models.DateField("MAPPA review due", null=True, blank=True, editable=False)
    level_set_by = models.DateField("level to be set by", null=True, blank=True, editable=False)
    next_due_on = models.DateField(
        "next thing due", null=True, blank=True, editable=False, help_text="The earliest of the dates above."
    )
    due_dates_on = models.DateTimeField("due dates worked out", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=COMPUTED_DUE_FIELDS)

    class Meta:
        ordering = ["reference"]
        indexes = [
            models.Index(fields=["offender_manager", "status"]),
            models.Index(fields=["local_area", "status"]),
            # My work (web.my_work): the area's active Level 2/3 and unallocated nominals, a page at a time
            # in due-date order, and their counts, straight from these without sorting a whole area.
            models.Index(
                fields=["next_due_on", "reference"],
                condition=models.Q(status="active", management_level__gte=2),
                name="nominal_my_work_levels",
                include=MY_WORK_INCLUDES,
            ),
            models.Index(
                fields=["next_due_on", "reference"],
                condition=models.Q(status="active", offender_manager=None),
                name="nominal_my_work_unallocated",
                include=MY_WORK_INCLUDES,
            ),
            # My work's "cases on your agency's forums" for the area's case workers (a chair, a MARAC
            # coordinator): the active nominals in due-date order, walked until a page is found (not the area's
            # 100,000 sorted). Only for a query that says ``local_area__isnull=False`` (every nominal has one):
            # staff who see only their forums' people (an IDVA) would walk the whole index to find the few.
            models.Index(
                fields=["next_due_on", "reference"],
                condition=models.Q(status="active", local_area__isnull=False),
                name="nominal_my_work_active",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_high_risk(self) -> bool:
        return self.rosh in HIGH_RISK

    def clean(self) -> None:
        errors = {}
        if self.location == Location.CUSTODY and not self.release_date:
            errors["release_date"] = "Enter the expected release date for a nominal in custody."
        if self.managed_until and self.managed_from and self.managed_until < self.managed_from:
            errors["managed_until"] = "The end of management must be on or after its start."
        if self.release_date and self.person_id:
            latest = (
                self.person.convictions.exclude(sentence_date=None)
                .order_by("-sentence_date")
                .values_list("sentence_date", flat=True)
                .first()
            )
            if latest and self.release_date < latest:
                errors["release_date"] = "The release date cannot be before the sentence date of the latest conviction."
        if self.detained_since and self.release_date and self.release_date < self.detained_since:
            errors["release_date"] = "The release date cannot be before the start of custody or detention."
        if self.further_qualifying_date and not self.review_refused_on:
            errors["further_qualifying_date"] = "Enter the date the review was refused first."
        elif self.further_qualifying_date and self.further_qualifying_date <= self.review_refused_on:
            errors["further_qualifying_date"] = "The further qualifying date must be after the review was refused."
        if self.further_qualifying_date and not self.further_qualifying_reason.strip():
            errors["further_qualifying_reason"] = "Enter the chief officer's reason for the further qualifying date."
        if self.lead_agency_id and not self.lead_agency.is_responsible_authority:
            errors["lead_agency"] = "The lead agency must be police, probation or a prison."
        if errors:
            raise ValidationError(errors)


class DueNotice(models.Model):
    """Work that has fallen due, raised by the daily task and shown until it is done."""

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", "Notification due"
        MAPPA_REVIEW = "mappa_review", "MAPPA review due"
        LEVEL_SET = "level_set", "Level to be set before release"
        RETENTION_REVIEW = "retention_review", "Retention review due"

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="due_notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField()
    raised_on = models.DateField(default=timezone.localdate)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal", "kind", "due_on"], condition=models.Q(resolved_on=None), name="due_notice_once"
            ),
        ]
        indexes = [models.Index(fields=["resolved_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%d %b %Y}"
