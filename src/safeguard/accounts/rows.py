"""The rows every signed-in request reads before its page does anything, read with SQL written once a process.

Each request reads its session, the member of staff the session names (with their agency, its area and their
team) and the second factor that verified the session. Django's ORM builds each statement afresh on every
request (the lookups, the joins, the columns, the ordering resolved again): 0.3 to 1.5 ms of CPU a statement,
several times what sending it and reading the row cost. A ``Statement`` writes its SQL once per database
connection settings, from the model's own fields (so it follows a migration without being edited), and makes
its row into model instances as the ORM does: each column through the converters the ORM applies
(``Col.get_db_converters`` and the backend's), then ``Model.from_db``, with the related rows put where
``select_related`` puts them.

Only the SQL text is kept: every call reads its row from the database, so a member of staff made inactive, a
role taken away, a session ended or an authenticator removed counts from the very next request, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model


@dataclass(frozen=True)
class _Part:
    """One model's columns in a statement: where they start in the row, their converters, where the instance goes."""

    model: type[Model]
    fields: tuple[Field, ...]
    attnames: tuple[str, ...]
    pk_index: int
    start: int
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    parent: int | None  # the index of the part this one hangs from (None: the row's own model)
    via: Field | None  # the foreign key of the parent that names this part's row


@dataclass(frozen=True)
class _Compiled:
    vendor: str
    sql: str
    parts: tuple[_Part, ...]


class Statement:
    """``SELECT`` one row of ``model`` (and the rows its foreign keys in ``related`` name, as ``select_related``)
    by equality on ``keys`` and, with ``after``, that field later than a given value.

        STAFF = Statement(Staff, related=("agency__area", "team"))
        STAFF.one(user_id)                 # a Staff with .agency, .agency.area and .team loaded, or None
    """

    def __init__(
        self, model: type[Model], keys: Iterable[str] = ("pk",), after: str | None = None, related: Iterable[str] = ()
    ) -> None:
        if model._meta.parents:
            raise ValueError(f"{model._meta.label}: a model with parent tables needs the ORM's joins")
        self.model = model
        self.keys = tuple(model._meta.pk if key == "pk" else model._meta.get_field(key) for key in keys)
        self.after = model._meta.get_field(after) if after else None
        self.related = tuple(related)
        self._compiled: dict[str, _Compiled] = {}

    def one(self, *values: Any) -> Any:
        """The row whose keys equal ``values`` (then the ``after`` value, which the row's must exceed), or None."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled = self._compiled.get(alias)
        if compiled is None or compiled.vendor != connection.vendor:
            compiled = self._compiled[alias] = self._compile(connection)
        conditions = self.keys + ((self.after,) if self.after is not None else ())
        if len(values) != len(conditions):
            raise TypeError(f"{len(conditions)} values wanted, {len(values)} given")
        params = [
            field.get_db_prep_value(field.to_python(value), connection)
            for field, value in zip(conditions, values, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        return self._instances(compiled, row, alias, connection)[0]

    # Building the statement, once ----------------------------------------------------------------------------

    def _compile(self, connection: Any) -> _Compiled:
        quote = connection.ops.quote_name
        parts: list[_Part] = []
        tables: list[str] = []
        columns: list[str] = []
        joins: list[str] = []

        def add(model: type[Model], parent: int | None, via: Field | None) -> int:
            if model._meta.parents:
                raise ValueError(f"{model._meta.label}: a model with parent tables needs the ORM's joins")
            alias = f"T{len(parts)}"
            fields = tuple(model._meta.concrete_fields)
            converters = []
            for n, field in enumerate(fields):
                col = field.get_col(alias)
                found = tuple(connection.ops.get_db_converters(col)) + tuple(col.get_db_converters(connection))
                if found:
                    converters.append((n, found, col))
            attnames = tuple(field.attname for field in fields)
            pk_index = fields.index(model._meta.pk)
            parts.append(_Part(model, fields, attnames, pk_index, len(columns), tuple(converters), parent, via))
            columns.extend(f"{alias}.{quote(field.column)}" for field in fields)
            if via is None:
                tables.append(f"{quote(model._meta.db_table)} {alias}")
            else:
                target = via.target_field.column  # type: ignore[attr-defined]
                joins.append(
                    f"LEFT OUTER JOIN {quote(model._meta.db_table)} {alias} "
                    f"ON {alias}.{quote(target)} = T{parent}.{quote(via.column)}"
                )
            return len(parts) - 1

        add(self.model, None, None)
        placed: dict[tuple[str, ...], int] = {(): 0}
        for path in self.related:
            names = tuple(path.split("__"))
            for depth in range(1, len(names) + 1):
                if names[:depth] in placed:
                    continue
                parent = placed[names[: depth - 1]]
                field = parts[parent].model._meta.get_field(names[depth - 1])
                if not field.many_to_one and not field.one_to_one or not field.concrete:
                    raise ValueError(f"{path}: only foreign keys of the row are followed")
                placed[names[:depth]] = add(field.related_model, parent, field)  # type: ignore[arg-type]
        conditions = [f"T0.{quote(field.column)} = %s" for field in self.keys]
        if self.after is not None:
            conditions.append(f"T0.{quote(self.after.column)} > %s")
        # Names from the models' own fields, quoted by the backend; values only ever as parameters.
        sql = f"SELECT {', '.join(columns)} FROM {tables[0]} {' '.join(joins)} WHERE {' AND '.join(conditions)}"  # noqa: S608
        return _Compiled(connection.vendor, " ".join(sql.split()), tuple(parts))

    # Making the row into instances -----------------------------------------------------------------------------

    @staticmethod
    def _instances(compiled: _Compiled, row: tuple[Any, ...], alias: str, connection: Any) -> list[Any]:
        made: list[Any] = []
        for part in compiled.parts:
            values = list(row[part.start : part.start + len(part.fields)])
            instance = None
            if values[part.pk_index] is not None:  # None: the foreign key was empty (the outer join found nothing)
                for n, converters, col in part.converters:
                    for convert in converters:
                        values[n] = convert(values[n], col, connection)
                instance = part.model.from_db(alias, part.attnames, values)
            made.append(instance)
            if part.parent is not None and made[part.parent] is not None:
                part.via.set_cached_value(made[part.parent], instance)  # type: ignore[union-attr]
        return made
