"""Forums and the cases they hold.

This issue keeps only what the access gate needs: which agencies sit on which
forum and which people's cases each forum holds. Meetings, agendas and
minutes build on these.
"""

from django.db import models


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


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
