"""The meeting quality audit (old MAPPA L): each item scored 4 (Excellent) to 1 (Poor), and a forum's audits.

The items and the scale are ``rules.meeting_audit`` (papers circulated, started on time, purpose stated,
confidentiality statement read, dissent recorded, victim and diversity issues addressed, the chair summarised
the risk of serious harm factors). The scores are kept on the meeting (``Meeting.quality_scores``) with who
audited it (``quality_audited_by``); an audit may be corrected (the form carries the meeting's version, and every
save is audited with the scores given).

Who audits: the guidance's form does not say. Safeguard lets those who run the meeting (its coordinator and its
chair, ``policy.may_run_meeting``) audit it, once it has been held.

A forum's audits: each audited meeting with its total, mean and lowest items, the mean of each item over the
audited meetings, and the mean over all of them. No guidance sets a pass mark, so none is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.services import save_record
from safeguard.audit.models import Operation
from safeguard.rules import meeting_audit
from safeguard.rules.working import RuleInputError

from ...models import Forum, Meeting

TENTH = Decimal("0.1")


def meeting_quality(meeting: Meeting) -> meeting_audit.Audit | None:
    """The meeting's audit as the rule scores it (None: not audited, or stored scores the rule refuses)."""
    if not meeting.quality_scores:
        return None
    try:
        return meeting_audit.score_meeting(meeting.quality_scores)
    except RuleInputError:
        return None


def record_quality_audit(
    ctx: AccessContext, meeting: Meeting, *, scores: Mapping[str, int], expected_version: int
) -> meeting_audit.Audit:
    """Score a held meeting against the audit's items (4 Excellent to 1 Poor); the coordinator or the chair."""
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            {"__all__": f"This meeting is {meeting.get_status_display().lower()}: audit it once it has been held."}
        )
    try:
        result = meeting_audit.score_meeting(dict(scores))
    except RuleInputError as err:
        field = err.field if err.field in meeting_audit.ITEMS else "__all__"
        raise ValidationError({field: err.message + "."}) from None
    meeting.quality_scores = dict(result.scores)
    meeting.quality_audited_by = ctx.user
    with transaction.atomic():
        save_record(
            ctx,
            meeting,
            expected_version=expected_version,
            detail={"quality_audit": dict(result.scores), "total": result.total, "mean": str(result.mean)},
        )
    return result


@dataclass(frozen=True)
class AuditedMeeting:
    meeting: Meeting
    audit: meeting_audit.Audit

    @property
    def lowest_labels(self) -> list[str]:
        return [meeting_audit.ITEMS[i] for i in self.audit.lowest]


@dataclass(frozen=True)
class ItemMean:
    label: str
    mean: Decimal


@dataclass(frozen=True)
class ForumQuality:
    forum: Forum
    meetings: list[AuditedMeeting]
    item_means: list[ItemMean]
    mean: Decimal | None
    not_audited: int  # held meetings not audited yet


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / len(values)).quantize(TENTH, rounding=ROUND_HALF_UP)


def forum_quality(ctx: AccessContext, forum: Forum) -> ForumQuality:
    """The forum's audited meetings with their scores, and the means over them (figures only, no case)."""
    gate.authorise(ctx, Operation.VIEW, forum, {"page": "meeting quality audits"})
    audited = []
    for meeting in (
        Meeting.objects.filter(forum=forum, quality_audited_by__isnull=False)
        .select_related("quality_audited_by", "forum")
        .order_by("-starts_at")
    ):
        audit = meeting_quality(meeting)
        if audit is not None:
            audited.append(AuditedMeeting(meeting, audit))
    not_audited = Meeting.objects.filter(
        forum=forum, status=Meeting.Status.HELD, quality_audited_by__isnull=True
    ).count()
    if not audited:
        return ForumQuality(forum, [], [], None, not_audited)
    item_means = [
        ItemMean(label, _mean([a.audit.scores[code] for a in audited])) for code, label in meeting_audit.ITEMS.items()
    ]
    overall = _mean([a.audit.scores[code] for a in audited for code in meeting_audit.ITEMS])
    return ForumQuality(forum, audited, item_means, overall, not_audited)
