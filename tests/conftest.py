"""Shared fixtures: a small fictional area with one member of staff per role."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings
from pytest_django import fixtures as pytest_django_fixtures

from safeguard.demo import factories as f
from safeguard.meetings.models import Forum, ForumCase
from safeguard.testing import template as test_template
from safeguard.workforce.models import Agency, Role

# Hypothesis's per-example deadline (200 ms by default) is a timing assertion, and this suite asserts no timings
# (benchmarks measure time, tests check behaviour): no deadline is set. Nothing is retried or waited for; the
# number of examples stays Hypothesis's default (100) unless a test sets its own.
hypothesis_settings.register_profile("safeguard", deadline=None)
hypothesis_settings.load_profile("safeguard")

# The PostgreSQL run of scripts/run-tests.sh sets this: a test that uses no database (pytest-django's block
# would fail it if it touched one) cannot depend on the database, so it runs once, in the SQLite run.
DATABASE_TESTS_ONLY = os.environ.get("SAFEGUARD_TESTS_DATABASE_ONLY") == "1"
DATABASE_FIXTURES = {"django_db_setup"}  # what a fixture that lifts the block itself stands on (class_world, ...)


def uses_a_database(item) -> bool:
    """Whether a test may touch a database: pytest-django sets one up for it (``db``, ``transactional_db``,
    ``live_server``, the ``django_db`` marker), one of its fixtures lifts the block itself, or it makes a
    database of its own (marked ``own_database``)."""
    databases, _ = pytest_django_fixtures._get_databases_for_test(item)
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(databases) or bool(fixtures & DATABASE_FIXTURES) or item.get_closest_marker("own_database") is not None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # The tests with a database of their own (the production stack) go first, after pytest-django's ordering:
    # they never touch the test database, so moving them changes nothing for the others, and they are the
    # longest single tests (a server started and stopped): first, they run beside the rest instead of at the
    # tail while the other worker waits.
    items.sort(key=lambda item: item.get_closest_marker("own_database") is None)
    _browser_tests_first_of_the_transactional(items)
    if not DATABASE_TESTS_ONLY:
        return
    kept, deselected = [], []
    for item in items:
        (kept if uses_a_database(item) else deselected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    if hasattr(config, "workeroutput"):
        config.workeroutput["no_database_deselected"] = len(deselected)
    else:
        config._no_database_deselected = len(deselected)


def _transactional(item) -> bool:
    """pytest-django's transactional tests: those it runs after the others, as Django does."""
    fixtures = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    return bool(fixtures & {"transactional_db", "live_server"}) or bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )


def _browser_tests_first_of_the_transactional(items) -> None:
    """The browser tests (2 to 30 s each, the longest of the suite) first among the transactional tests, not
    wherever their folder falls: run last, one of them keeps a worker busy while the other has nothing left
    (the PostgreSQL run, which has no tests without a database to fill the tail). They stay after every
    non-transactional test, as pytest-django ordered them; nothing moves unless the transactional tests are
    one run of items, as that ordering leaves them."""
    flags = [_transactional(item) for item in items]
    if True not in flags:
        return
    start = flags.index(True)
    end = len(flags) - flags[::-1].index(True)
    if not all(flags[start:end]):
        return
    block = items[start:end]
    block.sort(key=lambda item: item.get_closest_marker("browser") is None)
    items[start:end] = block


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown with -p no:xdist
def pytest_testnodedown(node, error):
    count = getattr(node, "workeroutput", {}).get("no_database_deselected")
    if count is not None:
        node.config._no_database_deselected = count


def pytest_terminal_summary(terminalreporter, config):
    count = getattr(config, "_no_database_deselected", None)
    if count:
        terminalreporter.write_line(
            f"{count} tests that use no database deselected: they cannot depend on the database (scripts/run-tests.sh "
            "runs them on SQLite; SAFEGUARD_TESTS_DATABASE_ONLY=1 leaves them out here)"
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each xdist worker has its own test database (pytest-django names it ``..._gw0``, ``..._gw1``)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name and name != ":memory:":
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database. Without xdist (or with --reuse-db, --nomigrations), as pytest-django makes it:
    created and migrated. Under xdist the migrations run once per run, not once per worker: every worker copies
    the run's migrated template database (safeguard.testing.template), made by the first worker to need it or,
    for PostgreSQL under scripts/run-tests.sh, ahead of the run."""
    worker = getattr(request.config, "workerinput", {})
    if "workerid" not in worker or django_db_keepdb or not django_db_use_migrations:
        yield from pytest_django_fixtures.django_db_setup.__wrapped__(
            request,
            django_test_environment,
            django_db_blocker,
            django_db_use_migrations,
            django_db_keepdb,
            django_db_createdb,
            django_db_modify_db_settings,
        )
        return

    from django.db import connections

    connection = connections["default"]
    with django_db_blocker.unblock():
        old_name = connection.settings_dict["NAME"]
        request.config.stash[MIGRATED_TEMPLATE] = _clone_from_template(
            connection, worker["workerid"], worker["testrunuid"]
        )
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(old_name, verbosity=0)


MIGRATED_TEMPLATE = pytest.StashKey["tuple[str, str, Path]"]()  # (database vendor, template name, its lock)


@contextlib.contextmanager
def migrated_template(config):
    """This run's migrated PostgreSQL template, held under its lock: its name, to copy with ``CREATE DATABASE
    ... TEMPLATE`` as every worker's test database is made; None when there is none (no xdist, or SQLite), and
    the caller migrates a database itself.

    For a test with a database of its own (the production stack), so that it does not run the migrations a
    second time."""
    made = config.stash.get(MIGRATED_TEMPLATE, None)
    if made is None or made[0] != "postgresql":
        yield None
        return
    _, template_name, path = made
    with test_template.locked(path):
        yield template_name


def _clone_from_template(connection, worker_id: str, run_id: str) -> tuple[str, str, Path]:
    """Make this worker's test database a copy of the run's migrated template (making the template first
    when no one has for this run). Returns the database vendor, the template's name and its lock."""
    from django.conf import settings

    worker_name = connection.creation._get_test_db_name()  # pytest-django's name: "<test database>_<worker id>"
    template_name = f"{worker_name.removesuffix(f'_{worker_id}')}_template"
    path = test_template.lock_path(connection, template_name)
    with test_template.locked(path):
        test_template.ensure_made(connection, template_name, path, test_template.run_key(run_id))
        test_template.copy(connection, template_name, worker_name)
    settings.DATABASES[connection.alias]["NAME"] = worker_name
    connection.settings_dict["NAME"] = worker_name
    connection.ensure_connection()
    return connection.vendor, template_name, path


@pytest.fixture
def world(db):
    """Two MAPPA areas; staff of every role in the first; people and nominals in both."""
    return build_world()


def _held_world(django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="class")
def class_world(django_db_setup, django_db_blocker):
    """One world for a class of tests that only read it (or whose changes each test's own transaction rolls
    back): built once in a transaction of its own, rolled back after the class. Its tests ask for
    ``shared_world`` instead of ``world``."""
    yield from _held_world(django_db_blocker)


@pytest.fixture
def shared_world(class_world, db):
    """The class's world inside the test's own transaction (a savepoint in the class's). A copy of its top
    level: what a builder keeps on the world for one test (``world.forums``, ...) goes with that test."""
    return SimpleNamespace(**vars(class_world))


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """``class_world`` for a module whose tests are functions: one world for the module. A module asks for it
    by overriding ``world`` with ``module_shared_world``; it then uses no class world (the two would clash)."""
    yield from _held_world(django_db_blocker)


@pytest.fixture
def module_shared_world(module_world, db):
    """The module's world inside the test's own transaction, as ``shared_world`` is the class's. A test must
    not change its records in memory (``refresh_from_db`` after a change, a field set on them): the next
    test would see what the database has rolled back."""
    return SimpleNamespace(**vars(module_world))


def build_world() -> SimpleNamespace:
    home = f.area_tree("Fictional Shire", ("Northtown", "Southvale"))
    away = f.area_tree("Otherland", ("Farmouth",))
    police = f.agency(home["mappa"], Agency.Kind.POLICE, "Fictional Shire Police")
    probation = f.agency(home["mappa"], Agency.Kind.PROBATION, "Fictional Shire Probation")
    housing = f.agency(home["mappa"], Agency.Kind.HOUSING, "Northtown Housing")
    idva_service = f.agency(home["mappa"], Agency.Kind.IDVA_SERVICE, "Fictional IDVA Service")
    away_police = f.agency(away["mappa"], Agency.Kind.POLICE, "Otherland Police")
    ppu = f.team(police, "Public Protection Unit North", home["local"][0])
    other_team = f.team(police, "Public Protection Unit South", home["local"][1])

    users = SimpleNamespace(
        om=f.staff(
            "om", police, [Role.OFFENDER_MANAGER], team_=ppu, rank="Detective Constable", first="Olivia", last="Mercer"
        ),
        om2=f.staff("om2", police, [Role.OFFENDER_MANAGER], team_=other_team, rank="Detective Constable"),
        coordinator=f.staff("coordinator", police, [Role.MAPPA_COORDINATOR], rank="Police Staff"),
        supervisor=f.staff("supervisor", police, [Role.SUPERVISOR], team_=ppu, rank="Detective Sergeant"),
        chair=f.staff("chair", probation, [Role.CHAIR], rank="Senior Probation Officer"),
        marac=f.staff("marac", police, [Role.MARAC_COORDINATOR]),
        idva=f.staff("idva", idva_service, [Role.IDVA]),
        partner=f.staff("partner", housing, [Role.PARTNER]),
        analyst=f.staff("analyst", police, [Role.ANALYST]),
        admin=f.staff("admin", police, [Role.ADMINISTRATOR]),
        away_om=f.staff("away_om", away_police, [Role.OFFENDER_MANAGER]),
        norole=f.staff("norole", police, []),
        inactive=f.staff("inactive", police, [Role.OFFENDER_MANAGER]),
    )
    users.inactive.is_active = False
    users.inactive.save(update_fields=["is_active"])
    people = SimpleNamespace(
        offender=f.person(home["mappa"], "Jonathan", "Smith", dt.date(1980, 5, 17), pnc_id="2004/0012345D"),
        victim=f.person(home["mappa"], "Karen", "Ashdown", dt.date(1985, 2, 3)),
        other_offender=f.person(home["mappa"], "Peter", "Quill", dt.date(1975, 9, 9)),
        away=f.person(away["mappa"], "Farah", "Distant", dt.date(1990, 1, 1)),
    )
    nominals = SimpleNamespace(
        mine=f.nominal(
            people.offender,
            home["local"][0],
            police,
            users.om,
            rosh="high",
            next_review_due=dt.date.today() + dt.timedelta(days=3),
        ),
        other=f.nominal(people.other_offender, home["local"][1], police, users.om2),
        away=f.nominal(people.away, away["local"][0], away_police, users.away_om),
    )
    marac = Forum.objects.create(name="Northtown MARAC", kind=Forum.Kind.MARAC, area=home["mappa"])
    marac.member_agencies.set([police, housing, idva_service])
    ForumCase.objects.create(forum=marac, person=people.victim, opened_on=dt.date.today())
    return SimpleNamespace(
        home=home,
        away=away,
        police=police,
        probation=probation,
        housing=housing,
        idva_service=idva_service,
        users=users,
        people=people,
        nominals=nominals,
        marac=marac,
    )


def verified_client(client, user):
    """A test client signed in with both factors, as the sign-in pages would leave it."""
    import time

    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["signed_in_at"] = time.time()
    session.save()
    return client


@pytest.fixture
def sign_in(client):
    def _sign_in(user):
        return verified_client(client, user)

    return _sign_in
