"""An area's settings for the figures it publishes: the small-number threshold and the populations that
rates are worked out against. Neither is set by any guidance (reporting notes): each is a setting with its
reason, kept with its history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from safeguard.rules import suppression


class OversightSettings(models.Model):
    area = models.OneToOneField(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="oversight_settings",
        limit_choices_to={"kind": "mappa"},
    )
    small_number_threshold = models.PositiveSmallIntegerField(
        "small-number threshold",
        default=suppression.THRESHOLD,
        help_text="Figures from 1 to this less one are shown as 'fewer than' it on pages without names; 0 is "
        "shown as 0. No guidance sets it: Safeguard's default is 5.",
    )
    population = models.PositiveIntegerField(
        "population of the area",
        null=True,
        blank=True,
        help_text="For registered sex offenders per 100,000 population in the MAPPA annual tables.",
    )
    population_basis = models.CharField(
        "who the population counts",
        max_length=120,
        default="aged 10 and over",
        help_text="Press coverage of the annual report uses the population aged 10 and over (unconfirmed).",
    )
    population_source = models.CharField(
        "where the population comes from", max_length=200, blank=True, help_text="For example, ONS mid-2024."
    )
    relationship_target = models.PositiveSmallIntegerField(
        "target share of DA incidents with the relationship recorded (%)",
        null=True,
        blank=True,
        help_text="No guidance sets one: the area chooses it. Shown beside the share on the relationship-data page.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "oversight settings"
        verbose_name_plural = "oversight settings"

    def __str__(self) -> str:
        return f"Oversight settings: {self.area}"

    def clean(self) -> None:
        if self.small_number_threshold is not None and self.small_number_threshold < suppression.MINIMUM_THRESHOLD:
            raise ValidationError(
                {"small_number_threshold": f"Enter a threshold of {suppression.MINIMUM_THRESHOLD} or more."}
            )
        if self.relationship_target is not None and self.relationship_target > 100:
            raise ValidationError({"relationship_target": "Enter a target from 0 to 100 per cent."})

    @classmethod
    def for_area(cls, area_id: int) -> OversightSettings:
        """The area's settings, or the defaults (unsaved) where none are recorded."""
        return cls.objects.filter(area_id=area_id).first() or cls(area_id=area_id)


class Answer(models.TextChoices):
    """An answer about a protected characteristic: "not known" (not asked, or not answered) and "prefer not to
    say" (asked, and the person declined) are kept apart; the SafeLives return counts only "yes"."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"
    PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"


class EthnicityAnswer(models.TextChoices):
    STATED = "stated", "As recorded on the person"
    NOT_KNOWN = "not_known", "Not known"
    PREFER_NOT_TO_SAY = "prefer_not", "Prefer not to say"


class ProtectedCharacteristics(models.Model):
    """What the SafeLives MARAC return asks of a victim beyond the person's sex, date of birth and ethnicity
    (reporting notes: victims who are minority ethnic, LGBT+, disabled, male, aged 16-17)."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="characteristics")
    disabled = models.CharField("has a disability", max_length=10, choices=Answer.choices, default=Answer.NOT_KNOWN)
    lgbt_plus = models.CharField(
        "lesbian, gay, bisexual, trans or otherwise LGBT+",
        max_length=10,
        choices=Answer.choices,
        default=Answer.NOT_KNOWN,
    )
    ethnicity_answer = models.CharField(
        "ethnicity",
        max_length=10,
        choices=EthnicityAnswer.choices,
        default=EthnicityAnswer.STATED,
        help_text="Where the person's ethnicity is 'not stated': whether it is not known or they preferred not to say.",
    )
    recorded_by = models.ForeignKey("workforce.Staff", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "protected characteristics"

    def __str__(self) -> str:
        return f"Protected characteristics of person {self.person_id}"


class MaracSettings(models.Model):
    """A MARAC's population for the published rate (cases per 10,000 women aged 16 and over)."""

    forum = models.OneToOneField(
        "meetings.Forum",
        on_delete=models.PROTECT,
        related_name="oversight_settings",
        limit_choices_to={"kind": "marac"},
    )
    adult_women = models.PositiveIntegerField("women aged 16 and over in the MARAC's area", null=True, blank=True)
    adult_women_source = models.CharField("where the figure comes from", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "MARAC settings"
        verbose_name_plural = "MARAC settings"

    def __str__(self) -> str:
        return f"MARAC settings: {self.forum}"


class LocalAreaSettings(models.Model):
    """A local authority area's figures for the SafeLives capacity guides on the forum volumes page: women aged 16
    and over (about 40 MARAC cases a year per 10,000) and full-time IDVA posts (about 100 referrals a year each).
    Neither figure is guidance: each is the area's, with where it comes from; empty means no guide is drawn."""

    area = models.OneToOneField(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="local_oversight_settings",
        limit_choices_to={"kind": "local_authority"},
    )
    adult_women = models.PositiveIntegerField("women aged 16 and over in the area", null=True, blank=True)
    adult_women_source = models.CharField("where the figure comes from", max_length=200, blank=True)
    idva_posts = models.DecimalField(
        "full-time IDVA posts serving the area",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Full-time equivalents: two half-time posts are 1.0.",
    )
    idva_posts_source = models.CharField("where the posts figure comes from", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "local area settings"
        verbose_name_plural = "local area settings"

    def __str__(self) -> str:
        return f"Local area settings: {self.area}"


class FigureSnapshot(models.Model):
    """An area's published figures for a month or a quarter that has ended, as they were shown when it ended.

    Written once by the month-end background job (``oversight.services.snapshots``) and never changed: the
    constraint refuses a second snapshot of the same figures for the same period, and nothing updates one. The
    figures are stored already suppressed, exactly as an analyst was shown them (a "fewer than" keeps no value).
    """

    class Kind(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"

    DASHBOARD = "dashboard"  # ``what``: the PCC dashboard's rows for the period
    SAFELIVES = "safelives"  # ``what``: "safelives-<forum id>", a MARAC's SafeLives return for the quarter

    area = models.ForeignKey(
        "workforce.Area", on_delete=models.PROTECT, related_name="figure_snapshots", limit_choices_to={"kind": "mappa"}
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_end = models.DateField(help_text="The last day of the month or quarter the figures are for.")
    what = models.CharField(max_length=40, help_text="Which figures: the dashboard, or one MARAC's SafeLives return")
    figures = models.JSONField(help_text="The figures as shown, already suppressed: counts only, never a name")
    taken_at = models.DateTimeField()
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["area", "period_end", "kind", "what"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "period_end", "what"], name="one_figure_snapshot_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.period_end:%d %B %Y}: {self.what} (area {self.area_id})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("A figure snapshot is written once and never changed.")
        super().save(*args, **kwargs)
