"""Incidents: record one with the people in it, read one, change its details, list them by date and DA flag."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.events import services
from safeguard.events.models import Incident
from safeguard.events.serializers import IncidentChangeSerializer, IncidentSerializer

from .. import problems
from ..filters import IncidentFilter
from .base import GatedViewSet, require_version, visible_people
from .people import BAD_INPUT, NOT_FOUND

BAD_INCIDENT = problems.bad_input(
    "`local_area` is not a local area (or not one of your MAPPA area)",
    "`offence` is not a code on the offence list",
    "`people` names a person who does not exist or whom you may not see, or no one",
    "`occurred_at` is in the future",
    "`non_field_errors`: the record breaks a rule across fields",
)

INCIDENTS = Incident.objects.select_related("offence").prefetch_related("people__person")


class IncidentViewSet(GatedViewSet):
    """Incidents the user may see: every list is scoped and audited, every read and change passes the gate."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter

    def get_queryset(self):
        return gate.scoped(self.request.user, INCIDENTS.all())

    def _context(self, incidents) -> dict:
        ids = {link.person_id for incident in incidents for link in incident.people.all()}
        return {"visible_people": visible_people(self.request.user, ids)}

    @extend_schema(summary="List incidents", responses={200: IncidentSerializer(many=True), 400: BAD_INPUT})
    def list(self, request):
        incidents = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(incidents)
        gate.audit_list(self.ctx, Operation.VIEW, Incident, [i.pk for i in page], {"filters": self._filters()})
        serializer = IncidentSerializer(page, many=True, context=self._context(page))
        return self.get_paginated_response(serializer.data)

    def _filters(self) -> dict:
        return {k: v for k, v in self.request.query_params.items() if k in IncidentFilter.base_filters}

    @extend_schema(summary="Read an incident", responses={200: IncidentSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        incident = self.gated_record(INCIDENTS, Operation.VIEW)
        return Response(IncidentSerializer(incident, context=self._context([incident])).data)

    @extend_schema(
        summary="Record an incident",
        description=(
            "With the people in it and their roles, all or nothing. `offence` is the offence's code. "
            "The recording agency is the user's."
        ),
        request=IncidentSerializer,
        responses={201: IncidentSerializer, 400: BAD_INCIDENT, 404: NOT_FOUND},
    )
    def create(self, request):
        data = dict(self.parse(IncidentSerializer, request.data))
        people = [(link["person"], link["role"]) for link in data.pop("people")]
        incident = services.record_incident(self.ctx, Incident(recorded_by_id=request.user.agency_id, **data), people)
        incident = INCIDENTS.get(pk=incident.pk)
        return Response(IncidentSerializer(incident, context=self._context([incident])).data, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change an incident's details",
        description=(
            "Send only the fields that change; the people in it are not changed here. "
            "Send the `version` read: a stale version answers 409."
        ),
        request=IncidentChangeSerializer,
        responses={200: IncidentSerializer, 400: BAD_INCIDENT, 404: NOT_FOUND},
    )
    def partial_update(self, request, pk=None):
        incident = self.gated_record(INCIDENTS, Operation.CHANGE)
        data = dict(self.parse(IncidentChangeSerializer, request.data, partial=True))
        version = require_version(data)
        data.pop("version")
        for field, value in data.items():
            setattr(incident, field, value)
        services.change_incident(self.ctx, incident, expected_version=version)
        incident = INCIDENTS.get(pk=incident.pk)
        return Response(IncidentSerializer(incident, context=self._context([incident])).data)
