"""Month-end caseload figures, kept so that the trend can be shown month by month.

The figures of the current month are always worked out live from the nominals
(``safeguard.workforce.figures``); a snapshot is what that gave at the end of
a month, taken by the monthly task (``workforce.tasks.take_caseload_snapshots``).
"""

from django.conf import settings
from django.db import models


class CaseloadSnapshot(models.Model):
    month = models.DateField(help_text="The first day of the month the figures are for.")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="caseload_snapshots")
    team = models.ForeignKey("workforce.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey("workforce.Area", on_delete=models.PROTECT, related_name="+")
    cases = models.PositiveIntegerField()
    weighted_units = models.DecimalField(max_digits=9, decimal_places=2)
    high_risk_cases = models.PositiveIntegerField()
    community_cases = models.PositiveIntegerField()
    custody_cases = models.PositiveIntegerField()
    approved_premises_cases = models.PositiveIntegerField()
    level_2_3_cases = models.PositiveIntegerField()
    over_ratio = models.BooleanField()
    over_high_risk_cap = models.BooleanField()
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["month", "officer"], name="one_snapshot_per_officer_month")]
        indexes = [models.Index(fields=["area", "month"]), models.Index(fields=["team", "month"])]

    def __str__(self) -> str:
        return f"Caseload of officer {self.officer_id} for {self.month:%B %Y}"
