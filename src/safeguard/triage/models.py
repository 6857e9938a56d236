"""Daily domestic-abuse triage (ODOC in the West Midlands; the Kirklees DRAMM pattern).

Every weekday the triage meeting takes the domestic-abuse incidents of the
previous 24 hours (72 on a Monday), gives each a red, amber or green grade (a
regrade needs a reason), a safety plan and outcomes: a MARAC referral, a
safeguarding referral, and an Operation Encompass notice to each child's school
before the start of the next school day.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Grade(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class TriageCase(models.Model):
    """One incident on one triage meeting (an incident is triaged once: the first meeting whose window holds it).

    While a case is being triaged its victim is on an open ForumCase of the triage forum, so that the
    partner agencies at the meeting see the person (access.policy); it closes once the meeting is held and
    the person's triage cases there are finished (graded, with an outcome). See triage.services.
    """

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="triage_cases")
    incident = models.OneToOneField("events.Incident", on_delete=models.PROTECT, related_name="triage")
    victim = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=5, choices=Grade.choices, blank=True)
    grade_reason = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    safety_plan = models.TextField(blank=True)
    marac_referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    safeguarding_referral_to = models.ForeignKey(
        "workforce.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    safeguarding_referral_note = models.TextField(blank=True)
    no_further_action_reason = models.TextField(blank=True)
    added_by_hand_reason = models.TextField(
        blank=True, help_text="Why the incident was added by hand (empty: loaded from the meeting's window)."
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "incident__occurred_at"]

    def __str__(self) -> str:
        return f"Triage case {self.pk}"


class GradeChange(models.Model):
    case = models.ForeignKey(TriageCase, on_delete=models.CASCADE, related_name="grade_changes")
    from_grade = models.CharField(max_length=5, choices=Grade.choices, blank=True)
    to_grade = models.CharField(max_length=5, choices=Grade.choices)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_grade or 'ungraded'} to {self.to_grade}"


class EncompassNotice(models.Model):
    """Operation Encompass (Victims and Prisoners Act 2024): the school told before the next school day.

    A notice with ``no_school_reason`` records that the child attends no school (nothing could be sent);
    its ``sent_at`` is when that was recorded.
    """

    case = models.ForeignKey(TriageCase, on_delete=models.CASCADE, related_name="encompass_notices")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    school = models.CharField(max_length=200, blank=True)
    no_school_reason = models.TextField(
        "why no school was told",
        blank=True,
        help_text="The child attends no school (home education, deferred entry): no notice can be sent.",
    )
    safeguarding_lead = models.CharField("designated safeguarding lead", max_length=160, blank=True)
    child_present = models.BooleanField(null=True)
    childs_voice = models.TextField("the child's voice", blank=True)
    circumstances = models.TextField(blank=True)
    due_by = models.DateTimeField(help_text="The start of the next school day after the incident.")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_at"]

    def __str__(self) -> str:
        return f"Operation Encompass notice {self.pk}"

    @property
    def in_time(self) -> bool:
        return self.sent_at <= self.due_by

    @property
    def told_school(self) -> bool:
        return not self.no_school_reason
