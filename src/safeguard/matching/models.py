"""The matching model and the pairs of records it finds for a person to review.

A ``MatchModel`` is Splink's trained model for one MAPPA area (its settings with the learnt probabilities,
as versioned JSON with its training date): it holds no personal data. A ``CandidatePair`` is two person
records that may be one person: found by the model (with its match weight and the waterfall of what agreed
and what did not), or by the same identifier entered for a second person. A reviewer decides: the same
person, different people, or not sure, with a reason.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from safeguard.rules import matching as rules


class MatchModel(models.Model):
    area = models.ForeignKey("workforce.Area", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(help_text="1 for the area's first model, then one more each training.")
    trained_at = models.DateTimeField()
    records = models.PositiveIntegerField(help_text="Person records it was trained on.")
    threshold = models.FloatField(help_text="Pairs at or above this match probability go to review.")
    splink_version = models.CharField(max_length=20)
    model = models.JSONField(help_text="Splink's model: the comparisons with their learnt m and u probabilities.")

    class Meta:
        ordering = ["area", "-version"]
        constraints = [models.UniqueConstraint(fields=["area", "version"], name="one_match_model_version")]

    def __str__(self) -> str:
        return f"Matching model {self.version}, trained {self.trained_at:%d %B %Y}"


class CandidatePair(models.Model):
    class Source(models.TextChoices):
        MODEL = "model", "Found by the matching model"
        IDENTIFIER = "identifier", "The same identifier entered for two records"

    Status = rules.PairStatus

    area = models.ForeignKey("workforce.Area", on_delete=models.PROTECT, related_name="+")
    first = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    identifier_field = models.CharField(max_length=20, blank=True, help_text="The identifier entered twice.")
    held_identifier = models.CharField(
        max_length=20, blank=True, help_text="The value entered for the second record, added once reviewed."
    )
    match_model = models.ForeignKey(MatchModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    match_weight = models.FloatField(null=True, blank=True)
    match_probability = models.FloatField(null=True, blank=True)
    waterfall = models.JSONField(default=list, blank=True, help_text="What agreed and what did not, and by how much.")
    status = models.CharField(
        max_length=10, choices=rules.PairStatus.choices_list(), default=rules.PairStatus.OPEN.value
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["status", "-match_weight", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_pair_of_records"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="pair_in_order"),
        ]
        indexes = [models.Index(fields=["area", "status", "-match_weight"], name="pair_queue")]

    def __str__(self) -> str:
        return f"Possible match {self.pk}"

    @property
    def identifier_label(self) -> str:
        from safeguard.people.models import Person

        return str(Person._meta.get_field(self.identifier_field).verbose_name) if self.identifier_field else ""

    @property
    def is_open(self) -> bool:
        return self.status in rules.UNDECIDED


class PersonMerge(models.Model):
    """Two person records joined as one: what moved from the merged record to the kept one, so that an
    unmerge puts every part back exactly. The merged record stays (empty of its parts, its identifiers moved)
    and its page says where it went."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting", "Waiting for a second person (a legal hold)"
        MERGED = "merged", "Merged"
        UNMERGED = "unmerged", "Unmerged"

    kept = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(CandidatePair, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges")
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField()
    requested_by = models.ForeignKey("workforce.Staff", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        "workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    moves = models.JSONField(
        default=list, help_text="Each part moved: its kind, its id and the field that pointed at the merged record."
    )
    left = models.JSONField(
        default=list,
        help_text="Parts the kept record already had (the same role in the same incident, ...): not moved.",
    )
    filled = models.JSONField(
        default=dict, help_text="Fields of the kept record filled from the merged one, with what they held before."
    )
    taken = models.JSONField(
        default=dict, help_text="Identifiers taken from the merged record (they are unique), with their values."
    )
    unmerged_by = models.ForeignKey(
        "workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerge_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(kept=models.F("merged")), name="merge_two_records"),
        ]

    def __str__(self) -> str:
        return f"Merge {self.pk}"
