"""The signed-in member of staff is loaded for each request with their agency, area and team (accounts/backends.py)."""

from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.backends import PATH, SignedInStaff
from safeguard.demo.factories import DEMO_PASSWORD


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_completed_sign_in_loads_the_user_through_it(world, client):
    device = TOTPDevice.objects.create(user=world.users.om, name="app", confirmed=True)
    client.post("/sign-in/", {"username": "om", "password": DEMO_PASSWORD})
    assert client.post("/sign-in/code/", {"code": _code(device)})["Location"] == "/"
    assert client.session[BACKEND_SESSION_KEY] == PATH
    page = client.get("/")
    assert page.status_code == 200 and page.wsgi_request.user.pk == world.users.om.pk


def test_the_user_comes_with_agency_area_and_team_in_one_query(world, django_assert_num_queries):
    om = world.users.om
    with django_assert_num_queries(1):
        user = SignedInStaff().get_user(om.pk)
        assert user.mappa_area_id == om.mappa_area_id is not None
        assert user.agency.name == om.agency.name
        assert (user.team.pk if user.team else None) == om.team_id


def test_an_inactive_or_missing_member_of_staff_is_no_one(world):
    om = world.users.om
    om.is_active = False
    om.save(update_fields=["is_active"])
    assert SignedInStaff().get_user(om.pk) is None
    assert SignedInStaff().get_user(10**9) is None


def test_it_signs_no_one_in(world, rf):
    request = rf.post("/sign-in/")
    assert SignedInStaff().authenticate(request, username="om", password=DEMO_PASSWORD) is None
    assert authenticate(request, username="om", password="not the password") is None
