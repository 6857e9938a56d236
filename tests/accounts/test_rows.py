"""The rows each request reads (its session, its member of staff, their second factor) are the ORM's rows,
read afresh on every request with one statement each (accounts/rows.py)."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.backends import PATH, SignedInStaff
from safeguard.accounts.rows import Statement
from safeguard.demo import factories as f
from safeguard.web.session_store import SessionStore
from safeguard.workforce.models import Role, Staff


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def _same(loaded, expected) -> None:
    assert type(loaded) is type(expected)
    assert _fields(loaded) == _fields(expected)
    assert {k: type(v) for k, v in _fields(loaded).items()} == {k: type(v) for k, v in _fields(expected).items()}
    assert loaded._state.adding is False and loaded._state.db == expected._state.db


def test_the_member_of_staff_is_the_orm_s_with_agency_area_and_team(world, django_assert_num_queries):
    om = world.users.om
    Staff.objects.filter(pk=om.pk).update(contracted_hours=Decimal("37.50"), roles=[Role.OFFENDER_MANAGER, "chair"])
    expected = Staff.objects.select_related("agency__area", "team").get(pk=om.pk)
    with django_assert_num_queries(1):
        user = SignedInStaff().get_user(om.pk)
        _same(user, expected)
        _same(user.agency, expected.agency)
        _same(user.agency.area, expected.agency.area)
        assert expected.team is not None
        _same(user.team, expected.team)
        assert user.roles == [Role.OFFENDER_MANAGER, "chair"] and user.contracted_hours == Decimal("37.50")
        assert user.mappa_area_id == om.mappa_area_id is not None


def test_a_member_of_staff_without_agency_or_team_has_none(world, django_assert_num_queries):
    loose = f.staff("loose", None, [Role.ANALYST])
    with django_assert_num_queries(1):
        user = SignedInStaff().get_user(loose.pk)
        assert user.pk == loose.pk
        assert user.agency is None and user.team is None and user.mappa_area_id is None


def test_each_read_is_afresh(world):
    om = world.users.om
    assert SignedInStaff().get_user(om.pk).roles == om.roles
    Staff.objects.filter(pk=om.pk).update(roles=[Role.ANALYST], is_active=True)
    assert SignedInStaff().get_user(om.pk).roles == [Role.ANALYST]
    Staff.objects.filter(pk=om.pk).update(is_active=False)
    assert SignedInStaff().get_user(om.pk) is None


def test_a_session_is_read_only_while_it_has_not_expired(world):
    store = SessionStore()
    store["x"] = 1
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"x": 1}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None
    assert SessionStore("nosuchkeyatallnosuchkey").load() == {}


def test_the_statement_refuses_what_it_cannot_join(world):
    with pytest.raises(ValueError):
        Statement(Staff, related=("caseload",))._compile(connection)


def _verified(user, device) -> Client:
    client = Client()
    client.force_login(user, backend=PATH)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["signed_in_at"] = time.time()
    session.save()
    return client


def test_the_second_factor_is_read_each_request_and_must_be_the_user_s_confirmed_own(world):
    om, other = world.users.om, world.users.supervisor
    device = TOTPDevice.objects.create(user=om, name="app", confirmed=True)
    client = _verified(om, device)
    page = client.get("/")
    assert page.status_code == 200 and page.wsgi_request.user.otp_device == device
    assert page.wsgi_request.user.is_verified()

    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    assert client.get("/").status_code == 302  # no longer a second factor: signed out

    mine = TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    borrowed = _verified(om, mine)  # a session naming someone else's device
    assert borrowed.get("/").status_code == 302

    gone = TOTPDevice.objects.create(user=om, name="gone", confirmed=True)
    client = _verified(om, gone)
    gone.delete()
    assert client.get("/").status_code == 302
