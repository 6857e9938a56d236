"""Records under a person, each at its own address: change a conviction, an alias, a relationship, a warning marker.

Each is found by its id and passes the gate as a change of the person it
belongs to (a relationship: of both people) before its body is read. Send only
the fields that change. These records carry no `version`: the last change wins.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from safeguard.audit.models import Operation
from safeguard.events import services as event_services
from safeguard.events.models import Conviction
from safeguard.events.serializers import ConvictionSerializer
from safeguard.people import services
from safeguard.people.models import Alias, Relationship, WarningMarker
from safeguard.people.serializers import (
    AliasSerializer,
    RelationshipChangeSerializer,
    RelationshipSerializer,
    WarningMarkerChangeSerializer,
    WarningMarkerSerializer,
)

from .base import GatedViewSet, require_version, visible_people
from .people import BAD_CONVICTION, BAD_PART, BAD_RELATIONSHIP, NOT_FOUND


class PartViewSet(GatedViewSet):
    """PATCH one record: gate, parse (partial), apply, save through the service, answer the record."""

    queryset = None
    change_serializer = None  # what may be sent
    serializer_class = None  # what is answered

    def save(self, record, reason: str, version: int | None) -> None:
        raise NotImplementedError

    def answer(self, record) -> Response:
        return Response(self.serializer_class(record, context=self.get_serializer_context()).data)

    def partial_update(self, request, pk=None):
        record = self.gated_record(self.queryset.all(), Operation.CHANGE)
        data = dict(self.parse(self.change_serializer, request.data, partial=True))
        reason = data.pop("reason", "")
        versioned = any(f.name == "version" for f in record._meta.concrete_fields)
        version = require_version(data) if versioned else None
        data.pop("version", None)
        for field, value in data.items():
            setattr(record, field, value)
        self.save(record, reason, version)
        return self.answer(record)


@extend_schema(tags=["convictions"])
class ConvictionViewSet(PartViewSet):
    queryset = Conviction.objects.select_related("person", "offence")
    change_serializer = ConvictionSerializer
    serializer_class = ConvictionSerializer

    @extend_schema(
        summary="Change a conviction or caution",
        description=(
            "`offence` is the offence's code. The schedule flags stay as sent or as they were. "
            "Send the `version` read: a stale version answers 409."
        ),
        request=ConvictionSerializer,
        responses={200: ConvictionSerializer, 400: BAD_CONVICTION, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def save(self, record, reason: str, version: int | None) -> None:
        event_services.change_conviction(self.ctx, record, expected_version=version)


@extend_schema(tags=["people"])
class AliasViewSet(PartViewSet):
    queryset = Alias.objects.select_related("person")
    change_serializer = AliasSerializer
    serializer_class = AliasSerializer

    @extend_schema(
        summary="Change an alias",
        request=AliasSerializer,
        responses={200: AliasSerializer, 400: BAD_PART, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def save(self, record, reason: str, version: int | None) -> None:
        services.change_alias(self.ctx, record)


@extend_schema(tags=["people"])
class WarningMarkerViewSet(PartViewSet):
    queryset = WarningMarker.objects.select_related("person")
    change_serializer = WarningMarkerChangeSerializer
    serializer_class = WarningMarkerSerializer

    @extend_schema(
        summary="Change a warning marker",
        description="Its note and start date. A different kind of warning is a new marker.",
        request=WarningMarkerChangeSerializer,
        responses={200: WarningMarkerSerializer, 400: BAD_PART, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def save(self, record, reason: str, version: int | None) -> None:
        services.change_warning_marker(self.ctx, record, reason=reason)

    @extend_schema(
        summary="Remove a warning marker",
        description="The record's history keeps it, and the audit says who removed it.",
        request=None,
        responses={204: None, 404: NOT_FOUND},
    )
    def destroy(self, request, pk=None):
        record = self.gated_record(self.queryset.all(), Operation.CHANGE)
        services.remove_warning_marker(self.ctx, record)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["people"])
class RelationshipViewSet(PartViewSet):
    queryset = Relationship.objects.select_related("person", "other")
    change_serializer = RelationshipChangeSerializer
    serializer_class = RelationshipSerializer

    @extend_schema(
        summary="Change a relationship",
        description="The two people are fixed. An end date (`to_date`) makes it a former relationship.",
        request=RelationshipChangeSerializer,
        responses={200: RelationshipSerializer, 400: BAD_RELATIONSHIP, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        return super().partial_update(request, pk)

    def save(self, record, reason: str, version: int | None) -> None:
        services.change_relationship(self.ctx, record, reason=reason)

    def answer(self, record) -> Response:
        context = {"visible_people": visible_people(self.request.user, [record.person_id, record.other_id])}
        return Response(RelationshipSerializer(record, context=context).data)
