"""What the forum pages share: fetching their records."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ..models import AgendaItem, Forum, Meeting

MEETING_RELATED = ("forum", "forum__area", "chair", "chair__agency")
ITEM_RELATED = ("meeting", "meeting__forum", "meeting__chair", "person", "nominal", "referral", "forum_case")


def forum_or_404(pk: int) -> Forum:
    return get_object_or_404(Forum.objects.select_related("area"), pk=pk)


def meeting_or_404(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related(*MEETING_RELATED), pk=pk)


def item_or_404(pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem.objects.select_related(*ITEM_RELATED), pk=pk)


def post_or_none(request):
    return request.POST if request.method == "POST" else None
