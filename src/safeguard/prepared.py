"""Querysets whose SQL is written once a process: ``PreparedQuery``.

Django's ORM builds a query's SQL afresh on every request (the lookups resolved, the joins, the columns and the
ordering worked out, the SQL written): on the load mix's pages that is about a quarter of Django's CPU, several
times what sending the query and reading its rows cost. ``accounts.rows.Statement`` writes one-row reads by
hand; a ``PreparedQuery`` keeps the ORM's own SQL instead, for any queryset a builder function makes:

    CONVICTIONS = PreparedQuery("findings.convictions", Conviction,
                                lambda person_id: Conviction.objects.filter(person_id=person_id).values(...))
    rows = list(CONVICTIONS(person_id=person.pk))

The first call for a *shape* builds the queryset and compiles it (``get_compiler(using).as_sql()``), then builds
it again once an argument with a different value of the same type (a probe) and compares the parameters: the
positions each argument fills are those that change when it does, and how its value becomes the parameter
(as given, an enum's value, a model instance's pk, the backend's date/datetime/time/decimal adaptation) is the
one that reproduces the ORM's parameter for both the real and the probe value. Anything else refuses the shape
for good, and every call of it is the ORM's, as if there were no cache: the SQL text changing with a value, a
position changed by two arguments or by none that changes (a clock read inside the builder), a parameter no
known preparation reproduces, an empty ``__in`` list, an argument of a type with no probe.

The shape is everything that changes the SQL's text: the database alias and vendor, each argument's type and
whether it is None, a list's (distinct) length, and ``key``, which the caller passes for any input the builder
branches on that is not an argument (the user's roles, a limit); ``PreparedQuery(..., keyed=True)`` gives the
key to the builder as its first argument (``build(key, **arguments)``). A builder must be a pure function of its
arguments and that key: no clock, no settings, no state read inside it.

Later calls build nothing: the queryset returned has the kept query and a compiler that answers ``as_sql()``
with the kept SQL and this call's parameters, so Django's own iterables (``ModelIterable``, ``ValuesIterable``,
...) make its rows as the ORM does: model instances, ``select_related``, ``values()``, annotations, the
converters, ``prefetch_related`` (whose queries the ORM builds as ever). That queryset can be iterated (or
``list``-ed, ``len``-ed, tested for truth) but not narrowed further: a ``filter``, slice, ``count`` or
``exists`` on it raises, as they would otherwise need the query rebuilt.

``SAFEGUARD_PREPARED_QUERIES`` (on by default) turns the cache off: every call is the ORM's.
``SAFEGUARD_PREPARED_QUERIES_CHECK`` (on in the tests) builds the ORM's queryset on every cached call as well and
raises ``PreparedQueryMismatch`` naming the query unless its SQL and parameters are the kept SQL and this call's
re-bound parameters, exactly (types too).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import threading
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql import Query

__all__ = ["PreparedQuery", "PreparedQueryMismatch", "count_of"]

# The shapes one prepared query keeps (lists of many lengths, say): past this, a new shape is the ORM's each call.
MAX_SHAPES = 64


class PreparedQueryMismatch(AssertionError):
    """A cached query's SQL or parameters differ from the ORM's (check mode)."""


class _Refused(Exception):
    """This shape is not cached: every call of it is the ORM's."""


# How an argument's value becomes its parameter: tried in this order, the first that reproduces the ORM's parameter
# (value and type) for the real and the probe value is kept.
def _preparations(connection) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    ops = connection.ops
    return (
        ("as given", lambda value: value),
        ("enum value", lambda value: value.value),
        ("pk", lambda value: value.pk),
        ("date", ops.adapt_datefield_value),
        ("datetime", ops.adapt_datetimefield_value),
        ("time", ops.adapt_timefield_value),
        ("decimal", lambda value: ops.adapt_decimalfield_value(value)),
        ("str", str),
        ("int", int),
        # PostgreSQL's typed integers (psycopg's Int2, Int4, Int8 where the ORM compares with an integer field).
        *(
            (internal, lambda value, internal=internal: ops.adapt_integerfield_value(value, internal))
            for internal in ("SmallIntegerField", "IntegerField", "BigIntegerField")
        ),
    )


def _probe(value: Any) -> Any:
    """A value of the same type as ``value`` and different from it."""
    if isinstance(value, enum.Enum):
        others = [member for member in type(value) if member != value]
        if not others:
            raise _Refused(f"{type(value).__name__} has no other member to probe with")
        return others[0]
    if isinstance(value, Model):
        if value.pk is None or not isinstance(value.pk, int):
            raise _Refused(f"a {type(value).__name__} without an integer pk")
        return type(value)(pk=value.pk + 1)
    kind = type(value)
    if kind is bool:
        return not value
    if kind is int:
        return value + 1
    if kind is str:
        # With the characters a LIKE escapes: a lookup that escapes its value (``contains``, ``startswith``, SQLite's
        # ``iexact``) then gives a parameter no preparation reproduces, and its shape is refused, rather than kept
        # as "as given" from a probe it happened not to escape.
        return value + "%_\\\x01"
    if kind is float:
        return value + 1.0
    if kind is decimal.Decimal:
        return value + 1
    if kind is dt.datetime:
        return value + dt.timedelta(seconds=1)
    if kind is dt.date:
        return value + dt.timedelta(days=1)
    if kind is dt.time:
        return value.replace(hour=(value.hour + 1) % 24)
    if kind is uuid.UUID:
        return uuid.UUID(int=(value.int + 1) % (1 << 128))
    raise _Refused(f"no probe for a {kind.__name__}")


def _probe_apart(value: Any, taken: set) -> Any:
    """A probe of ``value`` different from every value in ``taken`` (where its type has one: a bool, or an enum
    whose members are all taken, keeps its first probe)."""
    first = probe = _probe(value)
    for _ in range(len(taken) + 1):
        if probe not in taken:
            return probe
        probe = _probe(probe)
    return first


def _probe_list(values: list, given: set | frozenset = frozenset()) -> list:
    """Distinct probes, each different from every value in ``values`` and in ``given``."""
    made: list = []
    taken = set(values) | set(given)
    for value in values:
        probe = _probe_apart(value, taken)
        taken.add(probe)
        made.append(probe)
    return made


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(type(x) is type(y) and x == y for x, y in zip(a, b, strict=True))


@dataclass(frozen=True)
class _Slot:
    position: int
    argument: str
    index: int | None  # the element of a list argument, None for a scalar
    prepare: Callable[[Any], Any]


@dataclass(frozen=True)
class _Shape:
    sql: str
    params: tuple  # the first call's; the slots' positions are replaced on each call
    slots: tuple[_Slot, ...]
    queryset: QuerySet  # the first call's, compiled: its query and compiler are kept, never run
    compiler: Any


class _BoundQuery(Query):
    """The kept query, answering ``get_compiler`` with a compiler that gives the kept SQL and this call's
    parameters. Anything that would need the query rebuilt raises."""

    _bound_compiler: Any

    def get_compiler(self, using=None, connection=None, elements_of_node=None):  # type: ignore[override]
        return self._bound_compiler

    def clone(self):  # type: ignore[override]
        raise TypeError(
            "a prepared query's queryset can only be iterated: narrow it in its builder (safeguard.prepared)"
        )

    def chain(self, klass=None):  # type: ignore[override]
        return self.clone()


def _shape_part(value: Any) -> Hashable:
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        distinct = list(dict.fromkeys(value))
        return ("list", len(distinct), tuple(_shape_part(item) for item in distinct))
    if isinstance(value, dt.datetime):
        return (dt.datetime, value.tzinfo is None)  # a naive one the ORM makes aware (and warns)
    return type(value)


class PreparedQuery:
    """A queryset made by ``build(**arguments)``, its SQL written once a shape a process (module docstring)."""

    def __init__(self, name: str, model: type[Model], build: Callable[..., QuerySet], *, keyed: bool = False) -> None:
        self.name = name
        self.model = model
        self.build = build
        self.keyed = keyed  # the builder is given the key first: build(key, **arguments)
        self._shapes: dict[Hashable, _Shape | str] = {}  # a refused shape keeps the reason
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PreparedQuery({self.name!r})"

    def refused(self) -> dict[Hashable, str]:
        """The shapes not cached, with the reason each was refused."""
        return {key: shape for key, shape in self._shapes.items() if isinstance(shape, str)}

    def __call__(self, *, key: Hashable = (), **arguments: Any) -> QuerySet:
        if not getattr(settings, "SAFEGUARD_PREPARED_QUERIES", True):
            return self._built(key, arguments)
        # A list's duplicates and order: __in keeps the first of each, in order (its OrderedSet).
        arguments = {
            name: list(dict.fromkeys(value)) if isinstance(value, (list, tuple, set, frozenset)) else value
            for name, value in arguments.items()
        }
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        shape_key = (alias, connection.vendor, key, tuple((n, _shape_part(v)) for n, v in sorted(arguments.items())))
        shape = self._shapes.get(shape_key)
        if shape is None:
            if len(self._shapes) >= MAX_SHAPES:
                return self._built(key, arguments)
            try:
                shape = self._compile(alias, connection, key, arguments)
            except _Refused as refused:
                shape = str(refused)
            with self._lock:
                self._shapes[shape_key] = shape
        if isinstance(shape, str):
            return self._built(key, arguments)
        params = list(shape.params)
        for slot in shape.slots:
            value = arguments[slot.argument]
            params[slot.position] = slot.prepare(value if slot.index is None else value[slot.index])
        if getattr(settings, "SAFEGUARD_PREPARED_QUERIES_CHECK", False):
            self._check(alias, connection, key, arguments, shape, params)
        return self._queryset(shape, alias, connection, tuple(params))

    # The first call of a shape ----------------------------------------------------------------------------------

    def _built(self, key: Hashable, arguments: dict) -> QuerySet:
        return self.build(key, **arguments) if self.keyed else self.build(**arguments)

    def _sql(self, alias: str, connection, key: Hashable, arguments: dict) -> tuple[QuerySet, Any, str, list]:
        queryset = self._built(key, arguments)
        if not isinstance(queryset, QuerySet) or queryset.model is not self.model:
            raise TypeError(f"{self.name}: the builder must return a QuerySet of {self.model.__name__}")
        if queryset._known_related_objects:
            raise _Refused("a related manager's queryset (its instances are given the related object)")
        if queryset.db != alias:
            raise _Refused(f"the queryset reads {queryset.db}, not {alias}")
        compiler = queryset.query.get_compiler(using=alias, connection=connection)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as empty:
            raise _Refused(f"no SQL to keep ({type(empty).__name__})") from empty
        if not sql:
            raise _Refused("no SQL to keep")
        return queryset, compiler, sql, list(params)

    def _compile(self, alias: str, connection, key: Hashable, arguments: dict) -> _Shape:
        queryset, compiler, sql, params = self._sql(alias, connection, key, arguments)
        # Built again with the same values: a position that changes then is read inside the builder (a clock).
        _, _, again_sql, again_params = self._sql(alias, connection, key, arguments)
        if again_sql != sql or not _same(again_params, params):
            raise _Refused("the SQL or its parameters change between two builds with the same arguments")
        preparations = _preparations(connection)
        slots: list[_Slot] = []
        explained: set[int] = set()
        # Every value given: a probe differs from each (two arguments may meet in one ``__in`` list, where a probe
        # equal to the other's value would be dropped as a duplicate and change the SQL).
        taken = {v for value in arguments.values() for v in (value if isinstance(value, list) else [value])}
        for name, value in arguments.items():
            if value is None:
                continue
            listed = isinstance(value, list)
            probe = _probe_list(value, taken) if listed else _probe_apart(value, taken)
            _, _, probe_sql, probe_params = self._sql(alias, connection, key, {**arguments, name: probe})
            if probe_sql != sql or len(probe_params) != len(params):
                raise _Refused(f"the SQL changes with the value of {name}: pass what it depends on as the key")
            changed = [n for n, (a, b) in enumerate(zip(params, probe_params, strict=True)) if not _same([a], [b])]
            values, probes = (value, probe) if listed else ([value], [probe])
            if len(changed) % len(values) if values else True:
                raise _Refused(f"{name}'s {len(values)} value(s) fill {len(changed)} position(s)")
            if changed and explained.intersection(changed):
                raise _Refused(f"a position changes with {name} and another argument")
            explained.update(changed)
            # Each value fills the same number of positions, in order (a list's elements in the list's order, once
            # for each time the list is used); the preparation found for each position checks that order.
            for n, position in enumerate(changed):
                index = n % len(values)
                prepare = self._preparation(preparations, values[index], probes[index], params, probe_params, position)
                if prepare is None:
                    raise _Refused(f"no known preparation makes {name}'s value its parameter")
                slots.append(_Slot(position, name, index if listed else None, prepare))
        return _Shape(sql, tuple(params), tuple(slots), queryset, compiler)

    @staticmethod
    def _preparation(preparations, value, probe, params, probe_params, position) -> Callable[[Any], Any] | None:
        for _, prepare in preparations:
            try:
                if _same([prepare(value)], [params[position]]) and _same([prepare(probe)], [probe_params[position]]):
                    return prepare
            except Exception:  # noqa: S112 (a preparation that does not apply to this value)
                continue
        return None

    # Every call of a kept shape ---------------------------------------------------------------------------------

    def _queryset(self, shape: _Shape, alias: str, connection, params: tuple) -> QuerySet:
        compiler = object.__new__(type(shape.compiler))
        compiler.__dict__ = {**shape.compiler.__dict__, "connection": connection, "using": alias}
        sql = shape.sql
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        query = object.__new__(_BoundQuery)
        query.__dict__ = {**shape.queryset.query.__dict__, "_bound_compiler": compiler}
        queryset = object.__new__(type(shape.queryset))
        queryset.__dict__ = {
            **shape.queryset.__dict__,
            "_query": query,
            "_db": alias,
            "_result_cache": None,
            "_prefetch_done": False,
            "_deferred_filter": None,
        }
        return queryset

    def _check(self, alias: str, connection, key: Hashable, arguments: dict, shape: _Shape, params: list) -> None:
        orm, _, sql, orm_params = self._sql(alias, connection, key, arguments)
        if sql != shape.sql or not _same(orm_params, params):
            raise PreparedQueryMismatch(
                f"{self.name}: the kept SQL and parameters differ from the ORM's for {arguments!r}:\n"
                f"kept {shape.sql} {params!r}\nORM  {sql} {orm_params!r}"
            )
        # The rest of the queryset (its class, iterable, fields, prefetches, a subclass's own state) as kept.
        ignored = {"_query", "_result_cache", "_prefetch_done", "_db"}
        kept = {k: v for k, v in shape.queryset.__dict__.items() if k not in ignored}
        made = {k: v for k, v in orm.__dict__.items() if k not in ignored}
        if type(orm) is not type(shape.queryset) or made != kept:
            raise PreparedQueryMismatch(f"{self.name}: the ORM's queryset differs from the kept one for {arguments!r}")


def count_of(queryset: QuerySet) -> int:
    """How many rows ``queryset`` gives (a prepared one, or any), counted by the database: its SQL inside
    ``SELECT COUNT(*)``, as the ORM counts a sliced queryset. For a prepared query's count, whose queryset can only
    be iterated: its builder slices it (``[:cap + 1]``, a bounded count) and selects what it needs
    (``values("pk")``)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a filter that matches nothing (an empty ``__in``): the ORM's refusal to ask
        return 0
    with connections[queryset.db].cursor() as cursor:
        # The ORM's SQL, its parameters bound by the driver.
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)  # noqa: S608
        return int(cursor.fetchone()[0])
