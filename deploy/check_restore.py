"""Check a restored Safeguard database (deploy/restore.sh runs it): it must be whole and still append-only.

    python deploy/check_restore.py TARGET_URL [--source SOURCE_URL]

- every table of the public schema is counted; with --source, each count must equal the source's
  (a source still in use may have moved on since the backup: compare with a quiet one, or read the
  differences);
- Django's migrations are recorded (the schema is the one the code expects);
- the audit store refuses changes: its trigger calling audit_refuse_change() is on the audit table
  (and its partitions, where it is partitioned), and an UPDATE of an audit row is refused.

Exit status 0 when all hold, 1 otherwise, with what failed.
"""

from __future__ import annotations

import argparse
import sys

import psycopg
from psycopg import sql


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
        count = sql.SQL("SELECT count(*) FROM {}")
        return {t: conn.execute(count.format(sql.Identifier(t))).fetchone()[0] for t in tables}


def audit_guarded(url: str) -> list[str]:
    """What is wrong with the restored audit store's guard (nothing: an empty list)."""
    problems = []
    with psycopg.connect(url) as conn:
        guarded = conn.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'audit_refuse_change' AND NOT t.tgisinternal"
        ).fetchall()
        if not guarded:
            return ["no trigger refuses changes to the audit store"]
        row = conn.execute("SELECT id FROM audit_auditevent LIMIT 1").fetchone()
        if row is not None:
            try:
                with conn.transaction():
                    conn.execute("UPDATE audit_auditevent SET reason = reason WHERE id = %s", (row[0],))
                problems.append("an audit row could be changed")
            except psycopg.Error:
                pass  # refused, as it must be
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target")
    parser.add_argument("--source")
    args = parser.parse_args(argv)
    problems: list[str] = []
    restored = counts(args.target)
    if restored.get("django_migrations", 0) == 0:
        problems.append("no migrations are recorded")
    if args.source:
        source = counts(args.source)
        for table in sorted(set(source) | set(restored)):
            if source.get(table) != restored.get(table):
                problems.append(f"{table}: {source.get(table)} rows in the source, {restored.get(table)} restored")
    problems += audit_guarded(args.target)
    rows = sum(restored.values())
    if problems:
        print("The restore is NOT sound:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    print(f"Restored and checked: {len(restored)} tables, {rows:,} rows; the audit store is append-only.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
