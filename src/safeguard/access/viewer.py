"""What the access rules read of a member of staff, as plain values: so that a query the gate scopes can have its
SQL written once a kind of viewer (``safeguard.prepared``) instead of once a request.

The rules (``access.policy`` and each app's ``policies``) read of the member of staff: their pk, roles, whether
active, their agency (its id and its kind: a Responsible Authority or not), their MAPPA area (its id, and its local
areas, read once a request), their team, and the forums they coordinate (a subquery on their pk). ``facts(user)``
gives these as

- a *key*: what changes the scope's SQL text (the roles, in order, whether active, the agency's kind, which of
  the ids are missing), passed to a ``PreparedQuery`` as its ``key``;
- *arguments*: what changes only its parameters (the pk, the agency, team and MAPPA area's ids, the local areas'),
  passed as arguments;

and ``stand_in(key, **arguments)`` makes a member of staff, in memory, that the rules read exactly as they read the
real one, without reading the database. A builder scopes its queryset with ``gate.scoped(stand_in(...), ...)``
inside ``remembering(...)``, so that the gate stays the only place a scope is written.

tests/access/test_viewer.py checks, for every registered kind of record, every member of staff of the test world
(and members of staff Hypothesis varies) and every operation, that the gate's scope for the stand-in is the same
SQL with the same parameters as for the real member of staff, and that building it reads nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from safeguard.workforce.models import Agency, Area, Staff

from . import policy

Key = tuple[tuple[str, ...], bool, str, bool]


def facts(user: Any) -> tuple[Key, dict[str, Any]] | None:
    """The key and arguments of a signed-in member of staff of an agency in a MAPPA area (None for anyone else:
    their scopes are left to the ORM, request by request)."""
    if not getattr(user, "is_authenticated", False) or user.agency_id is None:
        return None
    mappa = user.mappa_area_id
    if mappa is None:
        return None
    key: Key = (tuple(user.roles or ()), bool(user.is_active), str(user.agency.kind), user.team_id is None)
    arguments = {
        "viewer": user.pk,
        "agency": user.agency_id,
        "team": user.team_id,
        "area": mappa,
        "local_areas": policy.local_area_ids(user),
    }
    return key, arguments


def stand_in(key: Key, *, viewer: int, agency: int, team: int | None, area: int, local_areas: list[int]) -> Staff:
    """A member of staff in memory whom the rules read as the one ``facts`` was given (never saved)."""
    roles, active, kind, _ = key
    staff = Staff(pk=viewer, roles=list(roles), is_active=active, team_id=team)
    staff.agency = Agency(pk=agency, kind=kind, area=Area(pk=area, kind=Area.Kind.MAPPA))
    return staff


@contextmanager
def standing_in(key: Key, **arguments: Any) -> Iterator[Staff]:
    """The stand-in, with its MAPPA area's local areas taken as read while the block builds its scopes."""
    with policy.remembering({arguments["area"]: list(arguments["local_areas"])}):
        yield stand_in(key, **arguments)
