"""Who may follow a background job (access.registry).

A job holds no personal data (counts, a plain-words failure, a link to its result, which goes through the
gate again), but who started what, and when, is about members of staff. So a job is seen by whoever
started it; by a supervisor of the team the starter was in when they started it (they answer for the
team's allocations); and by the MAPPA coordinator of that area, in a Responsible Authority (they answer
for the area's). Nobody changes a job: its worker writes its progress and its end. A member of staff
creates only their own jobs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import NOBODY, Decision, in_responsible_authority, roles_of
from safeguard.access.registry import Policy, register
from safeguard.workforce.models import Role

from .models import Job


def _supervisor_team(user: Any) -> int | None:
    return user.team_id if Role.SUPERVISOR in roles_of(user) and user.team_id else None


def _coordinated_area(user: Any) -> int | None:
    if Role.MAPPA_COORDINATOR in roles_of(user) and in_responsible_authority(user):
        return user.mappa_area_id
    return None


def may_follow(user: Any, job: Job) -> Decision:
    if job.started_by_id == user.pk:
        return Decision(True, "who started it")
    team = _supervisor_team(user)
    if team is not None and job.team_id == team:
        return Decision(True, "supervisor of the starter's team")
    area = _coordinated_area(user)
    if area is not None and job.area_id == area:
        return Decision(True, "MAPPA coordinator of the starter's area")
    return Decision(False, "not their job")


def followed(user: Any) -> Q:
    scope = Q(started_by_id=user.pk)
    team = _supervisor_team(user)
    if team is not None:
        scope |= Q(team_id=team)
    area = _coordinated_area(user)
    if area is not None:
        scope |= Q(area_id=area)
    return scope


class JobPolicy(Policy):
    def may_read(self, user: Any, record: Job) -> Decision:
        return may_follow(user, record)

    def readable(self, user: Any) -> Q:
        return followed(user)

    def may_change(self, user: Any, record: Job) -> Decision:
        return Decision(False, "a job is changed by its worker only")

    def changeable(self, user: Any) -> Q:
        return NOBODY

    def may_create(self, user: Any, record: Job) -> Decision:
        if record.started_by_id == user.pk:
            return Decision(True, "their own job")
        return Decision(False, "a job is started by the one who asks for it")

    def creatable(self, user: Any) -> Q:
        return Q(started_by_id=user.pk)


register({Job: JobPolicy()})
