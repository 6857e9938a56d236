"""The migrated template database that every test worker copies: the migrations run once a run, not once a worker.

Under pytest-xdist each worker has a test database of its own (pytest-django names it ``<test database>_gw0``,
``_gw1``, ...). The first worker of a run to need one makes and migrates ``<test database>_template`` under a file
lock in var/, and every worker copies it (``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, a file copy on SQLite).
A template is used only by the run that made it: the run's key is kept beside the lock, so a template left by an
interrupted run, or made from other migrations, is made again.

``python -m safeguard.testing.template`` makes the template of the database that DATABASE_URL names, under the
same lock and for the run key in ``SAFEGUARD_TEST_RUN_KEY``: scripts/run-tests.sh starts it for PostgreSQL beside
the SQLite run (whose second worker waits on its own template meanwhile), so that the PostgreSQL run's workers
find theirs made.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

RUN_KEY = "SAFEGUARD_TEST_RUN_KEY"


def run_key(default: str) -> str:
    """The key of this run: the one scripts/run-tests.sh shares between its runs, else pytest-xdist's run id."""
    return os.environ.get(RUN_KEY) or default


def remove_sqlite_files(name: str) -> None:
    """An SQLite database file and its write-ahead log and shared-memory files: left from an earlier,
    interrupted run they would not match a file made afresh ("disk I/O error")."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)


def lock_path(connection, template_name: str) -> Path:
    from django.conf import settings

    var = Path(settings.PROJECT_DIR) / "var"
    var.mkdir(exist_ok=True)
    key = hashlib.sha256(f"{connection.vendor}:{connection.settings_dict.get('HOST')}:{template_name}".encode())
    return var / f"test-template-{key.hexdigest()[:16]}.lock"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the template's lock: no one else makes, copies or reads it meanwhile (PostgreSQL refuses to copy a
    database another session is connected to)."""
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_made(connection, template_name: str, path: Path, key: str) -> None:
    """Make and migrate the template unless this run already has (call under its lock). Leaves the connection
    closed: on SQLite that also folds the write-ahead log into the file that is copied."""
    made_by = path.with_suffix(".run")
    if not (made_by.exists() and made_by.read_text() == key):
        made_by.unlink(missing_ok=True)
        if connection.vendor == "sqlite":
            remove_sqlite_files(template_name)
        test_settings = connection.settings_dict["TEST"]
        before = test_settings.get("NAME")
        test_settings["NAME"] = template_name
        try:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        finally:
            test_settings["NAME"] = before
        made_by.write_text(key)
    connection.close()


def copy(connection, template_name: str, target: str) -> None:
    """Make ``target`` a copy of the template (call under its lock)."""
    if connection.vendor == "sqlite":
        remove_sqlite_files(target)
        shutil.copyfile(template_name, target)
        return
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} WITH TEMPLATE {quote(template_name)}")


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings.test")
    django.setup()
    from django.db import connections

    key = os.environ.get(RUN_KEY)
    if not key:
        raise SystemExit(f"{RUN_KEY} is unset: only a run that shares its key with its workers can use the template")
    connection = connections["default"]
    template_name = f"{connection.creation._get_test_db_name()}_template"
    path = lock_path(connection, template_name)
    with locked(path):
        ensure_made(connection, template_name, path, key)


if __name__ == "__main__":
    main()
