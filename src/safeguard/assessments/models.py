"""Assessments: versioned instruments and the assessments made with them.

An instrument's definition (questions, scoring, bands, source, edition) is
data: ``InstrumentVersion`` rows loaded from ``safeguard.rules.instruments``.
An assessment keeps the version it was made with, its answers, its result
(with the working) and who made it when. It is never recomputed: a later
definition is a new version, and a correction is a new assessment that says
which one it replaces.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class InstrumentCode(models.TextChoices):
    DASH = "dash", "DASH risk identification checklist"
    DASH_YP = "dash-yp", "DASH young people's version"
    DARA = "dara", "Domestic Abuse Risk Assessment (DARA)"
    RM2000 = "rm2000", "Risk Matrix 2000"
    ARMS = "arms", "Active Risk Management System (ARMS)"


class InstrumentVersion(models.Model):
    code = models.CharField(max_length=20, choices=InstrumentCode.choices)
    edition = models.CharField(max_length=40)
    name = models.CharField(max_length=160)
    source = models.CharField(max_length=300)
    status = models.CharField(max_length=20, help_text="confirmed, unconfirmed, local or safeguard")
    definition = models.JSONField()
    current = models.BooleanField(default=True, help_text="New assessments use the current version.")
    loaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code", "-loaded_at"]
        constraints = [models.UniqueConstraint(fields=["code", "edition"], name="instrument_edition_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition})"

    @classmethod
    def current_for(cls, code: str) -> InstrumentVersion:
        return cls.objects.filter(code=code, current=True).order_by("-loaded_at").first()


class Assessment(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assessments")
    nominal = models.ForeignKey(
        "offenders.Nominal", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    incident = models.ForeignKey(
        "events.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    instrument = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments")
    answers = models.JSONField()
    result = models.JSONField(help_text="The result and its working, as computed when it was made.")
    summary = models.CharField(max_length=120)
    grade = models.CharField(max_length=20, blank=True)
    refer_to_marac = models.BooleanField(default=False)
    assessed_on = models.DateField()
    assessor = models.ForeignKey("workforce.Staff", on_delete=models.PROTECT, related_name="+")
    assessor_agency = models.ForeignKey("workforce.Agency", null=True, on_delete=models.PROTECT, related_name="+")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["person", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.instrument.get_code_display()} on {self.assessed_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("An assessment is never changed; record a new one that replaces it.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": "The date of the assessment must be today or in the past."})
