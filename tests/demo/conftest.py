"""A demo world generated once for a module whose tests only read it (or whose changes each test's own
transaction rolls back), as ``module_world`` holds the small world: generating is the slow part."""

from __future__ import annotations

from django.db import transaction

from safeguard.demo import world


def held_world(django_db_blocker, **arguments):
    """Generate a world in a transaction of its own; yield what ``world.generate`` made; roll it all back after.
    A module's fixture yields from this (scope "module"), and its tests ask for ``db`` beside it, so that each
    test runs in a savepoint inside the module's transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world.generate(**arguments)
        transaction.set_rollback(True)
