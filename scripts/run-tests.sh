#!/usr/bin/env bash
# Run the whole suite on SQLite, then again on PostgreSQL when DATABASE_URL is
# set or a server answers on 127.0.0.1:5432. Exits non-zero if either fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

echo "== Tests on SQLite =="
env -u DATABASE_URL "$PY" -m pytest -q "$@"

pg_url="${DATABASE_URL:-}"
if [ -z "$pg_url" ] && "$PY" - <<'PYCHECK' 2>/dev/null; then
import socket
s = socket.create_connection(("127.0.0.1", 5432), timeout=2)
s.close()
PYCHECK
  pg_url="postgres://postgres@127.0.0.1:5432/safeguard"
fi

if [ -n "$pg_url" ]; then
  echo "== Tests on PostgreSQL =="
  DATABASE_URL="$pg_url" "$PY" -m pytest -q "$@"
else
  echo "== No PostgreSQL server answered on 127.0.0.1:5432 and DATABASE_URL is unset: ran on SQLite only =="
fi
