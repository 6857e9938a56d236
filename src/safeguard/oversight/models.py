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

    @classmethod
    def for_area(cls, area_id: int) -> OversightSettings:
        """The area's settings, or the defaults (unsaved) where none are recorded."""
        return cls.objects.filter(area_id=area_id).first() or cls(area_id=area_id)
