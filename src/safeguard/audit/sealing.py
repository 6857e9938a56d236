"""Tamper evidence for the audit store that never holds up a write.

Inserts take no lock and compute nothing: a job (hourly, ``audit.tasks``)
seals afterwards. It hashes each *closed* batch of rows in id order and
chains the batch's seal to the one before (``AuditSeal``); ``verify``
recomputes every seal and names the first batch that no longer matches.

Which rows are closed? ids come from a sequence when a row is inserted, but
rows become visible when their transaction commits, so a row with a lower id
can appear after one with a higher id, and a rolled-back insert leaves a gap
for ever. A seal over ``(after_id, last_id]`` must therefore wait until no
transaction can still add a row in that range:

- the horizon is the highest id visible now among rows older than a safety
  margin (``SEAL_MARGIN``: a row stamped moments ago is left to the next run);
- on PostgreSQL a transaction that could still add a row at or below the
  horizon took its id before the horizon's row did, so it had begun before
  the horizon was read. The job waits (at most ``wait``) until no session of
  this database other than its own is in a transaction that began earlier,
  and seals nothing new when one still is (the next run catches up). A
  session whose start the job's role may not see (``pg_read_all_stats`` is
  needed), or whose activity is not tracked, counts as still running: the
  job never guesses in the unsafe direction. A gap left by a rollback is
  simply part of the range. This holds as long as ids are drawn in the
  transaction that inserts the rows (the ORM does; a bulk writer that
  reserves ids with ``nextval`` must do so inside its insert's transaction,
  as ``actions.sql.insert_many`` under its callers does).
- on SQLite writers are serialised and a row's id is one above the highest
  committed id, so every committed id is below any row still being written.

Each seal is written in its own transaction; two jobs at once cannot both
write seal N (``number`` is unique), and on PostgreSQL an advisory lock makes
the second skip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent, AuditSeal

SEAL_MARGIN = dt.timedelta(minutes=1)
BATCH_ROWS = 20_000
WAIT = dt.timedelta(minutes=2)
POLL_SECONDS = 0.5
GENESIS = "0" * 64
ADVISORY_LOCK = 0x5AFE_A0D1  # an arbitrary constant naming the sealing job's lock
FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "actor_agency_id",
    "operation",
    "record_type",
    "record_id",
    "purpose",
    "outcome",
    "reason",
    "request_id",
    "client_address",
    "detail",
)


def _canonical(row: tuple) -> bytes:
    values = list(row)
    values[1] = values[1].astimezone(dt.UTC).isoformat()
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode() + b"\n"


def _python_digest(after_id: int, last_id: int | None, limit: int | None) -> tuple[str, int, int | None]:
    """SHA-256 over the rows as canonical JSON lines (``FIELDS`` order, id order), their count and last id."""
    rows = AuditEvent.objects.filter(id__gt=after_id).order_by("id").values_list(*FIELDS)
    if last_id is not None:
        rows = rows.filter(id__lte=last_id)
    if limit is not None:
        rows = rows[:limit]
    digest, count, last = hashlib.sha256(), 0, None
    for row in rows.iterator(chunk_size=2_000):
        digest.update(_canonical(row))
        count += 1
        last = row[0]
    return digest.hexdigest(), count, last


# On PostgreSQL the rows are hashed where they are: one JSON array a row (``FIELDS`` order; the time in UTC to
# the microsecond, so the session's time zone and date style cannot change it; jsonb's text is canonical),
# joined by newlines in id order. Five to ten times faster than reading the rows into Python.
PG_DIGEST = """
SELECT count(*), max(id),
       encode(sha256(convert_to(coalesce(string_agg(line, E'\\n' ORDER BY id), ''), 'UTF8')), 'hex')
FROM (
  SELECT id, json_build_array(
           id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), actor_id, actor_username,
           actor_agency_id, operation, record_type, record_id, purpose, outcome, reason, request_id,
           host(client_address), detail)::text AS line
  FROM audit_auditevent
  WHERE id > %s AND id <= %s
  ORDER BY id
  LIMIT %s
) AS batch
"""
NO_LIMIT = 2**62


def rows_digest(after_id: int, last_id: int | None = None, limit: int | None = None) -> tuple[str, int, int | None]:
    """The digest of the rows with ``after_id < id <= last_id`` (the first ``limit``), their count and last id."""
    if connection.vendor != "postgresql":
        return _python_digest(after_id, last_id, limit)
    with connection.cursor() as cursor:
        cursor.execute(PG_DIGEST, [after_id, NO_LIMIT if last_id is None else last_id, limit or NO_LIMIT])
        count, last, digest = cursor.fetchone()
    return digest, count, last


def seal_hash(number: int, after_id: int, last_id: int, row_count: int, digest: str, previous: str) -> str:
    text = f"{number}|{after_id}|{last_id}|{row_count}|{digest}|{previous}"
    return hashlib.sha256(text.encode()).hexdigest()


# Which rows are closed -------------------------------------------------------------


@dataclass(frozen=True)
class Horizon:
    last_id: int | None  # the highest closed id (None: nothing closed)
    waited_seconds: float
    blocked: bool  # a transaction older than the horizon was still running when the wait ran out


def _candidate(margin: dt.timedelta) -> tuple[int | None, object]:
    """The highest id among rows older than the margin, and the database's clock after it was read."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT MAX(id) FROM audit_auditevent WHERE at < clock_timestamp() - %s), clock_timestamp()",
                [margin],
            )
            return cursor.fetchone()
    cutoff = timezone.now() - margin
    top = AuditEvent.objects.filter(at__lt=cutoff).order_by("-id").values_list("id", flat=True).first()
    return top, None


def _older_transactions(began_before) -> int:
    """Sessions of this database, other than this one, in a transaction begun before ``began_before``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND backend_type = 'client backend'
              AND (state IS NULL OR state = 'disabled' OR xact_start < %s)
            """,
            [began_before],
        )
        return cursor.fetchone()[0]


def closed_horizon(margin: dt.timedelta = SEAL_MARGIN, wait: dt.timedelta = WAIT) -> Horizon:
    top, read_at = _candidate(margin)
    if top is None or connection.vendor != "postgresql":
        return Horizon(top, 0.0, False)
    started = time.monotonic()
    deadline = started + wait.total_seconds()
    while _older_transactions(read_at):
        if time.monotonic() >= deadline:
            return Horizon(None, round(time.monotonic() - started, 1), True)
        time.sleep(POLL_SECONDS)
    return Horizon(top, round(time.monotonic() - started, 1), False)


# Sealing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SealSummary:
    seals: int
    rows: int
    last_id: int | None
    last_hash: str | None
    blocked: bool = False
    skipped: bool = False  # another sealing job held the lock


def _last_seal() -> AuditSeal | None:
    return AuditSeal.objects.order_by("-number").first()


def _take_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK])
        return cursor.fetchone()[0]


def _release_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK])


def seal_closed_batches(
    margin: dt.timedelta = SEAL_MARGIN,
    batch_rows: int = BATCH_ROWS,
    wait: dt.timedelta = WAIT,
    max_batches: int | None = None,
) -> SealSummary:
    """Seal every closed row not sealed yet, ``batch_rows`` rows to a seal, each chained to the last.

    ``max_batches`` bounds one run's work (the rest waits for the next run).
    """
    if not _take_lock():
        return SealSummary(0, 0, None, None, skipped=True)
    try:
        horizon = closed_horizon(margin, wait)
        previous = _last_seal()
        after = previous.last_id if previous else 0
        number = previous.number if previous else 0
        chain = previous.seal_hash if previous else GENESIS
        seals = rows = 0
        while horizon.last_id is not None and after < horizon.last_id and (max_batches is None or seals < max_batches):
            digest, count, last = rows_digest(after, horizon.last_id, batch_rows)
            if not count:
                break
            number += 1
            with transaction.atomic():
                seal = AuditSeal.objects.create(
                    number=number,
                    after_id=after,
                    last_id=last,
                    row_count=count,
                    rows_digest=digest,
                    previous_hash=chain,
                    seal_hash=seal_hash(number, after, last, count, digest, chain),
                )
            after, chain = last, seal.seal_hash
            seals, rows = seals + 1, rows + count
        return SealSummary(seals, rows, after or None, None if chain == GENESIS else chain, horizon.blocked)
    finally:
        _release_lock()


# Verifying -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    number: int
    after_id: int
    last_id: int
    sealed_at: dt.datetime
    problem: str


@dataclass(frozen=True)
class Verification:
    seals_checked: int
    rows_checked: int
    last_sealed_id: int | None
    unsealed_rows: int
    mismatch: Mismatch | None

    @property
    def ok(self) -> bool:
        return self.mismatch is None


def _check(seal: AuditSeal, after: int, chain: str) -> str | None:
    """What is wrong with this seal and its rows, or None."""
    if seal.after_id != after:
        return f"the chain has a gap or overlap: this seal starts after id {seal.after_id}, the last ended at {after}"
    if seal.previous_hash != chain:
        return "the seal does not follow the seal before it (its previous hash differs)"
    if seal.seal_hash != seal_hash(
        seal.number, seal.after_id, seal.last_id, seal.row_count, seal.rows_digest, seal.previous_hash
    ):
        return "the seal itself was altered (its hash does not match its contents)"
    digest, count, _ = rows_digest(seal.after_id, seal.last_id)
    if count != seal.row_count:
        return f"{seal.row_count:,} rows when sealed, {count:,} now (rows removed or added)"
    if digest != seal.rows_digest:
        return "a row was changed (same number of rows, different contents)"
    return None


def verify(from_number: int = 1) -> Verification:
    """Recompute every seal from ``from_number`` on, in order, and stop at the first that does not match."""
    seals = AuditSeal.objects.filter(number__gte=from_number).order_by("number")
    before = AuditSeal.objects.filter(number=from_number - 1).first()
    after = before.last_id if before else 0
    chain = before.seal_hash if before else GENESIS
    checked = rows = 0
    for seal in seals.iterator(chunk_size=500):
        problem = _check(seal, after, chain)
        if problem:
            mismatch = Mismatch(seal.number, seal.after_id, seal.last_id, seal.sealed_at, problem)
            return Verification(checked, rows, after or None, _unsealed(after), mismatch)
        after, chain = seal.last_id, seal.seal_hash
        checked, rows = checked + 1, rows + seal.row_count
    return Verification(checked, rows, after or None, _unsealed(after), None)


def _unsealed(after: int) -> int:
    return AuditEvent.objects.filter(id__gt=after).count()
