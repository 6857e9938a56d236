#!/usr/bin/env bash
# Run the whole suite on SQLite and, when DATABASE_URL is set or a server answers on
# 127.0.0.1:5432, on PostgreSQL too: one database after the other, each run on both cores
# (pytest-xdist, -n 2). Each worker has its own test database, named by pytest-django; the migrations
# run once per run into a template database that the workers copy (tests/conftest.py, django_db_setup).
# The tests that use no database (pure rules, properties: pytest-django's block would fail them if they
# touched one) cannot depend on the database: they run in the SQLite run only, and the PostgreSQL run
# deselects them (SAFEGUARD_TESTS_DATABASE_ONLY=1) and says how many.
# SAFEGUARD_TEST_RUNS=side-by-side runs the two databases at once instead, one process each.
# Their reports are printed in turn. Exits non-zero if either fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
LOGS=var/test-logs
WORKERS="${SAFEGUARD_TEST_WORKERS:-2}"
RUNS="${SAFEGUARD_TEST_RUNS:-one-after-the-other}"
mkdir -p "$LOGS"
# Python's bytecode cache (and pytest's, for the rewritten test modules) is kept even where the environment turns
# it off: each of the four pytest processes (two workers per database) would otherwise compile the package and
# the tests afresh (collection 15 s of CPU instead of 6 s, measured on this machine). __pycache__ is ignored by git.
unset PYTHONDONTWRITEBYTECODE

pg_url="${DATABASE_URL:-}"
if [ -z "$pg_url" ] && "$PY" - <<'PYCHECK' 2>/dev/null; then
import socket
s = socket.create_connection(("127.0.0.1", 5432), timeout=2)
s.close()
PYCHECK
  pg_url="postgres://postgres@127.0.0.1:5432/safeguard"
fi

# The production-stack test (gunicorn on a PostgreSQL database of its own, migrated by manage.py, then a backup
# and a restore) does not use the test database: when the PostgreSQL run follows, it runs there only, not twice.
sqlite_args=()
if [ -n "$pg_url" ]; then
  sqlite_args=(--ignore=tests/deploy/test_gunicorn_production.py)
fi

# One key for both runs: a migrated template database is used only by the run that made it
# (safeguard/testing/template.py), and this way the PostgreSQL template can be made ahead.
export SAFEGUARD_TEST_RUN_KEY="${SAFEGUARD_TEST_RUN_KEY:-$(date +%s%N)-$$}"

sqlite_rc=0
pg_rc=0
if [ "$RUNS" = "side-by-side" ]; then
  env -u DATABASE_URL "$PY" -m pytest -q "${sqlite_args[@]}" "$@" >"$LOGS/sqlite.log" 2>&1 &
  sqlite_pid=$!
  if [ -n "$pg_url" ]; then
    DATABASE_URL="$pg_url" SAFEGUARD_TESTS_DATABASE_ONLY=1 "$PY" -m pytest -q "$@" >"$LOGS/postgresql.log" 2>&1 &
    pg_pid=$!
  fi
  wait "$sqlite_pid" || sqlite_rc=$?
  if [ -n "$pg_url" ]; then
    wait "$pg_pid" || pg_rc=$?
  fi
else
  # The PostgreSQL run's template is migrated beside the start of the SQLite run, while the SQLite run's
  # second worker waits for its own template: a core that would idle. The PostgreSQL run's workers then find
  # theirs made (or wait on its lock; if making it failed here, they make it themselves and report why).
  if [ -n "$pg_url" ]; then
    PYTHONPATH=src DATABASE_URL="$pg_url" "$PY" -m safeguard.testing.template >"$LOGS/postgresql-template.log" 2>&1 &
    template_pid=$!
  fi
  env -u DATABASE_URL "$PY" -m pytest -q -n "$WORKERS" "${sqlite_args[@]}" "$@" >"$LOGS/sqlite.log" 2>&1 || sqlite_rc=$?
  if [ -n "$pg_url" ]; then
    wait "$template_pid" || true
    DATABASE_URL="$pg_url" SAFEGUARD_TESTS_DATABASE_ONLY=1 "$PY" -m pytest -q -n "$WORKERS" "$@" \
      >"$LOGS/postgresql.log" 2>&1 || pg_rc=$?
  fi
fi

# pytest exits 5 when it ran nothing: on PostgreSQL, when every test asked for uses no database (and ran on SQLite).
if [ "$pg_rc" -eq 5 ]; then
  pg_rc=0
fi

echo "== Tests on SQLite =="
cat "$LOGS/sqlite.log"
if [ -n "$pg_url" ]; then
  echo "== Tests on PostgreSQL =="
  cat "$LOGS/postgresql.log"
else
  echo "== No PostgreSQL server answered on 127.0.0.1:5432 and DATABASE_URL is unset: ran on SQLite only =="
fi

if [ "$sqlite_rc" -ne 0 ] || [ "$pg_rc" -ne 0 ]; then
  echo "== FAILED: SQLite exit $sqlite_rc, PostgreSQL exit $pg_rc =="
  exit 1
fi
