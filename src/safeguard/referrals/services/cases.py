"""A forum's case for a person: opened when a referral is accepted (or a link needs one), reused while open."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum, ForumCase
from safeguard.people.models import Person


def open_forum_case(
    ctx: AccessContext, forum: Forum, person: Person, on: dt.date | None = None
) -> tuple[ForumCase, bool]:
    """The person's open case on the forum, or a new one; returns it and whether it is new.

    Called inside the transaction of the decision that needs it (the caller
    has passed the gate for that decision); opening is audited as part of it.
    """
    existing = ForumCase.objects.filter(forum=forum, person=person, closed_on=None).order_by("pk").first()
    if existing is not None:
        return existing, False
    case = ForumCase.objects.create(forum=forum, person=person, opened_on=on or timezone.localdate())
    gate.audit_allowed(ctx, Operation.CREATE, case, "forum case opened", {"forum": forum.pk})
    return case, True
