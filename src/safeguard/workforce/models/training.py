"""Training records: the course catalogue, completions, waiting lists, places offered, buddies.

What the records allow (who may hold Level 2/3 nominals, complete ARMS, chair
which level) is worked out by ``safeguard.rules.competence`` from these rows,
never stored: see ``safeguard.workforce.competence``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _course_choices():
    from safeguard.rules.competence import COURSES

    return list(COURSES.items())


class Course(models.Model):
    """One course of the catalogue. Codes are the rules' (rules.competence.COURSES); loaded on migrate."""

    code = models.CharField(max_length=40, unique=True, choices=_course_choices)
    name = models.CharField(max_length=160)
    audience = models.CharField("who takes it", max_length=240, blank=True)
    provider = models.CharField("delivered by", max_length=160, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingCompletion(models.Model):
    """A member of staff completed a course. ``expires_on`` is the first day it no longer counts."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField("completed on")
    expires_on = models.DateField(
        "no longer valid from",
        null=True,
        blank=True,
        help_text="Leave empty to use the area's refresh period for the course (none: it does not expire).",
    )
    evidence = models.CharField("certificate or evidence", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions_recorded"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["staff", "course"])]

    def __str__(self) -> str:
        return f"{self.course} completed on {self.completed_on:%-d %B %Y}"

    def clean(self) -> None:
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "The date completed must be today or in the past."})
        if self.completed_on and self.expires_on and self.expires_on <= self.completed_on:
            raise ValidationError({"expires_on": "The date it stops counting must be after the date completed."})


class CoursePlace(models.Model):
    """Places on a course run, offered by this force or another one."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="places")
    offered_by = models.CharField(
        "offered by", max_length=160, help_text="This force, or the force or body offering the places."
    )
    starts_on = models.DateField("course starts on")
    places = models.PositiveSmallIntegerField("number of places")
    area = models.ForeignKey(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="course_places",
        limit_choices_to={"kind": "mappa"},
        help_text="The MAPPA area whose waiting lists these places serve.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.course} from {self.starts_on:%-d %B %Y} ({self.offered_by})"

    def clean(self) -> None:
        if self.places is not None and self.places < 1:
            raise ValidationError({"places": "Enter at least 1 place."})


class WaitingListEntry(models.Model):
    """A member of staff waiting for a course; a place may be offered to them, then taken up or declined."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Place offered"
        BOOKED = "booked", "Place booked"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.WAITING, Status.OFFERED, Status.BOOKED)

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="waiting_lists")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="waiting_list")
    joined_on = models.DateField("on the list since", default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    place = models.ForeignKey(CoursePlace, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    note = models.CharField(max_length=200, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["joined_on", "pk"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course"],
                condition=Q(status__in=["waiting", "offered", "booked"]),
                name="one_open_waiting_entry_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"Waiting for {self.course} since {self.joined_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Buddy(models.Model):
    """A new joiner (or an officer whose course has lapsed) works with an experienced buddy until trained."""

    new_joiner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buddied_by")
    buddy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="buddy_for")
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on"]
        verbose_name_plural = "buddies"
        constraints = [
            models.CheckConstraint(condition=~Q(new_joiner=models.F("buddy")), name="buddy_is_someone_else"),
            models.UniqueConstraint(
                fields=["new_joiner"], condition=Q(ended_on=None), name="one_current_buddy_per_joiner"
            ),
        ]

    def __str__(self) -> str:
        return f"Buddy from {self.started_on:%-d %B %Y}"
