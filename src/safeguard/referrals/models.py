"""Referrals into the forums (MAPPA, MARAC, MATAC, IOM), each a state machine with a recorded decision.

The states and the transitions allowed between them are the pure rule
``safeguard.rules.referrals``; this module holds the records. Every transition
is kept (``ReferralTransition``: from, to, who, when, why) and audited by the
gate. A referral is about one person (the MAPPA or IOM offender, the MARAC
victim, the MATAC perpetrator); a MARAC referral also names the perpetrators.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Referral(models.Model):
    class Kind(models.TextChoices):
        MAPPA = "mappa", "MAPPA referral (Level 2 or 3)"
        MARAC = "marac", "MARAC referral"
        MATAC = "matac", "MATAC nomination"
        IOM = "iom", "IOM cohort selection"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        SCREENING = "screening", "Screening"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LISTED = "listed", "Listed for a meeting"

    class MatacSource(models.TextChoices):
        RANKING = "ranking", "RFG ranking"
        PARTNER = "partner", "Partner referral"

    class IomCohort(models.TextChoices):
        FIXED = "fixed", "Fixed (national criteria)"
        FLEX = "flex", "Flex (local priorities)"
        FREE = "free", "Free (discretionary)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    forum = models.ForeignKey("meetings.Forum", on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    nominal = models.ForeignKey(
        "offenders.Nominal", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    referring_agency = models.ForeignKey("workforce.Agency", on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_since = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_rationale = models.TextField(blank=True)
    reason = models.TextField("reason for referral", blank=True)
    risk_summary = models.TextField(blank=True)

    # MAPPA (old MAPPA A): category and the level sought; screening sets the level.
    mappa_category = models.CharField(max_length=3, blank=True)
    level_sought = models.PositiveSmallIntegerField(null=True, blank=True)
    level_set = models.PositiveSmallIntegerField(null=True, blank=True)

    # MARAC (SafeLives referral form).
    dash = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="marac_referrals"
    )
    criteria_met = models.JSONField(default=list, blank=True)
    criteria_working = models.JSONField(default=list, blank=True)
    professional_judgement_reason = models.TextField(blank=True)
    perpetrators = models.ManyToManyField("people.Person", blank=True, related_name="marac_referrals_as_perpetrator")
    victim_aware = models.BooleanField(null=True)
    victim_consents = models.BooleanField(null=True)
    no_consent_reason = models.TextField(blank=True)
    children = models.JSONField(default=list, blank=True, help_text="Each child: date of birth, relationship, school.")
    feared = models.TextField("whom the victim fears", blank=True)
    safe_contact = models.CharField("safe contact number and whether safe to call", max_length=200, blank=True)
    is_repeat = models.BooleanField(default=False)
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats")
    incident_date = models.DateField(null=True, blank=True)

    # MATAC: the RFG score at nomination.
    matac_source = models.CharField(max_length=10, choices=MatacSource.choices, blank=True)
    rfg_score = models.PositiveIntegerField(null=True, blank=True)
    rfg_working = models.JSONField(default=list, blank=True)

    # IOM: cohort, and de-selection.
    iom_cohort = models.CharField(max_length=10, choices=IomCohort.choices, blank=True)
    deselected_on = models.DateField(null=True, blank=True)
    deselection_reason = models.TextField(blank=True)

    forum_case = models.ForeignKey(
        "meetings.ForumCase", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["forum", "status"]),
            models.Index(fields=["person", "kind", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class ReferralTransition(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Referral.Status.choices)
    to_status = models.CharField(max_length=10, choices=Referral.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} to {self.to_status}"


class CaseLink(models.Model):
    """Two forums' cases about the same harm, linked (MARAC perpetrator who is a MAPPA nominal, and the reverse)."""

    class Reason(models.TextChoices):
        MARAC_PERPETRATOR_IS_NOMINAL = "marac_perp_nominal", "The MARAC case's perpetrator is a MAPPA nominal"
        NOMINAL_VICTIM_AT_MARAC = "nominal_victim_marac", "A MAPPA nominal's victim is heard at MARAC"
        MATAC_SUBJECT_IS_NOMINAL = "matac_nominal", "The MATAC subject is a MAPPA nominal"

    from_case = models.ForeignKey("meetings.ForumCase", on_delete=models.PROTECT, related_name="links_out")
    to_case = models.ForeignKey("meetings.ForumCase", on_delete=models.PROTECT, related_name="links_in")
    reason = models.CharField(max_length=24, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_case", "to_case"], name="one_link_per_pair")]

    def __str__(self) -> str:
        return self.get_reason_display()
