#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a NEW, empty database, then check it: every table's
# row count matches the counts recorded in the backup's own database at the time (when the source is
# still there, compare with it: SOURCE_URL), the migrations are all applied, and the audit store's
# append-only trigger came back with it.
#
#   deploy/restore.sh /var/backups/safeguard/safeguard-20261206T020000Z.dump postgres://postgres@127.0.0.1:5432/safeguard_restored
#   SOURCE_URL=postgres://... deploy/restore.sh FILE TARGET_URL     # and compare row counts with the source
#
# It refuses a target that already has tables: restoring over a live database is never what you want;
# restore beside it, check, then point DATABASE_URL at the restored one (docs/deploy.md).
set -euo pipefail
file="${1:?Give the backup file}"
target="${2:?Give the URL of the new database to restore into}"
here="$(cd "$(dirname "$0")" && pwd)"
name="${target##*/}"
name="${name%%\?*}"
server="${target%/*}/postgres"

exists="$(psql "$server" -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")"
if [ -z "$exists" ]; then
  psql "$server" -qc "CREATE DATABASE \"$name\""
fi
tables="$(psql "$target" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "The database $name already has $tables tables: restore into a new, empty database." >&2
  exit 1
fi
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$target" "$file"
psql "$target" -qc "ANALYZE"
python="${PYTHON:-$here/../.venv/bin/python}"
[ -x "$python" ] || python=python3
"$python" "$here/check_restore.py" "$target" ${SOURCE_URL:+--source "$SOURCE_URL"}
