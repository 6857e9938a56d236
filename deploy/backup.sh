#!/usr/bin/env bash
# Back up Safeguard's PostgreSQL database: one pg_dump in custom format (compressed, restorable table
# by table), written to a temporary name and moved into place once complete, then checked by listing
# its contents (pg_restore --list). Old backups beyond SAFEGUARD_BACKUP_KEEP are removed.
#
#   DATABASE_URL=postgres://safeguard@127.0.0.1:5432/safeguard deploy/backup.sh /var/backups/safeguard
#
# The file holds every personal record and the audit store: keep the directory readable by the
# service's account only, and on encrypted storage (docs/deploy.md).
set -euo pipefail
: "${DATABASE_URL:?Set DATABASE_URL to the database to back up}"
dir="${1:?Give the directory to write the backup to}"
keep="${SAFEGUARD_BACKUP_KEEP:-14}"
umask 077
mkdir -p "$dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$dir/safeguard-$stamp.dump"
partial="$final.partial"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial" --dbname="$DATABASE_URL"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$final"
echo "$final"
# Keep the newest $keep backups.
ls -1t "$dir"/safeguard-*.dump 2>/dev/null | tail -n +"$((keep + 1))" | xargs -r rm -f --
