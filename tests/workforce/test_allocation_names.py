"""The allocation batch shows each nominal by name to those the gate lets see it, by reference otherwise."""

from __future__ import annotations

from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.workforce.models import AllocationBatch
from safeguard.workforce.views.allocation import _named_nominals
from tests.workforce.roles_allocation import add_officer, add_release, team_of


def test_the_batch_names_the_nominals_the_supervisor_may_see(world, sign_in):
    add_officer(world, "trained", trained=True, last="Trained")
    nominal = add_release(world, days=12, management_level=2, rosh="high")
    client = sign_in(world.users.supervisor)
    client.post(reverse("workforce:allocation"), {"team": team_of(world).pk, "kind": "unallocated"})
    batch = AllocationBatch.objects.get()
    page = client.get(reverse("workforce:batch", kwargs={"pk": batch.pk})).content.decode()
    row = page.split(f'id="recommendation-{batch.recommendations.get(nominal=nominal).pk}"', 1)[1].split("</tr>")[0]
    assert nominal.person.full_name in row and nominal.reference in row
    event = AuditEvent.objects.filter(detail__page="allocation batch").latest("id")
    assert nominal.pk in event.detail["shown"]


def test_a_nominal_outside_the_users_scope_is_not_named(world):
    home, away = world.nominals.mine.pk, world.nominals.away.pk
    assert _named_nominals(world.users.away_om, [home, away]) == {away}
    assert _named_nominals(world.users.om, [home, away]) == {home}
    assert _named_nominals(world.users.om, []) == set()
