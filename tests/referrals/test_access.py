"""Who sees which referral: forum membership, the IDVA's victims, the referrer, the coordinators; lists agree."""

from __future__ import annotations

import pytest

from safeguard.access import gate
from safeguard.audit.models import AuditEvent, Operation
from safeguard.referrals.models import Referral
from tests.referrals import builders as b

S = Referral.Status


def _page(sign_in, user, referral):
    return sign_in(user).get(f"/referrals/{referral.pk}/")


def test_a_partner_not_on_the_forum_cannot_see_a_referral(world, forums, sign_in):
    referral = b.advance(world, b.mappa_referral(world), S.SUBMITTED)  # housing is not on the MAPPA forums
    assert not gate.decide(world.users.partner, Operation.VIEW, referral).allowed
    assert _page(sign_in, world.users.partner, referral).status_code == 404
    assert AuditEvent.objects.filter(
        actor_id=world.users.partner.pk, record_type="referrals.referral", record_id=referral.pk, outcome="refused"
    ).exists()


def test_a_partner_on_the_forum_sees_the_referral_of_a_person_on_its_cases(world, forums, sign_in):
    referral = b.advance(world, b.marac_referral(world), S.SUBMITTED)  # the victim has an open MARAC case
    assert _page(sign_in, world.users.partner, referral).status_code == 200


def test_the_idva_sees_marac_referrals_of_the_victims_the_service_supports(world, forums, sign_in):
    supported = b.advance(world, b.marac_referral(world), S.SUBMITTED)
    stranger = b.person(world, "Sara", "Stranger")
    unsupported = b.advance(world, b.marac_referral(world, person=stranger, perpetrators=[]), S.SUBMITTED)
    client = sign_in(world.users.idva)
    assert client.get(f"/referrals/{supported.pk}/").status_code == 200
    assert client.get(f"/referrals/{unsupported.pk}/").status_code == 404
    listed = client.get("/referrals/?status=all").content.decode()
    assert f">Referral {supported.pk}<" in listed and f">Referral {unsupported.pk}<" not in listed


def test_once_accepted_the_idva_sees_the_new_victim(world, forums, sign_in):
    stranger = b.person(world, "Sara", "Stranger")
    referral = b.advance(world, b.marac_referral(world, person=stranger, perpetrators=[]), S.ACCEPTED)
    assert _page(sign_in, world.users.idva, referral).status_code == 200


def test_the_referrer_sees_their_own_referral_and_the_coordinators_their_forums(world, forums, sign_in):
    referral = b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    for who in ("om", "coordinator", "om2", "supervisor", "chair"):
        assert _page(sign_in, getattr(world.users, who), referral).status_code == 200, who
    for who in ("analyst", "admin", "away_om", "norole", "idva"):
        assert _page(sign_in, getattr(world.users, who), referral).status_code == 404, who


@pytest.mark.parametrize(
    "who",
    ["om", "om2", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "analyst", "admin", "away_om"],
)
def test_the_list_shows_exactly_the_referrals_the_gate_lets_the_user_see(world, forums, sign_in, who):
    made = [
        b.advance(world, b.mappa_referral(world), S.SUBMITTED),
        b.advance(world, b.marac_referral(world), S.ACCEPTED),
        b.advance(
            world, b.marac_referral(world, person=b.person(world, "Sara", "Stranger"), perpetrators=[]), S.SCREENING
        ),
    ]
    user = getattr(world.users, who)
    page = sign_in(user).get("/referrals/?status=all").content.decode()
    for referral in made:
        shown = f">Referral {referral.pk}<" in page
        assert shown is gate.decide(user, Operation.VIEW, referral).allowed, (who, referral.pk)


def test_other_people_drafts_are_not_in_a_coordinator_list(world, forums, sign_in):
    draft = b.mappa_referral(world)
    page = sign_in(world.users.coordinator).get("/referrals/?status=all").content.decode()
    assert f">Referral {draft.pk}<" not in page
    mine = sign_in(world.users.om).get("/referrals/").content.decode()
    assert f">Referral {draft.pk}<" in mine


def test_the_list_is_audited_with_what_it_showed(world, forums, sign_in):
    referral = b.advance(world, b.mappa_referral(world), S.SUBMITTED)
    sign_in(world.users.coordinator).get("/referrals/")
    event = AuditEvent.objects.filter(actor_id=world.users.coordinator.pk, record_type="referrals.referral").last()
    assert event.detail["shown"] == [referral.pk] and event.detail["status"] == "open"


def test_a_partner_may_not_refer_someone_they_may_not_see(world, forums, sign_in):
    client = sign_in(world.users.partner)
    assert client.get(f"/referrals/people/{world.people.offender.pk}/matac/").status_code == 404
    assert client.get(f"/referrals/people/{world.people.victim.pk}/marac/").status_code == 200
