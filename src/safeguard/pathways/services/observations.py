"""Peer observation of a meeting: a pair records structured feedback beside the quality audit, shares it with
the chair, and the coordinators read its themes across the forum's meetings (``rules.peer_observation``)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum, Meeting
from safeguard.rules import peer_observation as form_rule
from safeguard.rules.working import RuleInputError

from ..models import PeerObservation


def record_observation(
    ctx: AccessContext,
    meeting: Meeting,
    *,
    first_observer,
    second_observer,
    ratings: Mapping[str, str],
    strengths: str,
    development: str,
    themes: list[str],
) -> PeerObservation:
    """The pair's feedback on a held meeting; the meeting's own chair is not one of its observers."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError({"__all__": "Record the observation once the meeting has been held."})
    if first_observer == second_observer:
        raise ValidationError({"second_observer": "Choose a second observer who is not the first."})
    if meeting.chair_id in (first_observer.pk, second_observer.pk):
        raise ValidationError({"first_observer": "The chair of the meeting cannot observe it: choose two peers."})
    try:
        form_rule.check_form(ratings, themes)
    except RuleInputError as err:
        raise ValidationError({err.field: err.message + "."}) from None
    return save_record(
        ctx,
        PeerObservation(
            meeting=meeting,
            first_observer=first_observer,
            second_observer=second_observer,
            ratings=dict(ratings),
            strengths=strengths.strip(),
            development=development.strip(),
            themes=list(themes),
            recorded_by=ctx.user,
        ),
        reason="Peer observation recorded",
        detail={"meeting": meeting.pk},
    )


def share_with_chair(ctx: AccessContext, observation: PeerObservation, *, expected_version: int) -> PeerObservation:
    with gate.changing(ctx, PeerObservation, observation.pk, expected_version, detail={"shared": "chair"}) as change:
        if change.record.shared_with_chair_on:
            raise ValidationError({"__all__": "The observation has already been shared with the chair."})
        change.record.shared_with_chair_on = timezone.localdate()
        change.save("Shared with the chair")
    return change.record


def forum_themes(ctx: AccessContext, forum: Forum) -> tuple[form_rule.Summary, list[PeerObservation]]:
    """The themes of the forum's observations the user may read (a list event names them)."""
    seen = list(gate.scoped(ctx.user, PeerObservation.objects.filter(meeting__forum=forum)).select_related("meeting"))
    gate.audit_list(ctx, Operation.VIEW, PeerObservation, [o.pk for o in seen], {"page": "observation themes"})
    return form_rule.summarise((o.ratings, o.themes) for o in seen), seen


def for_chair(user):
    """Observations shared with the user as the chair of the meeting observed, newest first."""
    return (
        PeerObservation.objects.filter(meeting__chair_id=user.pk, shared_with_chair_on__isnull=False)
        .select_related("meeting__forum")
        .order_by("-shared_with_chair_on", "-pk")
    )
