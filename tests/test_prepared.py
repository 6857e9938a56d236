"""safeguard.prepared: a prepared query's rows are the ORM's for any values (Hypothesis), the shapes it must not
keep are refused (every call then the ORM's), and the check mode catches a wrongly bound cache."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, Q
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard import prepared
from safeguard.people.models import Alias, Gender, Person
from safeguard.prepared import PreparedQuery, PreparedQueryMismatch

DAYS = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2010, 12, 31))
NAMES = st.sampled_from(["Smith", "Jones", "Brown", "Taylor", "Nobody", "O'Neil", "Smith\x01"])


@pytest.fixture
def people(world):
    """Twelve people with aliases, dates of birth and genders spread over the values the strategies draw."""
    area = world.home["mappa"]
    made = Person.objects.bulk_create(
        Person(
            given_name=f"Given{n}",
            family_name=["Smith", "Jones", "Brown", "Taylor"][n % 4],
            date_of_birth=dt.date(1960 + 4 * n, 1 + n % 12, 1 + n) if n % 5 else None,
            gender=[Gender.MALE, Gender.FEMALE, Gender.NOT_KNOWN][n % 3],
            area=area,
        )
        for n in range(12)
    )
    Alias.objects.bulk_create(
        Alias(person=person, family_name=f"Alias{n % 3}", date_of_birth=person.date_of_birth, kind=kind)
        for n, person in enumerate(made)
        for kind in (Alias.Kind.ALIAS, Alias.Kind.NICKNAME)[: 1 + n % 2]
    )
    return made


def _rows(queryset) -> list:
    """Rows as comparable values: instances by their fields (and their select_related rows), dicts and tuples as
    they are."""
    out = []
    for row in queryset:
        if isinstance(row, (Person, Alias)):
            fields = {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}
            extra = {k: v for k, v in vars(row).items() if k in ("aliases_n", "born")}
            person = row.person.__dict__.get("family_name") if isinstance(row, Alias) else None
            out.append((type(row), fields, extra, person, row._state.db))
        else:
            out.append(row)
    return out


def _same_as_orm(query: PreparedQuery, **arguments):
    assert _rows(query(**arguments)) == _rows(query.build(**arguments))


BY_BIRTH = PreparedQuery(
    "test.by_birth",
    Person,
    lambda born_after, name, gender: Person.objects.filter(
        date_of_birth__gt=born_after, family_name=name, gender=gender
    ).order_by("pk"),
)

ALIASES = PreparedQuery(
    "test.aliases",
    Alias,
    lambda names, born: (
        Alias.objects.select_related("person")
        .filter(Q(person__family_name__in=names) | Q(date_of_birth=born))
        .order_by("pk")
    ),
)

TWICE = PreparedQuery(
    "test.twice",
    Person,
    lambda name: Person.objects.filter(Q(family_name=name) | Q(given_name=name)).values("pk", "family_name"),
)

ANNOTATED = PreparedQuery(
    "test.annotated",
    Person,
    lambda area, least: (
        Person.objects.filter(area=area)
        .annotate(aliases_n=Count("aliases"), born=F("date_of_birth"))
        .filter(aliases_n__gte=least)
        .order_by("pk")
    ),
)

BY_IDS = PreparedQuery(
    "test.by_ids",
    Person,
    lambda ids: Person.objects.filter(pk__in=ids).order_by("-pk").values_list("pk", "family_name"),
)

NULLABLE = PreparedQuery(
    "test.nullable", Person, lambda born: Person.objects.filter(date_of_birth=born).values_list("pk", flat=True)
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(born_after=DAYS, name=NAMES, gender=st.sampled_from(list(Gender)))
def test_dates_strings_and_choices_are_bound_as_the_orm_binds_them(people, born_after, name, gender):
    _same_as_orm(BY_BIRTH, born_after=born_after, name=name, gender=gender)
    assert not BY_BIRTH.refused()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAMES, max_size=5), born=DAYS | st.none())
def test_select_related_lists_of_any_length_and_none(people, names, born):
    """Lists of different lengths (duplicates among them) and a None are shapes of their own; an empty list is
    refused (the ORM sends no query for it) and is the ORM's."""
    _same_as_orm(ALIASES, names=names, born=born)
    for key, reason in ALIASES.refused().items():
        assert ("list", 0, ()) in [part for _, part in key[3]], (key, reason)


def test_a_list_with_duplicates_binds_each_value_once(people):
    assert list(BY_IDS(ids=[people[2].pk, people[0].pk, people[2].pk])) == [
        (people[2].pk, people[2].family_name),
        (people[0].pk, people[0].family_name),
    ]
    _same_as_orm(BY_IDS, ids=[people[5].pk, people[5].pk, people[1].pk])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_an_argument_used_twice_fills_both_positions(people, name):
    _same_as_orm(TWICE, name=name)
    assert not TWICE.refused()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(least=st.integers(0, 3), by_instance=st.booleans())
def test_annotations_and_a_model_instance_or_its_id(people, world, least, by_instance):
    area = world.home["mappa"] if by_instance else world.home["mappa"].pk
    _same_as_orm(ANNOTATED, area=area, least=least)
    assert not ANNOTATED.refused()


def test_a_none_is_a_shape_of_its_own(people):
    assert set(NULLABLE(born=None)) == {p.pk for p in people if p.date_of_birth is None}
    assert set(NULLABLE(born=people[1].date_of_birth)) == {people[1].pk}
    assert set(NULLABLE(born=None)) == {p.pk for p in people if p.date_of_birth is None}


def test_the_second_call_builds_nothing(people, monkeypatch):
    query = PreparedQuery("test.built", Person, lambda name: Person.objects.filter(family_name=name).order_by("pk"))
    list(query(name="Smith"))
    monkeypatch.setattr(query, "build", lambda **_: pytest.fail("built again"))
    with override_settings(SAFEGUARD_PREPARED_QUERIES_CHECK=False):
        assert [p.pk for p in query(name="Jones")] == list(
            Person.objects.filter(family_name="Jones").order_by("pk").values_list("pk", flat=True)
        )


def test_the_queryset_cannot_be_narrowed_further(people):
    found = BY_BIRTH(born_after=dt.date(1950, 1, 1), name="Smith", gender=Gender.MALE)
    with pytest.raises(TypeError, match="only be iterated"):
        found.filter(pk=1)
    with pytest.raises(TypeError, match="only be iterated"):
        found.count()


def test_prefetch_related_is_the_orms(people, django_assert_num_queries):
    query = PreparedQuery(
        "test.prefetch",
        Person,
        lambda name: Person.objects.filter(family_name=name).prefetch_related("aliases").order_by("pk"),
    )
    list(query(name="Brown"))
    with override_settings(SAFEGUARD_PREPARED_QUERIES_CHECK=False), django_assert_num_queries(2):
        found = list(query(name="Taylor"))
        aliases = {p.pk: sorted(a.pk for a in p.aliases.all()) for p in found}
    assert aliases == {p.pk: sorted(p.aliases.values_list("pk", flat=True)) for p in found}


@pytest.mark.parametrize(
    ("build", "arguments", "reason"),
    [
        # The SQL changes with a value (a slice's bounds are written into it): refused, not guessed.
        (lambda n: Person.objects.all()[:n], {"n": 3}, "SQL changes"),
        # A value read inside the builder (a clock) changes between builds.
        (
            lambda name: Person.objects.filter(family_name=name, created_at__lt=dt.datetime.now(dt.UTC)),
            {"name": "Smith"},
            "change between two builds",
        ),
        # A value the builder works out from an argument: no preparation reproduces it.
        (
            lambda day: Person.objects.filter(date_of_birth__lt=day + dt.timedelta(days=1)),
            {"day": dt.date(2000, 1, 1)},
            "no known preparation",
        ),
        # An empty __in: the ORM sends no query.
        (lambda ids: Person.objects.filter(pk__in=ids), {"ids": []}, "no SQL"),
        # A type with no probe.
        (lambda pks: Person.objects.filter(pk__in=pks), {"pks": range(3)}, "no probe for a range"),
    ],
)
def test_shapes_it_cannot_prove_are_refused_and_left_to_the_orm(people, build, arguments, reason):
    query = PreparedQuery("test.refused", Person, build)
    assert _rows(query(**arguments)) == _rows(build(**arguments))
    if reason is not None:
        (found,) = query.refused().values()
        assert reason in found


def test_the_check_mode_catches_a_wrongly_bound_cache(people):
    query = PreparedQuery(
        "test.broken", Person, lambda name, born: Person.objects.filter(family_name=name, date_of_birth__gt=born)
    )
    list(query(name="Smith", born=dt.date(1950, 1, 1)))
    (shape,) = query._shapes.values()
    assert isinstance(shape, prepared._Shape)
    # The slots swapped: each argument bound in the other's position.
    swapped = tuple(
        prepared._Slot(slot.position, "born" if slot.argument == "name" else "name", None, slot.prepare)
        for slot in shape.slots
    )
    query._shapes = {
        key: prepared._Shape(shape.sql, shape.params, swapped, shape.queryset, shape.compiler) for key in query._shapes
    }
    with (
        override_settings(SAFEGUARD_PREPARED_QUERIES_CHECK=True),
        pytest.raises(PreparedQueryMismatch, match="test.broken"),
    ):
        query(name="Jones", born=dt.date(1960, 1, 1))


def test_the_check_mode_is_on_in_the_tests():
    from django.conf import settings as django_settings

    assert django_settings.SAFEGUARD_PREPARED_QUERIES_CHECK is True


def test_turned_off_every_call_is_the_orms(people, monkeypatch):
    query = PreparedQuery("test.off", Person, lambda name: Person.objects.filter(family_name=name))
    with override_settings(SAFEGUARD_PREPARED_QUERIES=False):
        assert {p.pk for p in query(name="Smith")} == set(
            Person.objects.filter(family_name="Smith").values_list("pk", flat=True)
        )
        assert not query._shapes


def test_past_its_shapes_a_query_is_the_orms(people, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_SHAPES", 2)
    query = PreparedQuery(
        "test.many", Person, lambda ids: Person.objects.filter(pk__in=ids).values_list("pk", flat=True)
    )
    pks = [p.pk for p in people]
    for n in range(1, 6):
        assert set(query(ids=pks[:n])) == set(pks[:n])
    assert len(query._shapes) == 2


def test_the_check_mode_catches_a_builder_that_branches_outside_its_key(people):
    """A builder that reads state it was not given (here a prefetch chosen by a flag, which leaves the SQL as it
    was) breaks the rule the cache stands on: the check mode says so."""
    flag = {"prefetch": False}

    def build(name):
        found = Person.objects.filter(family_name=name)
        return found.prefetch_related("aliases") if flag["prefetch"] else found

    query = PreparedQuery("test.branches", Person, build)
    list(query(name="Smith"))
    flag["prefetch"] = True
    with pytest.raises(PreparedQueryMismatch, match="test.branches"):
        query(name="Jones")


def test_a_keyed_builder_is_given_its_key(people):
    seen = []

    def build(key, *, family):
        seen.append(key)
        order = "given_name" if key == "by given name" else "-given_name"
        return Person.objects.filter(family_name=family).order_by(order, "pk")

    query = PreparedQuery("test.keyed", Person, build, keyed=True)
    for key in ("by given name", "reversed"):
        for _ in range(2):
            orm = list(build(key, family="Smith"))
            assert _rows(query(key=key, family="Smith")) == _rows(orm)
    assert {"by given name", "reversed"} <= set(seen)
    assert not query.refused()


def test_two_arguments_meeting_in_one_in_list_are_probed_apart(people):
    """An id and a list of the next ids in one ``__in``: a probe of the one must not equal a value of the other
    (the duplicate would be dropped and the SQL change), so the shape is kept."""
    first = min(p.pk for p in people)
    query = PreparedQuery(
        "test.apart",
        Person,
        lambda one, others: Person.objects.filter(pk__in=[one, *others]).order_by("pk"),
    )
    for start in (first, first + 3):
        for _ in range(2):
            got = [p.pk for p in query(one=start, others=[start + 1, start + 2])]
            assert got == [p.pk for p in Person.objects.filter(pk__in=[start, start + 1, start + 2]).order_by("pk")]
    assert not query.refused(), query.refused()


def test_count_of_a_prepared_query_is_the_orms_count(people):
    query = PreparedQuery(
        "test.count", Person, lambda family: Person.objects.filter(family_name=family).values("pk")[:2]
    )
    for family in ("Smith", "Jones", "Nobody"):
        for _ in range(2):
            assert prepared.count_of(query(family=family)) == Person.objects.filter(family_name=family)[:2].count()
    assert prepared.count_of(Person.objects.filter(pk__in=[])) == 0
    assert (
        prepared.count_of(Person.objects.filter(family_name="Smith"))
        == Person.objects.filter(family_name="Smith").count()
    )


@override_settings(SAFEGUARD_PREPARED_QUERIES_CHECK=False)
def test_a_lookup_that_escapes_its_value_is_not_kept_as_given(people):
    """SQLite's ``iexact`` is a LIKE that escapes ``%`` and ``_`` in its value: were the shape kept from a value
    without them, a later "S%" would be bound unescaped and match every name beginning with S. The probe holds
    them, so there it is refused (PostgreSQL compares UPPER(...) = UPPER(%s), the value as given, and keeps it)."""
    query = PreparedQuery(
        "test.like", Person, lambda name: Person.objects.filter(family_name__iexact=name).order_by("pk")
    )
    for name in ("smith", "S%", "T_ylor", "smith"):
        assert [p.pk for p in query(name=name)] == [
            p.pk for p in Person.objects.filter(family_name__iexact=name).order_by("pk")
        ], name
    assert bool(query.refused()) is (connection.vendor == "sqlite")
