"""Within one request the rules read a MAPPA area's local areas once (access.policy.remembering); outside a
request they read them every time, so that a change to the areas shows at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.access import gate, policy
from safeguard.offenders.models import Nominal
from safeguard.workforce.models import Area


def _area_reads(captured) -> int:
    return sum(1 for q in captured.captured_queries if '"workforce_area"."parent_id" =' in q["sql"])


def test_outside_a_request_a_new_local_area_counts_at_once(world):
    om = world.users.om
    before = set(policy.area_ids(om))
    mappa = Area.objects.get(pk=om.mappa_area_id)
    added = Area.objects.create(name="Westmere", code="westmere-x", kind=Area.Kind.LOCAL_AUTHORITY, parent=mappa)
    assert set(policy.area_ids(om)) == before | {added.pk}
    assert added.pk in policy.local_area_ids(om)


def test_within_a_block_the_areas_are_read_once_and_the_scopes_agree(world):
    coordinator = world.users.coordinator
    outside = set(gate.scoped(coordinator, Nominal.objects.all()).values_list("pk", flat=True))
    with policy.remembering(), CaptureQueriesContext(connection) as captured:
        first = policy.area_ids(coordinator)
        again = policy.area_ids(coordinator)
        locals_ = policy.local_area_ids(coordinator)
        inside = set(gate.scoped(coordinator, Nominal.objects.all()).values_list("pk", flat=True))
    assert first == again and locals_ == first[1:]
    assert _area_reads(captured) == 1
    assert inside == outside and world.nominals.other.pk in inside


def test_the_block_keeps_nothing_after_it_ends(world):
    om = world.users.om
    with policy.remembering():
        policy.area_ids(om)
    mappa = Area.objects.get(pk=om.mappa_area_id)
    added = Area.objects.create(name="Eastmere", code="eastmere-x", kind=Area.Kind.LOCAL_AUTHORITY, parent=mappa)
    with policy.remembering():
        assert added.pk in policy.area_ids(om)


def test_my_work_reads_the_areas_once_a_request(world, sign_in):
    client = sign_in(world.users.coordinator)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/")
    assert page.status_code == 200
    assert _area_reads(captured) == 1


def test_the_local_areas_query_is_kept_and_a_new_area_still_counts_at_once(world):
    """The local areas are read with a prepared query (its SQL kept, its rows read every time: check mode compares
    each call with the ORM's)."""
    om = world.users.om
    before = set(policy.local_area_ids(om))
    mappa = Area.objects.get(pk=om.mappa_area_id)
    added = Area.objects.create(name="Eastmere", code="eastmere-x", kind=Area.Kind.LOCAL_AUTHORITY, parent=mappa)
    assert set(policy.local_area_ids(om)) == before | {added.pk}
    assert not policy._LOCAL_AREAS.refused(), policy._LOCAL_AREAS.refused()
    assert any(not isinstance(shape, str) for shape in policy._LOCAL_AREAS._shapes.values())
