"""A background job: who started it, what it does, how far it has got, and how it ended.

A job holds no personal data: counts, a plain-words failure reason, the link to its result (a page that
goes through the gate again) and, for an export of counts only (the monthly pack), the file itself.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Kind(models.TextChoices):
        ACCEPT_ALL = "allocation_accept_all", "Accepting an allocation batch"
        MONTHLY_PACK = "monthly_pack", "The monthly pack of the area"
        CATEGORY3_SCAN = "category3_scan", "The Category 3 scan"
        FIGURE_SNAPSHOTS = "figure_snapshots", "The month-end snapshots of the published figures"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FINISHED = (Status.DONE, Status.FAILED)

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    # Where the starter worked when they started it: a supervisor of the team, or the MAPPA coordinator of
    # the area, may follow the job too (jobs.policies).
    team = models.ForeignKey("workforce.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("workforce.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(max_length=40, help_text="The starter's purpose, recorded with every audit event")
    params = models.JSONField(default=dict, blank=True, help_text="What the job works on: ids and dates only")
    unit = models.CharField(max_length=40, default="steps", help_text="What the progress counts, in the plural")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True, help_text="What the job did, in plain words")
    failure = models.CharField(max_length=500, blank=True, help_text="Why it failed, in plain words")
    result = models.JSONField(default=dict, blank=True, help_text="Counts and ids, never a name")
    result_url = models.CharField(max_length=300, blank=True)
    result_label = models.CharField(max_length=100, blank=True)
    output = models.BinaryField(null=True, blank=True, help_text="A file of counts only (the monthly pack)")
    output_name = models.CharField(max_length=100, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="jobs_job_starter_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (job {self.pk})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        """How far it has got, in whole per cent (100 once done; 0 while the total is not known)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, 100 * self.done // self.total)

    @property
    def percent_step(self) -> int:
        """The percentage rounded down to a step of 5, for the bar's width class (no inline style: strict CSP)."""
        return self.percent - self.percent % 5

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None
