"""Risk management plans (MAPPA Guidance ch.13a): the four pillars, contingency and licence conditions.

A plan is never edited in place: each save is a new version of the person's
plan (the latest is current), so a reader can see what the plan was at any
meeting.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RiskManagementPlan(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="risk_management_plans")
    nominal = models.ForeignKey(
        "offenders.Nominal", null=True, blank=True, on_delete=models.PROTECT, related_name="risk_management_plans"
    )
    forum = models.ForeignKey("meetings.Forum", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    supervision = models.TextField(blank=True)
    monitoring_and_control = models.TextField("monitoring and control", blank=True)
    interventions_and_treatment = models.TextField("interventions and treatment", blank=True)
    victim_safety = models.TextField("victim safety planning", blank=True)
    contingency = models.TextField("contingency plans", blank=True)
    licence_conditions = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "forum", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "forum", "version"], name="one_plan_version_per_forum")
        ]

    def __str__(self) -> str:
        return f"Risk management plan version {self.version}"
