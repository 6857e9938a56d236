"""Forums and the cases they hold.

This issue keeps only what the access gate needs: which agencies sit on which
forum and which people's cases each forum holds. Meetings, agendas and
minutes build on these.
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
        indexes = [models.Index(fields=["person", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.forum} case"
