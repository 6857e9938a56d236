"""Multi-agency actions, and the prompts ("tasks") Safeguard raises for a person to decide on.

An action comes from a meeting (an agenda item) or a risk management plan; it
has an owner agency and, where known, an owner; a due date; a status; the
evidence of completion; and, on a MATAC case, the tactic it is part of
(``tactics``). Overdue actions land on the owner's "my work", are reminded and
escalated to the chair by a background task, and roll onto the next agenda of
the forum while open.

A prompt is work Safeguard raises for a named member of staff: "consider a
Category 3 referral" (Recommendation 14), "a case of yours is linked to another
forum's case" (reciprocal links). It is closed by recording a decision, either way.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .tactics import Tactic


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    forum = models.ForeignKey("meetings.Forum", on_delete=models.PROTECT, related_name="actions")
    forum_case = models.ForeignKey("meetings.ForumCase", on_delete=models.PROTECT, related_name="actions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    plan = models.ForeignKey(
        "meetings.RiskManagementPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    rationale = models.TextField(blank=True)
    # The MATAC tactic the action is part of (actions.tactics): required when an action is set on a MATAC case,
    # empty on every other forum's actions and on MATAC actions set before it was recorded ("not recorded").
    tactic = models.CharField(max_length=12, choices=Tactic.choices, blank=True)
    owner_agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    completion_evidence = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_on = models.DateField(null=True, blank=True)
    escalated_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Who changed what and why (a reassignment, a new due date, a cancellation): the action page's history.
    # The chasing dates are set by the daily task in bulk and are not a person's change: kept out.
    history = HistoricalRecords(excluded_fields=["reminded_on", "escalated_on"])

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["owner_agency", "status", "due_on"]),
            models.Index(fields=["forum_case", "status"]),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    def move_to(self, to_status: str) -> None:
        """Change the status, as ``NEXT_STATUS`` allows; complete and cancelled are final."""
        if to_status not in NEXT_STATUS[self.status]:
            label = self.Status(to_status).label.lower()
            raise ValidationError(
                {"__all__": f"This action is {self.get_status_display().lower()}: it cannot become {label}."}
            )
        self.status = to_status

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


# What each status may become; complete and cancelled are final (a new action is recorded instead).
NEXT_STATUS = {
    Action.Status.OPEN: {Action.Status.IN_PROGRESS, Action.Status.COMPLETE, Action.Status.CANCELLED},
    Action.Status.IN_PROGRESS: {Action.Status.COMPLETE, Action.Status.CANCELLED},
    Action.Status.COMPLETE: set(),
    Action.Status.CANCELLED: set(),
}


class Prompt(models.Model):
    class Kind(models.TextChoices):
        CATEGORY_3 = "category3", "Consider a Category 3 referral"
        LINKED_CASE = "linked_case", "A case is linked to another forum's case"
        ACTION_ESCALATED = "action_escalated", "An action is overdue and escalated to you"
        CHILD_IN_HOUSEHOLD = "child_household", "A registered sex offender notified living with a child"
        RELEVANT_NOTIFICATION = "relevant_notice", "Record the first notification after release"
        RIGHT_TO_KNOW = "right_to_know", "Consider a Clare's Law Right to Know disclosure"

    class Decision(models.TextChoices):
        REFERRED = "referred", "Referred"
        NOT_REFERRED = "not_referred", "Decided not to refer"
        NOTED = "noted", "Noted"
        CONSIDERED = "considered", "Disclosure to be considered"
        NOT_NEEDED = "not_needed", "Disclosure not needed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prompts")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="prompts")
    nominal = models.ForeignKey("offenders.Nominal", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.PROTECT, related_name="prompts")
    link = models.ForeignKey("referrals.CaseLink", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list, blank=True)
    # The new partner a Right to Know prompt is about: one prompt per person, partner and member of staff, ever.
    partner = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=14, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="prompts"
    )

    class Meta:
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "closed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "assigned_to", "person"],
                condition=models.Q(closed_on=None) & ~models.Q(kind="right_to_know"),
                name="one_open_prompt_per_kind_person",
            ),
            models.UniqueConstraint(
                fields=["assigned_to", "person", "partner"],
                condition=models.Q(kind="right_to_know"),
                name="one_right_to_know_prompt_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
