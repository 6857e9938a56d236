"""My work asks once which of its short sections have records before the gate (web.my_work.present) and reads
only those through the gate: the same sections as asking each one, and nothing the gate refuses."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.pathways import my_work as pathways_my_work
from safeguard.web import my_work
from tests.actions.records import records as action_records
from tests.pathways.records import records as pathway_records


def _users(world) -> list:
    return [u for u in vars(world.users).values() if u.is_active]


def test_present_names_each_section_that_has_records(world):
    pathway_records(world)
    action_records(world)
    today = timezone.localdate()
    seen = set()
    for user in _users(world):
        candidates = my_work.short_section_candidates(user, today)
        having = {name for name, queryset in candidates.items() if queryset.exists()}
        assert my_work.present(user, candidates) == having, user.username
        seen |= having
    # the world gives some user each of these, so the comparison above is not only of empty sets
    assert {"pathway_steps", "release_gaps", "shared_observations", "actions", "prompts"} <= seen


def test_the_sections_are_those_asking_each_one_gives(world):
    pathway_records(world)
    today = timezone.localdate()
    for user in _users(world):
        ctx = gate.AccessContext(user=user, purpose="offender_management")
        candidates = my_work.short_section_candidates(user, today)
        having = my_work.present(user, candidates)
        asked = {n: candidates[n] for n in pathways_my_work.SECTIONS if n in having}
        assert pathways_my_work.my_work_context(ctx, user, today, asked) == pathways_my_work.my_work_context(
            ctx, user, today
        ), user.username


def test_a_record_the_gate_refuses_stays_off_my_work_though_it_is_there(world, sign_in):
    r = pathway_records(world)
    # om keeps their caseload but loses their role: the referral and the checklist are still of their caseload
    # (before the gate), but a user with no role may read no nominal, nor what is part of one
    user = world.users.om
    user.roles = []
    user.save(update_fields=["roles"])
    assert {"pathway_steps", "release_gaps"} <= my_work.present(
        user, my_work.short_section_candidates(user, timezone.localdate())
    )
    page = sign_in(user).get(reverse("web:home")).content.decode()
    assert "Intervention steps due" not in page and r.programme.name not in page
    assert "Gaps in release checklists" not in page


def test_a_user_with_none_of_them_sends_one_query_for_them_all(world, sign_in):
    pathway_records(world)
    action_records(world)
    client = sign_in(world.users.om2)
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("web:home")).content.decode()
    assert "Intervention steps due" not in page and "My actions" not in page
    tables = ("pathways_interventionreferral", "pathways_pathwayitem", "pathways_peerobservation", "actions_action")
    asking = [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in tables)]
    assert len(asking) == 1 and all(t in asking[0] for t in tables)
