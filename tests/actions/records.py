"""The actions, forums and prompts the actions tests use, built on the shared `world` fixture once per world.

- `marac_action`: on the victim's MARAC case, owned by `om` (police), due five days ago (overdue);
- `housing_action`: on the same case, owned by Northtown Housing with no named owner, due in three days;
- `mappa_action`: on the offender's MAPPA Level 2 case (police and probation only), owned by `om`,
  due in ten days; the Level 2 forum held a meeting last month chaired by `chair`;
- `prompt`: "consider a Category 3 referral" about the offender for `coordinator`.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from safeguard.actions.models import Action, Prompt
from safeguard.meetings.models import Forum, ForumCase, Meeting


def make_action(forum_case, owner_agency, due_on, *, owner=None, created_by, description=None, **fields) -> Action:
    """An action as a meeting records it, set a month before it is due (or earlier, for old ones)."""
    created = min(timezone.now(), timezone.make_aware(dt.datetime.combine(due_on, dt.time(10))) - dt.timedelta(30))
    return Action.objects.create(
        forum_id=forum_case.forum_id,
        forum_case=forum_case,
        person_id=forum_case.person_id,
        description=description or "Share the safety plan with the victim's GP and confirm receipt.",
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        created_by=created_by,
        created_at=created,
        **fields,
    )


def records(world) -> SimpleNamespace:
    found = getattr(world, "actions_records", None)
    if found is not None:
        return found
    today = timezone.localdate()
    users = world.users
    marac_case = ForumCase.objects.get(forum=world.marac, person=world.people.victim)
    level2 = Forum.objects.create(
        name="Fictional Shire MAPPA Level 2", kind=Forum.Kind.MAPPA_LEVEL_2, area=world.home["mappa"]
    )
    level2.member_agencies.set([world.police, world.probation])
    mappa_case = ForumCase.objects.create(
        forum=level2, person=world.people.offender, opened_on=today - dt.timedelta(60)
    )
    meeting = Meeting.objects.create(
        forum=level2,
        starts_at=timezone.now() - dt.timedelta(days=30),
        status=Meeting.Status.HELD,
        chair=users.chair,
    )
    marac_action = make_action(
        marac_case, world.police, today - dt.timedelta(days=5), owner=users.om, created_by=users.marac
    )
    housing_action = make_action(
        marac_case,
        world.housing,
        today + dt.timedelta(days=3),
        created_by=users.marac,
        description="Check the tenancy for a sanctuary scheme and report back.",
    )
    mappa_action = make_action(
        mappa_case,
        world.police,
        today + dt.timedelta(days=10),
        owner=users.om,
        created_by=users.coordinator,
        description="Home visit with the probation practitioner before the review.",
    )
    prompt = Prompt.objects.create(
        kind=Prompt.Kind.CATEGORY_3,
        assigned_to=users.coordinator,
        person=world.people.offender,
        nominal=world.nominals.mine,
        reasons=["A DASH graded high on a recent date (in the last 12 months)"],
    )
    world.actions_records = SimpleNamespace(
        marac_case=marac_case,
        level2=level2,
        mappa_case=mappa_case,
        meeting=meeting,
        marac_action=marac_action,
        housing_action=housing_action,
        mappa_action=mappa_action,
        prompt=prompt,
    )
    return world.actions_records
