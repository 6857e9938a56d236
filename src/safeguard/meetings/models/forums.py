"""Forums and the cases they hold.

A forum is configuration of an area: its type, cadence, member agencies, chair
requirements and (for a MARAC) its escalation rule and repeat definition.
Local practice changes these settings, never the tables. Partners see the
people on the open cases of the forums their agency sits on (access.policy).
"""

from django.db import models


def _marac_default(name: str):
    from safeguard.rules.marac import MaracSettings

    return getattr(MaracSettings(), name)


def _dash_default(name: str):
    from safeguard.rules.dash import DashSettings

    return getattr(DashSettings(), name)


class Forum(models.Model):
    class Kind(models.TextChoices):
        MAPPA_LEVEL_2 = "mappa_l2", "MAPPA Level 2"
        MAPPA_LEVEL_3 = "mappa_l3", "MAPPA Level 3"
        MARAC = "marac", "MARAC"
        MATAC = "matac", "MATAC"
        DAILY_TRIAGE = "triage", "Daily domestic-abuse triage"
        IOM = "iom", "IOM panel"

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    area = models.ForeignKey("workforce.Area", on_delete=models.PROTECT, related_name="forums")
    member_agencies = models.ManyToManyField("workforce.Agency", related_name="forums", blank=True)
    covers = models.ManyToManyField(
        "workforce.Area",
        related_name="covering_forums",
        blank=True,
        help_text="The local authority areas this forum hears cases for (none: the whole MAPPA area).",
    )
    coordinators = models.ManyToManyField(
        "workforce.Staff", related_name="coordinated_forums", blank=True, help_text="Told of referrals and links."
    )

    # Cadence (rules.cadence): when meetings are held.
    class Cadence(models.TextChoices):
        DAILY = "daily", "Every day (weekends too)"
        WEEKDAYS = "weekdays", "Every weekday"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        FOUR_WEEKLY = "four_weekly", "Every four weeks"
        MONTHLY = "monthly", "Monthly (the same weekday of the month)"

    cadence = models.CharField(max_length=12, choices=Cadence.choices, blank=True)
    first_meeting_on = models.DateField("cadence counted from", null=True, blank=True)
    meeting_time = models.TimeField("meetings start at", null=True, blank=True)
    meeting_minutes = models.PositiveSmallIntegerField("meetings last (minutes)", null=True, blank=True)
    meeting_place = models.CharField(max_length=200, blank=True)

    # Chair requirements: MAPPA levels take the area's chair rank for the level (AreaSettings);
    # any forum may also require courses (rules.competence course codes).
    chair_level = models.PositiveSmallIntegerField("chair must be eligible to chair MAPPA level", null=True, blank=True)
    chair_courses = models.JSONField("chair must also hold (course codes)", default=list, blank=True)
    confidentiality_statement = models.TextField(
        blank=True, help_text="Read at the start of every meeting and agreed by each attendee (old MAPPA D)."
    )
    action_reminder_days_before = models.PositiveSmallIntegerField(
        "remind action owners (days before the due date)",
        default=2,
        help_text="No guidance sets reminder times: Safeguard's default (rules.actions).",
    )
    action_escalate_days_overdue = models.PositiveSmallIntegerField(
        "escalate an open action to the chair (days after the due date)",
        default=7,
        help_text="No guidance sets escalation times: Safeguard's default (rules.actions).",
    )
    school_day_starts_at = models.TimeField(
        "Operation Encompass: school day starts at",
        null=True,
        blank=True,
        help_text="No statute sets a time; empty means 08:00, earlier than most schools open (rules.triage).",
    )
    non_school_days = models.JSONField(
        "Operation Encompass: non-school days (holidays, INSET)", default=list, blank=True
    )
    reopen_within_hours = models.PositiveSmallIntegerField(
        "a held meeting may be reopened within (hours)",
        null=True,
        blank=True,
        help_text="No guidance says: empty means 24 hours, Safeguard's choice (rules.reopening); 0: never.",
    )
    screening_target_days = models.PositiveSmallIntegerField(
        "screen referrals within (days)",
        null=True,
        blank=True,
        help_text="No national screening time exists: leave empty for none, or set the area's own.",
    )

    # A MARAC's own referral rules (SafeLives; local variants are settings of the MARAC).
    class RepeatDefinition(models.TextChoices):
        ANY_ABUSE = "any_abuse", "Any abuse between the same victim and perpetrator (current SafeLives)"
        CRIME = "crime", "A further crime (older crime-based definition)"

    escalation_events = models.PositiveSmallIntegerField(
        "potential escalation: events", default=_marac_default("escalation_events")
    )
    escalation_months = models.PositiveSmallIntegerField(
        "potential escalation: within (months)", default=_marac_default("escalation_months")
    )
    repeat_window_months = models.PositiveSmallIntegerField(
        "repeat: within (months) of the last referral", default=_marac_default("repeat_window_months")
    )
    repeat_definition = models.CharField(
        max_length=10, choices=RepeatDefinition.choices, default=_marac_default("repeat_definition")
    )
    dash_medium_from = models.PositiveSmallIntegerField(
        "DASH graded medium from (yes answers)", default=_dash_default("medium_from")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def reopen_hours(self) -> int:
        from safeguard.rules.reopening import REOPEN_WITHIN_HOURS

        return REOPEN_WITHIN_HOURS if self.reopen_within_hours is None else self.reopen_within_hours

    def marac_settings(self):
        from safeguard.rules.marac import MaracSettings

        return MaracSettings(
            escalation_events=self.escalation_events,
            escalation_months=self.escalation_months,
            repeat_window_months=self.repeat_window_months,
            repeat_definition=self.repeat_definition,
        )

    def dash_settings(self):
        from safeguard.rules.dash import DashSettings

        return DashSettings(medium_from=self.dash_medium_from)


class ForumCase(models.Model):
    """A person's case held by a forum; partners see the people on their forums' cases."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="forum_cases")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "closed_on"]),
            # My work's forum cases (web.my_work_forums), oldest first a page at a time: walked in this order
            # until a page is found, not every open case sorted.
            models.Index(
                fields=["opened_on", "id"], condition=models.Q(closed_on=None), name="forumcase_open_by_opened"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum} case"
