"""Finding pairs in the database, the review queue and a reviewer's decision."""

from __future__ import annotations

import pytest

from safeguard.access import gate
from safeguard.access.errors import VersionConflict
from safeguard.audit.models import AuditEvent, Operation
from safeguard.demo.duplicates import LabelledPeople
from safeguard.matching import services
from safeguard.matching.models import CandidatePair, MatchModel
from safeguard.people.models import Address, Alias, Person
from tests.matching import builders


def _people_with_duplicates(area, count=600):
    """Labelled people written to the database: {record id: person id} and each person's cluster."""
    records = list(LabelledPeople(seed=11).records(count))
    people = Person.objects.bulk_create(
        [
            Person(
                area=area,
                given_name=r["given_name"],
                family_name=r["family_name"],
                date_of_birth=r["date_of_birth"],
                gender=r["gender"] or "not_known",
                **{f: None for f in ("pnc_id", "cro_number", "nomis_number", "crn")},
            )
            for r in records
        ]
    )
    Address.objects.bulk_create(
        Address(person=p, line_1="1 Fictional Lane", postcode=r["postcode"], from_date="2020-01-01")
        for p, r in zip(people, records, strict=True)
        if r["postcode"]
    )
    Alias.objects.bulk_create(
        Alias(person=p, kind=Alias.Kind.PREVIOUS, family_name=name)
        for p, r in zip(people, records, strict=True)
        for name in r["other_family_names"]
    )
    return {p.pk: r["cluster"] for p, r in zip(people, records, strict=True)}


def test_a_trained_model_queues_the_people_entered_twice(world):
    area = world.home["mappa"]
    cluster_of = _people_with_duplicates(area)
    model = services.train_model(area)
    assert model.version == 1 and model.records >= 600 and model.model["comparisons"]
    found = services.find_pairs(area, model)
    pairs = list(CandidatePair.objects.filter(area=area))
    assert found.new == len(pairs) > 20
    right = sum(cluster_of.get(p.first_id) == cluster_of.get(p.second_id) for p in pairs)
    assert right / len(pairs) >= 0.9, "most queued pairs are one person"
    pair = max(pairs, key=lambda p: p.match_weight)
    assert pair.waterfall[0]["comparison"] == "prior"
    assert sum(step["weight"] for step in pair.waterfall) == pytest.approx(pair.match_weight, abs=0.01)
    assert AuditEvent.objects.filter(record_type="matching.matchmodel", record_id=model.pk).exists()
    # A second run keeps decisions and adds nothing twice.
    pair.status, pair.reason = "different", "Checked the PNC: two people"
    pair.save()
    again = services.find_pairs(area, services.train_model(area))
    assert again.new == 0
    pair.refresh_from_db()
    assert pair.status == "different" and MatchModel.objects.filter(area=area).count() == 2


def test_finding_pairs_needs_a_trained_model(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="train one first"):
        services.find_pairs(world.home["mappa"])


def _ctx(user):
    return gate.AccessContext(user=user, purpose="offender_management")


def test_a_decision_needs_its_reason_is_audited_and_is_final(world):
    pair = builders.pair(world)
    ctx = _ctx(world.users.coordinator)
    with pytest.raises(Exception, match="reason"):
        services.decide_pair(ctx, pair, decision="same", reason="yes", expected_version=1)
    decided = services.decide_pair(
        ctx, pair, decision="same", reason="Same PNC photograph and tattoo", expected_version=1
    )
    assert decided.status == "same" and decided.decided_by == world.users.coordinator and decided.version == 2
    assert AuditEvent.objects.filter(
        record_type="matching.candidatepair",
        record_id=pair.pk,
        operation=Operation.CHANGE,
        actor_id=world.users.coordinator.pk,
    ).exists()
    with pytest.raises(Exception, match="decided already"):
        services.decide_pair(ctx, pair, decision="different", reason="Changed my mind entirely", expected_version=2)
    with pytest.raises(VersionConflict):
        services.decide_pair(ctx, pair, decision="different", reason="Changed my mind entirely", expected_version=1)


def test_not_sure_leaves_the_pair_for_another_reviewer(world, sign_in):
    pair = builders.pair(world)
    services.decide_pair(
        _ctx(world.users.coordinator), pair, decision="not_sure", reason="Need the PNC record", expected_version=1
    )
    page = sign_in(world.users.supervisor).get("/matching/").content.decode()
    assert "Not sure" in page and f"/matching/{pair.pk}/" in page


def test_the_queue_lists_only_pairs_seen_in_full_and_counts_the_rest(world, sign_in):

    mine = builders.pair(world)
    # A pair with someone of another area: no home reviewer may see both.
    builders.pair(world, world.people.victim, world.people.away)
    page = sign_in(world.users.coordinator).get("/matching/").content.decode()
    assert f"/matching/{mine.pk}/" in page
    assert world.people.away.family_name not in page
    assert "1 more pair in your area waits for a reviewer who may see both records" in page


def test_the_pair_page_shows_both_records_and_the_waterfall(world, sign_in):
    pair = builders.pair(world)
    page = sign_in(world.users.coordinator).get(f"/matching/{pair.pk}/").content.decode()
    assert "Jonathon" in page and "Jonathan" in page
    assert "Day and month swapped" in page and "Starting point" in page
    for person in (pair.first, pair.second):
        assert AuditEvent.objects.filter(
            record_type="people.person", record_id=person.pk, actor_id=world.users.coordinator.pk, operation="view"
        ).exists()
