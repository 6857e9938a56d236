"""The policy registry: one policy per record kind, the one-record rule and the many-record scope side by side.

Each app declares the policies of its own models in ``<app>/policies.py`` and registers them here
(``register({Model: Policy()})``); the access app loads every app's ``policies`` module when Django starts.
The gate knows no app's models by name: it asks ``policy_for(type(record))``.

A policy answers two questions with one rule, so that a page and a list cannot disagree:

- ``may(user, operation, record)``: may this user do this to this one record (a ``Decision`` with its reason);
- ``scope(user, queryset, operation)``: which of these records may this user do this to (one query).

``tests/access/test_registry.py`` checks, for every registered kind, every role and every operation, that a
record is in the scope exactly when ``may`` allows it, and that no model holding personal or case data is
left without a policy.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from safeguard.audit.models import Operation

from .policy import Decision

READS = frozenset({Operation.VIEW, Operation.SEARCH, Operation.EXPORT})
NOBODY = Q(pk__in=[])


class Policy:
    """A record kind's rule. Reads share one rule; a create is decided by its own rule (by default the change
    rule); every other operation (change, disclose) by the change rule. Subclasses write the three pairs."""

    def may(self, user: Any, operation: str, record: Any) -> Decision:
        if operation in READS:
            return self.may_read(user, record)
        if operation == Operation.CREATE:
            return self.may_create(user, record)
        return self.may_change(user, record)

    def where(self, user: Any, operation: str) -> Q:
        """The rule as a filter on this policy's model."""
        if operation in READS:
            return self.readable(user)
        if operation == Operation.CREATE:
            return self.creatable(user)
        return self.changeable(user)

    def scope(self, user: Any, queryset: QuerySet[Any], operation: str = Operation.VIEW) -> QuerySet[Any]:
        return queryset.filter(self.where(user, operation))

    # What a subclass writes: each rule on one record beside the same rule as a filter.

    def may_read(self, user: Any, record: Any) -> Decision:
        return Decision(False, "no rule for reading this kind of record")

    def readable(self, user: Any) -> Q:
        return NOBODY

    def may_change(self, user: Any, record: Any) -> Decision:
        return Decision(False, "no rule for changing this kind of record")

    def changeable(self, user: Any) -> Q:
        return NOBODY

    def may_create(self, user: Any, record: Any) -> Decision:
        return self.may_change(user, record)

    def creatable(self, user: Any) -> Q:
        return self.changeable(user)


class PartOf(Policy):
    """A record decided as the record it belongs to: read as the owner is read; created or changed as the
    owner is changed (adding an address changes the person). ``reads_only`` decides every operation by the
    owner's read rule (a record of what happened, such as a referral's transitions)."""

    def __init__(self, owner: type[Model], via: str, *, reads_only: bool = False) -> None:
        self.owner, self.via, self.reads_only = owner, via, reads_only

    def _owner_operation(self, operation: str) -> str:
        if self.reads_only or operation in READS:
            return Operation.VIEW
        return Operation.CHANGE

    def may(self, user: Any, operation: str, record: Any) -> Decision:
        return policy_for(self.owner).may(user, self._owner_operation(operation), getattr(record, self.via))

    def where(self, user: Any, operation: str) -> Q:
        return within(self.owner, self.via, user, self._owner_operation(operation))


def within(owner: type[Model], via: str, user: Any, operation: str) -> Q:
    """Records whose ``via`` is one of the owner records the user may do this to (a subquery, not a join)."""
    owners = owner._default_manager.filter(policy_for(owner).where(user, operation))
    return Q(**{f"{via}__in": owners.values("pk")})


_REGISTRY: dict[type[Model], Policy] = {}


def register(policies: dict[type[Model], Policy]) -> None:
    for model, policy in policies.items():
        if model in _REGISTRY and _REGISTRY[model] is not policy:
            raise ValueError(f"{model._meta.label} already has a policy")
        _REGISTRY[model] = policy


def policy_for(model: type[Model]) -> Policy:
    """The registered policy of a model (KeyError when it has none: the gate then refuses)."""
    return _REGISTRY[model._meta.concrete_model or model]


def find(model: type[Model]) -> Policy | None:
    concrete = model._meta.concrete_model or model
    return _REGISTRY.get(concrete)


def registered() -> dict[type[Model], Policy]:
    return dict(_REGISTRY)
