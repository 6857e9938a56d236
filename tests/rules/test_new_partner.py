"""The Right to Know rule: who is a new intimate partner of a person under management."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from safeguard.rules import new_partner as rule
from safeguard.rules.relationships import RelationshipKind

MANAGED = dt.date(2026, 1, 1)
KINDS = [k.value for k in RelationshipKind]


def rel(other, kind=RelationshipKind.INTIMATE_PARTNER, *, former=False, started=None, seen=dt.date(2026, 6, 1)):
    return rule.PairFact(other, rule.Source.RELATIONSHIP, seen, str(kind), former, started)


def incident(other, seen=dt.date(2026, 6, 1)):
    return rule.PairFact(other, rule.Source.INCIDENT, seen)


def test_an_intimate_partner_from_after_management_is_new():
    found = rule.new_partners(MANAGED, [rel(7, started=dt.date(2026, 3, 1))])
    assert [p.other_id for p in found] == [7]
    assert found[0].since == dt.date(2026, 3, 1)
    assert any("intimate partner" in line for line in found[0].reasons)


def test_a_partner_from_before_management_is_not_new_even_if_recorded_later():
    assert rule.new_partners(MANAGED, [rel(7, started=dt.date(2025, 3, 1), seen=dt.date(2026, 6, 1))]) == []


def test_without_a_start_the_first_sighting_counts():
    assert [p.since for p in rule.new_partners(MANAGED, [rel(7), incident(7, dt.date(2026, 2, 1))])] == [
        dt.date(2026, 2, 1)
    ]
    assert rule.new_partners(MANAGED, [rel(7), incident(7, dt.date(2025, 2, 1))]) == []


def test_a_former_partner_never_and_a_family_member_not():
    assert rule.new_partners(MANAGED, [rel(7, former=True)]) == []
    assert rule.new_partners(MANAGED, [rel(7), rel(7, RelationshipKind.SPOUSE_OR_CIVIL_PARTNER, former=True)]) == []
    assert rule.new_partners(MANAGED, [rel(7, RelationshipKind.SIBLING), incident(7)]) == []


def test_an_incident_with_no_relationship_recorded_is_a_possible_partner():
    assert [p.other_id for p in rule.new_partners(MANAGED, [incident(9)])] == [9]


def test_not_managed_or_already_prompted_gives_nothing():
    assert rule.new_partners(None, [rel(7)]) == []
    assert rule.new_partners(MANAGED, [rel(7), rel(8)], already_prompted={7}) == [
        rule.new_partners(MANAGED, [rel(8)])[0]
    ]


days = st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1))
facts = st.lists(
    st.one_of(
        st.builds(
            rule.PairFact,
            other_id=st.integers(1, 6),
            source=st.just(rule.Source.RELATIONSHIP),
            seen_on=days,
            kind=st.sampled_from(KINDS),
            former=st.booleans(),
            started_on=st.none() | days,
        ),
        st.builds(rule.PairFact, other_id=st.integers(1, 6), source=st.just(rule.Source.INCIDENT), seen_on=days),
    ),
    max_size=12,
)


@given(facts, days)
def test_each_partner_at_most_once_and_never_a_former_one(pair_facts, managed):
    found = rule.new_partners(managed, pair_facts)
    ids = [p.other_id for p in found]
    assert len(ids) == len(set(ids))
    former = {f.other_id for f in pair_facts if f.former and rule.is_intimate(f.kind)}
    assert not former & set(ids)
    assert all(p.since >= managed for p in found)


@given(facts, days)
def test_once_prompted_never_again(pair_facts, managed):
    first = rule.new_partners(managed, pair_facts)
    again = rule.new_partners(managed, pair_facts, already_prompted={p.other_id for p in first})
    assert again == []


@given(facts, days)
def test_more_facts_about_other_people_do_not_change_a_verdict(pair_facts, managed):
    alone = {p.other_id: p for p in rule.new_partners(managed, [f for f in pair_facts if f.other_id == 1])}
    together = {p.other_id: p for p in rule.new_partners(managed, pair_facts)}
    assert alone.get(1) == together.get(1)
