"""The synthetic world: reproducible for a seed, believable in its proportions, valid in every field."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from safeguard.audit.models import AuditEvent
from safeguard.demo import signins, world
from safeguard.demo.factories import DEMO_PASSWORD
from safeguard.events.models import Conviction, IncidentPerson, Offence
from safeguard.offenders.models import MappaCategory, Nominal
from safeguard.people.models import Alias, NameKey, Person
from safeguard.people.search import find_people, keys_for
from safeguard.rules import identifiers
from safeguard.workforce.models import Role, Staff
from tests.demo.conftest import held_world

pytestmark = pytest.mark.django_db

SMALL = {"nominals": 400, "incidents": 1200}


def _digest() -> str:
    """Names, dates of birth and identifiers of every person, in id order."""
    rows = Person.objects.order_by("id").values_list(
        "given_name", "middle_names", "family_name", "date_of_birth", *Person.IDENTIFIER_FIELDS
    )
    nominals = Nominal.objects.order_by("id").values_list("reference", "mappa_category", "management_level")
    return hashlib.sha256(repr((list(rows), list(nominals))).encode()).hexdigest()


@pytest.fixture(scope="module")
def module_small_world(django_db_setup, django_db_blocker):
    yield from held_world(
        django_db_blocker, seed=11, nominal_count=SMALL["nominals"], incident_count=SMALL["incidents"]
    )


@pytest.fixture
def small_world(module_small_world, db):
    """One small world for the module (its tests only read it): generated once, not once per test."""
    return module_small_world


def test_same_seed_same_world():
    """Two runs with one seed on an empty database give the same people and identifiers."""
    digests = []
    for _ in range(2):
        savepoint = transaction.savepoint()
        world.generate(seed=5, nominal_count=60, incident_count=150)
        digests.append(_digest())
        transaction.savepoint_rollback(savepoint)
    assert digests[0] == digests[1]
    world.generate(seed=6, nominal_count=60, incident_count=150)
    assert _digest() != digests[0]


def test_proportions_roughly_right(small_world):
    nominals = Nominal.objects.all()
    assert nominals.count() == SMALL["nominals"]
    levels = Counter(nominals.values_list("management_level", flat=True))
    assert levels[1] / SMALL["nominals"] >= 0.90
    categories = Counter(nominals.values_list("mappa_category", flat=True))
    assert categories.most_common(1)[0][0] == MappaCategory.ONE
    assert not nominals.filter(mappa_category=MappaCategory.THREE, management_level=1).exists()
    assert set(nominals.filter(mappa_category="1").values_list("registered_sex_offender", flat=True)) == {True}


def test_every_identifier_passes_its_normaliser(small_world):
    for field in Person.IDENTIFIER_FIELDS:
        values = list(Person.objects.exclude(**{f"{field}__isnull": True}).values_list(field, flat=True))
        assert values, field
        assert len(values) == len(set(values))
        for value in values:
            assert identifiers.NORMALISERS[field](value) == value


def test_records_are_valid_and_consistent(small_world):
    for person in Person.objects.all()[:300]:
        person.full_clean(validate_unique=False)
    for nominal in Nominal.objects.select_related("person", "lead_agency")[:300]:
        nominal.full_clean(validate_unique=False)
    for conviction in Conviction.objects.select_related("person", "offence")[:300]:
        conviction.full_clean(validate_unique=False)
    cat1 = Conviction.objects.filter(person__nominals__mappa_category="1")
    assert (
        not cat1.filter(soa_schedule_3=False, offence__soa_schedule_3=False)
        .exclude(person__in=Conviction.objects.filter(soa_schedule_3=True).values("person"))
        .exists()
    )
    cat2 = Conviction.objects.filter(person__nominals__mappa_category="2", disposal="imprisonment")
    assert (
        not cat2.filter(term_months__lt=12, cja_schedule_15=True)
        .exclude(person__in=Conviction.objects.filter(term_months__gte=12).values("person"))
        .exists()
    )


def test_name_keys_for_every_person_and_alias(small_world):
    assert Alias.objects.exists()
    for person in Person.objects.prefetch_related("aliases").order_by("?")[:200]:
        expected = sorted((k.part, k.key) for k in keys_for(person))
        assert sorted(NameKey.objects.filter(person_id=person.pk).values_list("part", "key")) == expected


def test_heavy_tail_of_incidents(small_world):
    per_perpetrator = Counter(IncidentPerson.objects.filter(role="perpetrator").values_list("person_id", flat=True))
    counts = sorted(per_perpetrator.values())
    assert counts[len(counts) // 2] <= 2
    assert counts[-1] >= 8


def test_demo_sign_ins_and_one_audit_event(small_world):
    for spec in signins.SIGN_INS:
        user = Staff.objects.get(username=spec.username)
        assert user.roles == list(spec.roles)
        assert user.check_password(DEMO_PASSWORD)
    admin = Staff.objects.get(username="admin.demo")
    assert admin.is_staff and admin.is_superuser
    om = Staff.objects.get(username=signins.OFFENDER_MANAGER)
    assert om.rank_or_grade == "Detective Constable" and om.has_role(Role.OFFENDER_MANAGER)
    assert Staff.objects.get(username="supervisor.demo").team_id == om.team_id
    assert Staff.objects.get(username="idva.demo").agency.kind == "idva_service"
    assert Staff.objects.get(username="housing.demo").agency.kind == "housing"
    caseload = om.caseload.all()
    assert caseload.count() == signins.CASELOAD
    today = timezone.localdate()
    assert caseload.filter(management_level=2, next_review_due__lt=today).exists()
    assert caseload.filter(
        management_level=2, next_review_due__gte=today, next_review_due__lte=today + dt.timedelta(days=7)
    ).exists()
    events = AuditEvent.objects.filter(record_type=world.RECORD_TYPE)
    assert events.count() == 1
    assert events.get().actor_username == world.SYSTEM_USERNAME
    assert not Staff.objects.get(username=world.SYSTEM_USERNAME).has_usable_password()


def test_typo_search_finds_the_tour_nominal(small_world):
    om = Staff.objects.get(username=signins.OFFENDER_MANAGER)
    matches = find_people(om, name=signins.TOUR_SEARCH)
    assert matches and matches[0].person.family_name == signins.TOUR_FAMILY_NAME
    assert matches[0].person.nominals.get().offender_manager == om


def test_if_empty_does_nothing_on_a_populated_database(small_world):
    before = (Person.objects.count(), Nominal.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    call_command("generate_world", "--seed", "3", "--nominals", "10", "--if-empty", stdout=out)
    assert "no world generated" in out.getvalue()
    assert (Person.objects.count(), Nominal.objects.count(), AuditEvent.objects.count()) == before


def test_demo_sign_ins_command_lists_every_sign_in(small_world):
    out = StringIO()
    call_command("demo_sign_ins", stdout=out)
    text = out.getvalue()
    for spec in signins.SIGN_INS:
        assert spec.username in text
    assert DEMO_PASSWORD in text and "http://127.0.0.1:8000" in text


def test_offence_reference_list_loaded():
    assert Offence.objects.count() >= 25
    rape = Offence.objects.get(code="SOA2003-s1")
    assert rape.soa_schedule_3 and rape.cja_schedule_15 and not rape.cjs_code
    murder = Offence.objects.get(code="CL-murder")
    assert murder.is_murder and not murder.cja_schedule_15
    assert Offence.objects.get(code="SCA2015-s76").domestic_abuse_related


def test_the_tour_nominal_has_a_new_partner_prompt_and_a_former_partner_without_one(small_world):
    from safeguard.actions.models import Prompt
    from safeguard.people.models import Relationship

    tour = small_world["tour_person_id"]
    assert small_world["right_to_know"] >= 1
    prompts = Prompt.objects.filter(kind=Prompt.Kind.RIGHT_TO_KNOW, person_id=tour)
    new = Relationship.objects.get(person_id=tour, kind="intimate_partner")
    former = Relationship.objects.get(person_id=tour, former=True)
    assert set(prompts.values_list("partner_id", flat=True)) == {new.other_id}
    assert former.other_id not in set(prompts.values_list("partner_id", flat=True))
    assert prompts.filter(assigned_to__username=signins.OFFENDER_MANAGER).exists()
