"""What happens to the offender: interventions and programmes, release pathways, and peer observation of meetings.

- ``Programme``: the area's catalogue of interventions and programmes (reference data, managed in the admin);
- ``InterventionReferral``: a nominal referred to a programme (from the nominal, a forum's decision, a risk
  management plan or one of its actions), moving through ``rules.interventions``;
- ``ReleasePlan`` and ``PathwayItem``: the release checklist by pathway (``rules.release_pathways``), what
  was in place on the day and the release-day outcome;
- ``PeerObservation``: a pair of observers' structured feedback on a meeting (``rules.peer_observation``),
  shared with its chair;
- ``PathwaySettings``: an area's release offsets, outcome follow-up and IOM selection threshold (no person).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.rules import interventions as lifecycle
from safeguard.rules import iom_cohort as iom
from safeguard.rules import pathway_outcomes as outcomes
from safeguard.rules import release_pathways as pathways

# The choice lists as the API schema names them (settings SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
REFERRAL_STATUSES = list(lifecycle.STATUSES.items())
ITEM_STATUSES = list(pathways.ITEM_STATUSES.items())
STREAMS = list(iom.STREAMS.items())

PILLARS = {
    "supervision": "Supervision",
    "monitoring_and_control": "Monitoring and control",
    "interventions_and_treatment": "Interventions and treatment",
    "victim_safety": "Victim safety planning",
}


class Programme(models.Model):
    """One intervention or programme the area can refer to (reference data: no person in it)."""

    class Kind(models.TextChoices):
        ACCREDITED = "accredited", "Accredited programme"
        DA_PERPETRATOR = "da_perpetrator", "Domestic abuse perpetrator programme"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
        MENTAL_HEALTH = "mental_health", "Mental health"
        ACCOMMODATION = "accommodation", "Accommodation"
        EMPLOYMENT = "employment", "Education, training or employment"
        MENTORING = "mentoring", "Mentoring"

    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    provider = models.CharField(max_length=160, help_text="Who delivers it.")
    eligibility_notes = models.TextField(blank=True, help_text="Who it is for, and who it is not for.")
    pillar = models.CharField(
        "risk management plan pillar it serves",
        max_length=30,
        choices=list(PILLARS.items()),
        default="interventions_and_treatment",
    )
    area = models.ForeignKey(
        "workforce.Area", on_delete=models.PROTECT, related_name="programmes", limit_choices_to={"kind": "mappa"}
    )
    active = models.BooleanField(default=True, help_text="Untick to stop new referrals; past referrals stay.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["area", "name", "provider"], name="one_programme_per_provider")]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class InterventionReferral(models.Model):
    class Source(models.TextChoices):
        NOMINAL = "nominal", "The nominal's offender manager"
        DECISION = "decision", "A forum's decision"
        PLAN = "plan", "A risk management plan"
        ACTION = "action", "An action of a risk management plan or meeting"

    nominal = models.ForeignKey("offenders.Nominal", on_delete=models.PROTECT, related_name="intervention_referrals")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    pillar = models.CharField("pillar it serves", max_length=30, choices=list(PILLARS.items()))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.NOMINAL)
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.PROTECT, related_name="intervention_referrals"
    )
    decision = models.ForeignKey(
        "meetings.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="intervention_referrals"
    )
    plan = models.ForeignKey(
        "meetings.RiskManagementPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervention_referrals",
    )
    status = models.CharField(max_length=12, choices=REFERRAL_STATUSES, default=lifecycle.REFERRED)
    referred_on = models.DateField(default=timezone.localdate)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField("completed, dropped out or refused on", null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(default=0)
    reason = models.TextField("reason for dropping out or refusal", blank=True)
    next_step_due_on = models.DateField("next step due", null=True, blank=True)
    notes = models.TextField(blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["nominal", "status"]),
            models.Index(fields=["status", "next_step_due_on"]),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.programme.name}"

    @property
    def is_open(self) -> bool:
        return self.status not in lifecycle.FINAL


class ReleasePlan(models.Model):
    """The release checklist for one release date of a nominal, and what happened on the day."""

    class Outcome(models.TextChoices):
        RELEASED = "released", "Released as planned"
        POSTPONED = "postponed", "Release postponed"
        RELEASED_EARLY = "released_early", "Released early"
        RECALLED = "recalled", "Recalled to custody since release"

    nominal = models.ForeignKey("offenders.Nominal", on_delete=models.PROTECT, related_name="release_plans")
    release_date = models.DateField()
    outcome = models.CharField("release-day outcome", max_length=16, choices=Outcome.choices, blank=True)
    released_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["release_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nominal", "release_date"], name="one_release_plan_per_release_date")
        ]

    def __str__(self) -> str:
        return f"Release plan for {self.release_date:%-d %B %Y}"


class PathwayItem(models.Model):
    plan = models.ForeignKey(ReleasePlan, on_delete=models.CASCADE, related_name="items")
    pathway = models.CharField(max_length=20, choices=list(pathways.PATHWAYS.items()))
    owner_agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=14, choices=ITEM_STATUSES, default=pathways.TO_ARRANGE)
    detail = models.TextField("what is arranged, or why it cannot be", blank=True)
    in_place_on_day = models.BooleanField("in place on the day of release", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "pathway"], name="one_item_per_pathway")]

    def __str__(self) -> str:
        return self.get_pathway_display()

    def is_gap(self, today) -> bool:
        return pathways.is_gap(self.status, self.due_on, self.plan.release_date, today)


class PeerObservation(models.Model):
    """Two observers' structured feedback on a meeting (a Detective Inspector and a Senior Probation Officer,
    for example), recorded beside the meeting's quality audit and shared with its chair."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="peer_observations")
    first_observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    second_observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ratings = models.JSONField(default=dict)
    strengths = models.TextField()
    development = models.TextField("areas for development")
    themes = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    shared_with_chair_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first_observer=models.F("second_observer")), name="observers_are_a_pair"
            )
        ]

    def __str__(self) -> str:
        return f"Peer observation of {self.meeting}"

    def clean(self) -> None:
        if self.first_observer_id and self.first_observer_id == self.second_observer_id:
            raise ValidationError({"second_observer": "Choose a second observer who is not the first."})


CPD_COURSES = ("mappa_chair", "standing_panel_cpd", "da_cpd")


class CpdEvent(models.Model):
    """A CPD session run for an area (for chairs, standing panel members or offender managers), with attendance.

    Where ``counts_in_competence`` is set, each attendance counts as a completion of its course on the day
    (``workforce.competence``), so that the area's refresh period for the course applies from it. No guidance
    says CPD refreshes a course: it is the area's decision, recorded on the event (off by default).
    """

    class Audience(models.TextChoices):
        CHAIRS = "chairs", "MAPPA chairs"
        PANEL = "panel", "Standing panel members"
        OFFENDER_MANAGERS = "offender_managers", "Offender managers"

    area = models.ForeignKey(
        "workforce.Area", on_delete=models.PROTECT, related_name="cpd_events", limit_choices_to={"kind": "mappa"}
    )
    course = models.ForeignKey(
        "workforce.Course",
        on_delete=models.PROTECT,
        related_name="cpd_events",
        limit_choices_to={"code__in": CPD_COURSES},
    )
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    held_on = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    delivered_by = models.CharField(max_length=160)
    counts_in_competence = models.BooleanField(
        "counts as a completion of the course",
        default=False,
        help_text="Tick only where the area counts this CPD as refreshing the course.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.title}, {self.held_on:%-d %B %Y}"


class CpdAttendance(models.Model):
    event = models.ForeignKey(CpdEvent, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cpd_attendance")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "staff"], name="one_attendance_per_event")]

    def __str__(self) -> str:
        return f"Attended {self.event}"


class IomMembership(models.Model):
    """A nominal's time in the IOM cohort: entry with the panel's reason and stream, reviews, exit with reason."""

    class ExitReason(models.TextChoices):
        RISK_REDUCED = "risk_reduced", "Risk of reoffending reduced (de-selected)"
        CUSTODY = "custody", "Long-term custody"
        MOVED = "moved", "Moved out of the area"
        MAPPA = "mappa", "Managed under MAPPA Level 2 or 3 instead"
        DIED = "died", "Died"
        OTHER = "other", "Another reason"

    nominal = models.ForeignKey("offenders.Nominal", on_delete=models.PROTECT, related_name="iom_memberships")
    stream = models.CharField(max_length=5, choices=STREAMS)
    suggested_stream = models.CharField(max_length=5, choices=STREAMS)
    score = models.PositiveSmallIntegerField("selection score", null=True, blank=True)
    neighbourhood_crime = models.BooleanField(default=False)
    reason = models.TextField("selection panel's reason")
    entered_on = models.DateField(default=timezone.localdate)
    next_review_on = models.DateField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    exited_on = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=14, choices=ExitReason.choices, blank=True)
    exit_note = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-entered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"], condition=models.Q(exited_on=None), name="one_open_iom_membership"
            )
        ]

    def __str__(self) -> str:
        return f"IOM {self.get_stream_display()} from {self.entered_on:%-d %B %Y}"


def _release_default(name: str) -> int:
    return pathways.DEFAULTS[name].value


class PathwaySettings(models.Model):
    """One MAPPA area's settings for release pathways, their figures and the IOM cohort's selection.

    Each default is the value the sources give, quoted in ``help_text``; where they are silent the field says
    so and the default is the protective reading (docs/decisions.md). Every change is kept in the history.
    """

    area = models.OneToOneField(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="pathway_settings",
        limit_choices_to={"kind": "mappa"},
    )
    checklist_opens_weeks = models.PositiveSmallIntegerField(
        "release checklist opens (weeks before release)",
        default=_release_default("window_weeks"),
        help_text="Safeguard's requirement: 'from 12 weeks before a release date, a checklist by pathway'. The "
        "PCC's response asks only for 'a smooth transition on release'; no guidance sets the weeks.",
    )
    accommodation_due_days = models.PositiveSmallIntegerField(
        "accommodation due (days after release)",
        default=_release_default(pathways.ACCOMMODATION),
        help_text="'Housed on release' counts accommodation on the first night: 0, the day of release.",
    )
    substance_misuse_due_days = models.PositiveSmallIntegerField(
        "substance misuse treatment within (days of release)",
        default=_release_default(pathways.SUBSTANCE_MISUSE),
        help_text="Continuity of care (PHOF C20): those who 'start community treatment within 3 weeks of "
        "release'. The checklist item's due date and the take-up figure's window.",
    )
    gp_due_days = models.PositiveSmallIntegerField(
        "GP registration due (days after release)",
        default=_release_default(pathways.GP),
        help_text="No source sets a date: due on the day of release (the protective reading).",
    )
    benefits_due_days = models.PositiveSmallIntegerField(
        "benefits claim due (days after release)",
        default=_release_default(pathways.BENEFITS),
        help_text="No source sets a date: due on the day of release (the protective reading).",
    )
    identification_due_days = models.PositiveSmallIntegerField(
        "identification documents due (days after release)",
        default=_release_default(pathways.IDENTIFICATION),
        help_text="No source sets a date: due on the day of release (the protective reading).",
    )
    employment_due_days = models.PositiveSmallIntegerField(
        "employment, training or education due (days after release)",
        default=_release_default(pathways.EMPLOYMENT),
        help_text="No source sets a date: due on the day of release (the protective reading).",
    )
    follow_up_months = models.PositiveSmallIntegerField(
        "outcomes followed up for (months)",
        default=outcomes.DEFAULTS["follow_up_months"].value,
        help_text="The MoJ's proven reoffending measure follows up 12 months; the issue asks for 'the next 12 "
        "months' DA records or proven reoffending recorded in Safeguard'.",
    )
    iom_flex_threshold = models.PositiveSmallIntegerField(
        "IOM selection: score at or above which Flex is suggested",
        null=True,
        blank=True,
        help_text="No published threshold (the IOM guidance gives the Fixed, Flex and Free shape only): leave "
        "blank and every case outside neighbourhood crime is suggested Free, for the panel to decide.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pathway settings"
        verbose_name_plural = "pathway settings"

    def __str__(self) -> str:
        return f"Pathway settings: {self.area}"

    def clean(self) -> None:
        if self.checklist_opens_weeks == 0:
            raise ValidationError({"checklist_opens_weeks": "Enter the weeks before release, 1 or more."})
        if self.follow_up_months == 0:
            raise ValidationError({"follow_up_months": "Enter the months followed up, 1 or more."})
        if self.substance_misuse_due_days == 0:
            raise ValidationError({"substance_misuse_due_days": "Enter the days after release, 1 or more."})

    @classmethod
    def for_area(cls, area_id: int | None) -> PathwaySettings:
        """The area's settings, or the defaults (unsaved) where none are recorded."""
        found = cls.objects.filter(area_id=area_id).first() if area_id is not None else None
        return found or cls(area_id=area_id)

    @classmethod
    def for_nominal(cls, nominal) -> PathwaySettings:
        local = nominal.local_area
        return cls.for_area(local.parent_id or local.pk if local is not None else None)

    def release_settings(self) -> dict[str, int]:
        """The offsets as ``rules.release_pathways`` takes them."""
        return {
            "window_weeks": self.checklist_opens_weeks,
            pathways.ACCOMMODATION: self.accommodation_due_days,
            pathways.SUBSTANCE_MISUSE: self.substance_misuse_due_days,
            pathways.GP: self.gp_due_days,
            pathways.BENEFITS: self.benefits_due_days,
            pathways.IDENTIFICATION: self.identification_due_days,
            pathways.EMPLOYMENT: self.employment_due_days,
        }

    def outcome_settings(self) -> dict[str, int]:
        """The follow-up and take-up windows as ``rules.pathway_outcomes`` takes them."""
        return {"follow_up_months": self.follow_up_months, "take_up_days": self.substance_misuse_due_days}

    def iom_settings(self) -> dict[str, int | None]:
        return {"flex_threshold": self.iom_flex_threshold}
