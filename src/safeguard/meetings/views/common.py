"""What the forum pages share: the querysets their records are loaded from (through the page layer)."""

from __future__ import annotations

from django.urls import reverse

from ..models import AgendaItem, Forum, Meeting

FORUMS = Forum.objects.select_related("area")
MEETINGS = Meeting.objects.select_related("forum", "forum__area", "chair", "chair__agency")
ITEMS = AgendaItem.objects.select_related(
    "meeting", "meeting__forum", "meeting__chair", "person", "nominal", "referral", "forum_case"
)


def to_item(item: AgendaItem) -> str:
    return reverse("meetings:item", kwargs={"pk": item.pk})


def to_meeting(meeting: Meeting) -> str:
    return reverse("meetings:meeting", kwargs={"pk": meeting.pk})
