"""People: find, read, record and change, and the parts recorded under a person."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.events import services as event_services
from safeguard.events.models import Conviction
from safeguard.events.serializers import ConvictionSerializer
from safeguard.people import services
from safeguard.people.models import Address, Alias, Person, Relationship, WarningMarker
from safeguard.people.search import find_people
from safeguard.people.serializers import (
    AddressSerializer,
    AliasSerializer,
    PersonChangeSerializer,
    PersonDetailSerializer,
    PersonMatchSerializer,
    PersonSearchSerializer,
    PersonSerializer,
    RelationshipSerializer,
    WarningMarkerSerializer,
)

from .. import problems
from .base import GatedViewSet, require_version, visible_people

NOT_FOUND = problems.NOT_FOUND
BAD_INPUT = problems.bad_input(query=True)
CONFLICT = problems.CONFLICT
PERSON_RULES = (
    "`date_of_birth` is in the future or before 1900",
    "`pnc_id`, `cro_number`, `nomis_number`, `crn` or `visor_ref` is not in its format (e.g. PNC ID 2004/0012345D)",
    "`non_field_errors`: the record breaks a rule across fields",
)
BAD_PERSON = problems.bad_input(*PERSON_RULES)


def _detail(person: Person) -> dict:
    """The saved person, with the identifiers that wait for review (the field names, never whose they are)."""
    waiting = getattr(person, "identifiers_for_review", [])
    return PersonDetailSerializer(DETAIL.get(pk=person.pk), context={"identifiers_for_review": waiting}).data


BAD_SEARCH = problems.bad_input(
    "`name` (or any criterion) is missing: give a name, a date of birth or an identifier",
    "`identifier` or `date_of_birth` is not a valid identifier or date",
)
BAD_ADDRESS = problems.bad_input(
    "`postcode` is not a real UK postcode",
    "`from_date` or `to_date` is out of order or in the future",
    "`non_field_errors`: the dates are out of order",
)
BAD_RELATIONSHIP = problems.bad_input(
    "`other` is a person who does not exist, whom you may not see, or this same person",
    "`personal_connection` or `domestic_abuse` does not fit the `kind`",
    "`from_date` or `to_date` is out of order",
    "`non_field_errors`: the record breaks a rule across fields",
)
BAD_CONVICTION = problems.bad_input(
    "`offence` is not a code on the offence list",
    "`relevant_date`, `sentence_date` or `release_date` is out of order or in the future",
    "`non_field_errors`: the record breaks a rule across fields",
)
BAD_PART = problems.bad_input("`non_field_errors`: the record breaks a rule across fields")
DETAIL = Person.objects.prefetch_related("aliases", "addresses", "warning_markers")


class PersonViewSet(GatedViewSet):
    """People the user may see: every list is scoped and audited, every read and change passes the gate."""

    serializer_class = PersonSerializer
    filter_backends: list = []

    paged_actions = ("list", "search", "relationships", "convictions")
    search_actions = ("search",)

    def get_queryset(self):
        return gate.scoped(self.request.user, Person.objects.all())

    def unknown_parameter_message(self, name: str) -> str:
        if name in PersonSearchSerializer().fields:
            return "Search criteria never go in a URL: POST them to /api/people/search/."
        return super().unknown_parameter_message(name)

    @extend_schema(
        summary="List people",
        description=(
            "The people the user may see, page by page. To find people, POST the criteria to "
            "/api/people/search/: names, dates of birth and identifiers are personal data and never go in a URL "
            "(a URL ends up in proxy and browser logs), so search criteria here are refused with a 400."
        ),
        responses={200: PersonMatchSerializer(many=True), 400: BAD_INPUT},
    )
    def list(self, request):
        return self.audited_page(self.get_queryset(), PersonMatchSerializer, Person)

    @extend_schema(
        summary="Find people",
        description="Give a name, a date of birth or an identifier (PNC ID, CRO, NOMIS, CRN, ViSOR or a nominal's).",
        request=PersonSearchSerializer,
        responses={200: PersonMatchSerializer(many=True), 400: BAD_SEARCH},
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        criteria = PersonSearchSerializer(data=request.data)
        criteria.is_valid(raise_exception=True)
        if not criteria.has_criteria():
            raise serializers.ValidationError({"name": ["Enter a name, a date of birth or an identifier."]})
        return self._search(criteria.validated_data)

    def _search(self, data: dict) -> Response:
        matches = find_people(
            self.request.user, name=data["name"], date_of_birth=data["date_of_birth"], identifier=data["identifier"]
        )
        people = []
        for match in matches:
            match.person.score, match.person.matched_on = match.score, match.matched_on
            people.append(match.person)
        criteria = {
            "name": data["name"],
            "identifier": data["identifier"],
            "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
        }
        return self.audited_page(
            people, PersonMatchSerializer, Person, operation=Operation.SEARCH, detail={"criteria": criteria}
        )

    @extend_schema(summary="Read a person", responses={200: PersonDetailSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        person = self.gated_record(DETAIL, Operation.VIEW)
        return Response(PersonDetailSerializer(person, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Record a person",
        description="The person is held by the user's MAPPA area. Identifiers are checked and normalised.",
        request=PersonSerializer,
        responses={201: PersonDetailSerializer, 400: BAD_PERSON, 404: NOT_FOUND},
    )
    def create(self, request):
        data = self.parse(PersonSerializer, request.data)
        person = services.create_person(self.ctx, Person(area_id=request.user.mappa_area_id, **data))
        return Response(_detail(person), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a person",
        description="Send only the fields that change, with the `version` read. A stale version answers 409.",
        request=PersonChangeSerializer,
        responses={200: PersonDetailSerializer, 400: BAD_PERSON, 404: NOT_FOUND, 409: CONFLICT},
    )
    def partial_update(self, request, pk=None):
        person = self.gated_record(Person.objects.all(), Operation.CHANGE)
        data = dict(self.parse(PersonChangeSerializer, request.data, partial=True))
        version, reason = require_version(data), data.pop("reason", "")
        data.pop("version")
        for field, value in data.items():
            setattr(person, field, value)
        services.change_person(self.ctx, person, expected_version=version, reason=reason)
        return Response(_detail(person))

    # Parts recorded under a person ------------------------------------------------

    def _add_part(self, serializer_class, model, service) -> Response:
        person = self.gated_record(Person.objects.all(), Operation.CHANGE)
        data = self.parse(serializer_class, self.request.data)
        record = service(self.ctx, model(person=person, **data))
        return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Add an alias",
        request=AliasSerializer,
        responses={201: AliasSerializer, 400: BAD_PART, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def aliases(self, request, pk=None):
        return self._add_part(AliasSerializer, Alias, services.add_alias)

    @extend_schema(
        summary="Add an address",
        request=AddressSerializer,
        responses={201: AddressSerializer, 400: BAD_ADDRESS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def addresses(self, request, pk=None):
        return self._add_part(AddressSerializer, Address, services.add_address)

    @extend_schema(
        summary="Add a warning marker",
        request=WarningMarkerSerializer,
        responses={201: WarningMarkerSerializer, 400: BAD_PART, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="warning-markers")
    def warning_markers(self, request, pk=None):
        return self._add_part(WarningMarkerSerializer, WarningMarker, services.add_warning_marker)

    @extend_schema(
        methods=["GET"],
        summary="A person's relationships",
        description="Both ways round. A name shows only for people the user may see.",
        responses={200: RelationshipSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a relationship",
        description='Read as "this person is KIND of other". Both people must be ones the user may record on.',
        request=RelationshipSerializer,
        responses={201: RelationshipSerializer, 400: BAD_RELATIONSHIP, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"])
    def relationships(self, request, pk=None):
        if request.method == "POST":
            person = self.gated_record(Person.objects.all(), Operation.CHANGE)
            data = self.parse(RelationshipSerializer, request.data)
            record = services.add_relationship(self.ctx, Relationship(person=person, **data))
            context = {"visible_people": visible_people(request.user, [record.person_id, record.other_id])}
            return Response(RelationshipSerializer(record, context=context).data, status=status.HTTP_201_CREATED)
        person = self.gated_record(Person.objects.all(), Operation.VIEW, {"list": "relationships"})
        records = list(
            Relationship.objects.filter(Q(person=person) | Q(other=person))
            .select_related("person", "other")
            .order_by("pk")
        )
        others = {r.person_id for r in records} | {r.other_id for r in records}
        return self.audited_page(
            records,
            RelationshipSerializer,
            Relationship,
            detail={"person": person.pk},
            context={"visible_people": visible_people(request.user, others)},
        )

    @extend_schema(
        methods=["GET"],
        summary="A person's convictions and cautions",
        responses={200: ConvictionSerializer(many=True), 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a conviction or caution",
        description="`offence` is the offence's code. Schedule flags default from the offence list.",
        request=ConvictionSerializer,
        responses={201: ConvictionSerializer, 400: BAD_CONVICTION, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"])
    def convictions(self, request, pk=None):
        if request.method == "POST":
            person = self.gated_record(Person.objects.all(), Operation.CHANGE)
            data = dict(self.parse(ConvictionSerializer, request.data))
            data.pop("version", None)  # a new record starts at version 1
            record = event_services.record_conviction(self.ctx, Conviction(person=person, **data))
            return Response(ConvictionSerializer(record).data, status=status.HTTP_201_CREATED)
        person = self.gated_record(Person.objects.all(), Operation.VIEW, {"list": "convictions"})
        records = person.convictions.select_related("offence").order_by("-relevant_date", "-pk")
        return self.audited_page(records, ConvictionSerializer, Conviction, detail={"person": person.pk})
