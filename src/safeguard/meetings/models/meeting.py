"""Meetings of a forum: the agenda, who attended, what each agency shared, decisions, minutes.

A meeting is scheduled from its forum's cadence, its agenda built for the
coordinator (``safeguard.rules.agenda``), its chair chosen from eligible staff
(``safeguard.workforce.competence``), and its minutes (MAPPA C) kept as HTML
and PDF, marked OFFICIAL-SENSITIVE, shared beyond the attendees' agencies only
with the chair's permission (old MAPPA D).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    forum = models.ForeignKey("meetings.Forum", on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_for = models.DateField(
        null=True,
        blank=True,
        help_text="The cadence day this meeting was scheduled for (kept when it is moved, so it is never duplicated).",
    )
    status_reason = models.TextField(blank=True, help_text="Why the meeting was moved or cancelled.")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    chair_reason = models.CharField(max_length=300, blank=True, help_text="Why the chair is eligible (working).")
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    confidentiality_read_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was recorded as held (ended or closed); reopening counts from it."
    )
    minutes_html = models.TextField(blank=True)
    minutes_issued_at = models.DateTimeField(null=True, blank=True)
    quality_scores = models.JSONField(default=dict, blank=True, help_text="Meeting quality audit: item -> 4..1.")
    quality_audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["forum", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "scheduled_for"],
                condition=models.Q(scheduled_for__isnull=False),
                name="one_meeting_per_cadence_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum} on {timezone.localtime(self.starts_at):%-d %B %Y}"

    @property
    def day(self):
        return timezone.localdate(self.starts_at)

    def require_in_progress(self) -> None:
        if self.status != self.Status.IN_PROGRESS:
            raise ValidationError(
                {"__all__": f"This meeting is {self.get_status_display().lower()}: start it to record what is agreed."}
            )

    def start(self, today, chair) -> None:
        """Start a scheduled meeting on (or after) its day, with an eligible chair (``chair``: the chair's
        eligibility on the day, or None when no chair is set)."""
        if self.status != self.Status.SCHEDULED:
            raise ValidationError({"__all__": f"This meeting is {self.get_status_display().lower()}."})
        if self.day > today:
            raise ValidationError({"__all__": f"This meeting is on {_day(self.day)}: start it on the day."})
        if chair is None:
            raise ValidationError({"__all__": "Set the chair before the meeting starts."})
        if not chair.eligible:
            raise ValidationError({"__all__": f"The chair is no longer eligible: {chair.reason}"})
        self.status = self.Status.IN_PROGRESS

    def end(self, still_listed: int) -> None:
        """End the meeting (held): every case on the agenda heard or deferred first."""
        self.require_in_progress()
        if still_listed:
            raise ValidationError(
                {
                    "__all__": "Mark every case heard or deferred before ending the meeting: "
                    f"{still_listed} still listed."
                }
            )
        self.status = self.Status.HELD
        self.ends_at = timezone.now()
        self.held_at = self.ends_at

    def reopening(self, now=None):
        """Whether the held meeting may be reopened now (``rules.reopening``: within the forum's window, minutes
        not issued)."""
        from safeguard.rules.reopening import may_reopen

        return may_reopen(self.held_at, now or timezone.now(), self.forum.reopen_hours(), bool(self.minutes_issued_at))

    def reopen(self, now=None) -> None:
        """Back to its running status (in progress; a triage: scheduled, as it runs) within the window."""
        if self.status != self.Status.HELD:
            raise ValidationError({"__all__": f"This meeting is {self.get_status_display().lower()}, not held."})
        found = self.reopening(now)
        if not found.allowed:
            raise ValidationError({"__all__": f"This meeting cannot be reopened. {found.reason}"})
        triage = self.forum.kind == self.forum.Kind.DAILY_TRIAGE
        self.status = self.Status.SCHEDULED if triage else self.Status.IN_PROGRESS
        self.held_at = None


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=160, help_text="As signed on the attendance list.")
    role = models.CharField(max_length=120, blank=True)
    present = models.BooleanField(default=True, help_text="False: sent apologies.")
    agreed_confidentiality = models.BooleanField(default=False)

    class Meta:
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class AgendaItem(models.Model):
    """One case on a meeting's agenda, in the order the agenda rule gave, with what was agreed."""

    class Section(models.TextChoices):
        ACTIONS = "actions", "Incomplete actions from last time"
        NEW_WITH_CHILDREN = "new_children", "New cases with children"
        NEW = "new", "New cases"
        REVIEW = "review", "Reviews due"
        TWELVE_MONTHS = "twelve_months", "Cases reaching 12 months"
        OTHER = "other", "Other business"

    class Outcome(models.TextChoices):
        LISTED = "listed", "Listed"
        HEARD = "heard", "Heard"
        DEFERRED = "deferred", "Deferred"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=16, choices=Section.choices)
    why = models.CharField(max_length=300, help_text="Why the case is on the agenda (from the agenda rule).")
    forum_case = models.ForeignKey("meetings.ForumCase", on_delete=models.PROTECT, related_name="agenda_items")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    nominal = models.ForeignKey("offenders.Nominal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    has_children = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.LISTED)
    risk_level_agreed = models.CharField(max_length=20, blank=True)
    management_level_agreed = models.PositiveSmallIntegerField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "forum_case"], name="one_item_per_case_per_meeting")]

    def __str__(self) -> str:
        return f"Item {self.position} of meeting {self.meeting_id}"


class SharedInformation(models.Model):
    """What one agency shared about a case; restricted items are hidden from the agencies named."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="shared")
    agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="+")
    content = models.TextField()
    is_opinion = models.BooleanField(default=False, help_text="Fact is kept apart from opinion.")
    withheld = models.TextField(blank=True, help_text="What was withheld, and why.")
    restricted_from = models.ManyToManyField(
        "workforce.Agency", blank=True, related_name="+", help_text="Agencies that may not see this item."
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Shared by {self.agency}"


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("decision")
    rationale = models.TextField()
    dissent = models.TextField(blank=True, help_text="Any dissenting view, and whose.")
    dissent_agency = models.ForeignKey(
        "workforce.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Decision {self.pk}"


class MinutesShare(models.Model):
    """The chair's permission to share a meeting's minutes with an agency that did not attend."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    permitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    permitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="one_share_per_agency")]

    def __str__(self) -> str:
        return f"Minutes shared with {self.agency}"
