"""Shared fixtures: a small fictional area with one member of staff per role."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.demo import factories as f
from safeguard.meetings.models import Forum, ForumCase
from safeguard.workforce.models import Agency, Role


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each xdist worker has its own test database (pytest-django names it ``..._gw0``, ``..._gw1``). On SQLite
    the file is made afresh; its write-ahead log and shared-memory files from an earlier, interrupted run
    would not match it ("disk I/O error"), so they go first."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME")
    if database["ENGINE"] == "django.db.backends.sqlite3" and name and name != ":memory:":
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


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
