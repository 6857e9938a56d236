"""Django's PostgreSQL backend, emptying the tables between transactional tests with DELETE instead of TRUNCATE.

A test that commits (a browser test's live server, a job's worker, a second connection) is followed by a flush:
every table emptied. Django's PostgreSQL backend does that with one TRUNCATE of every table, which gives each of
the project's ~120 tables and ~630 indexes a new file: about 5 seconds a flush on this project's machine, for
tables that hold a few hundred rows. DELETE empties them in milliseconds. Everything else is Django's backend.

- The foreign keys are all created deferrable (Django's way on PostgreSQL), so the tables are emptied in any
  order inside the flush's transaction and checked once, at its end, when every table is empty.
- A table whose rows a trigger keeps from being deleted (the append-only audit store and its seals) is still
  truncated: its trigger refuses DELETE and UPDATE, not TRUNCATE, as before.
- A flush that resets the sequences or cascades (neither is asked by this suite) is left to Django.

Only ``safeguard.settings.test`` names this backend; production uses Django's own.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations

# The tables with a row trigger on DELETE of their own (not Django's constraint triggers), among those given.
_GUARDED_AGAINST_DELETE = """
SELECT DISTINCT c.relname
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND (t.tgtype & 8) <> 0 AND c.relname = ANY(%s)
"""


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        with self.connection.cursor() as cursor:
            cursor.execute(_GUARDED_AGAINST_DELETE, [list(tables)])
            guarded = {row[0] for row in cursor.fetchall()}
        quote = self.quote_name
        statements = ["SET CONSTRAINTS ALL DEFERRED"]
        if guarded:
            statements.append(f"TRUNCATE {', '.join(quote(table) for table in sorted(guarded))}")
        # The names are the models' own tables, quoted as identifiers.
        statements += [f"DELETE FROM {quote(table)}" for table in tables if table not in guarded]  # noqa: S608
        return statements


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
