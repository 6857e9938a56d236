""" "A child in the household": the notice a notified change puts on "my work".

The 2012 Regulations (SI 2012/1876, made under SOA 2003 s.84(1)) require a
registered sex offender to notify, within 3 days, living or staying for 12
hours or more in a household where a child under 18 lives or stays. When such
a notification is recorded, the offender manager of each of the person's
active nominals is told on "my work", and, where the person's forum cases are
linked to a MARAC or a daily safeguarding triage case, that forum's
coordinators too, so that the child's safeguarding is considered.
"""

from __future__ import annotations

from django.db.models import Q

from safeguard.access.gate import AccessContext
from safeguard.actions.models import Prompt
from safeguard.actions.prompts import raise_prompt
from safeguard.events.models import Notification
from safeguard.meetings.models import Forum, ForumCase
from safeguard.referrals.models import CaseLink
from safeguard.referrals.services.facts import coordinators_of

from .models import Nominal

SAFEGUARDING_FORUMS = (Forum.Kind.MARAC, Forum.Kind.DAILY_TRIAGE)


def linked_safeguarding_forums(person_id: int) -> list[Forum]:
    """MARAC or triage forums whose cases are linked to one of this person's forum cases (either direction)."""
    own = ForumCase.objects.filter(person_id=person_id).values("pk")
    links = CaseLink.objects.filter(Q(from_case__in=own) | Q(to_case__in=own))
    other_cases = ForumCase.objects.filter(
        Q(pk__in=links.values("to_case")) | Q(pk__in=links.values("from_case")),
        forum__kind__in=SAFEGUARDING_FORUMS,
    ).exclude(person_id=person_id)
    return list(Forum.objects.filter(pk__in=other_cases.values("forum")).order_by("pk"))


def raise_child_in_household(ctx: AccessContext, notice: Notification) -> int:
    """Raise (or refresh) the notice for the offender managers and linked forums' coordinators; how many raised."""
    if notice.change != Notification.Change.CHILD_IN_HOUSEHOLD:
        return 0
    reasons = [
        f"Notified on {notice.notified_on:%d %b %Y}: living or staying for 12 hours or more in a household with a "
        f"child under 18 from {notice.event_on:%d %b %Y} (SI 2012/1876, SOA 2003 s.84(1))",
        "Consider the child's safeguarding: a home visit, a referral to children's services, the risk management plan.",
    ]
    nominals = Nominal.objects.filter(person_id=notice.person_id, status=Nominal.Status.ACTIVE).exclude(
        offender_manager=None
    )
    told: dict[int, tuple[object, Nominal | None]] = {}
    for nominal in nominals.select_related("offender_manager"):
        told.setdefault(nominal.offender_manager.pk, (nominal.offender_manager, nominal))
    first_nominal = next((n for _staff, n in told.values()), None)
    for forum in linked_safeguarding_forums(notice.person_id):
        for coordinator in coordinators_of(forum):
            told.setdefault(coordinator.pk, (coordinator, first_nominal))
    raised = 0
    for staff, nominal in told.values():
        _prompt, new = raise_prompt(
            ctx,
            kind=Prompt.Kind.CHILD_IN_HOUSEHOLD,
            assigned_to=staff,
            person=notice.person,
            reasons=reasons,
            nominal=nominal,
        )
        raised += new
    return raised
