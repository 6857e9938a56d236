"""Allocation batches: the recommendation for each nominal, and the supervisor's decision on it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AllocationBatch(models.Model):
    class Status(models.TextChoices):
        RECOMMENDED = "recommended", "Recommended, waiting for decisions"
        INFEASIBLE = "infeasible", "No allocation possible"
        DECIDED = "decided", "Decided"

    area = models.ForeignKey("workforce.Area", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("workforce.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECOMMENDED)
    method = models.CharField(max_length=40, blank=True)
    proven_optimal = models.BooleanField(default=False)
    gap = models.FloatField(null=True, blank=True)
    objective = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    working = models.JSONField(default=list, blank=True)
    infeasible_reasons = models.JSONField(default=list, blank=True)
    # What the batch page shows beside the recommendations, fixed when the batch is worked out: what was asked,
    # each officer's caseload before and after, the least-loaded rule's figures (services.allocation).
    figures = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "allocation batches"

    def __str__(self) -> str:
        return f"Allocation batch {self.pk}: {self.description}"


class AllocationRecommendation(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        OVERRIDDEN = "overridden", "Overridden"

    batch = models.ForeignKey(AllocationBatch, on_delete=models.CASCADE, related_name="recommendations")
    nominal = models.ForeignKey("offenders.Nominal", on_delete=models.PROTECT, related_name="+")
    previous_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommended_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    allocated_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "nominal"], name="one_recommendation_per_nominal")]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} in batch {self.batch_id}"
