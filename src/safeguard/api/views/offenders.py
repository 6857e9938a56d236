"""Nominals: list and filter, read, open, change with a reason, and their history."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.offenders import services
from safeguard.offenders.history import nominal_changes
from safeguard.offenders.models import Nominal
from safeguard.offenders.serializers import (
    NominalChangeRecordSerializer,
    NominalChangeSerializer,
    NominalOpenSerializer,
    NominalSerializer,
)

from .. import problems
from ..filters import NominalFilter
from .base import GatedViewSet, require_version, visible_people
from .people import BAD_INPUT, CONFLICT, NOT_FOUND

BAD_NOMINAL = problems.bad_input(
    "`person` is a person who does not exist, whom you may not see, or who already has an open nominal",
    "`local_area`, `lead_agency` or `offender_manager` does not exist or is not of the nominal's MAPPA area",
    "`reason` is missing for a change of category, level or offender manager",
    "`managed_from`, `managed_until`, `release_date` or `next_review_due` is out of order",
    "`mappa_category` or `management_level` does not fit the rest of the record",
    "`non_field_errors`: the record breaks a rule across fields",
)

NOMINALS = Nominal.objects.select_related("person", "offender_manager", "local_area", "lead_agency")


class NominalViewSet(GatedViewSet):
    """Nominals the user may see: every list is scoped and audited, every read and change passes the gate."""

    serializer_class = NominalSerializer
    filterset_class = NominalFilter
    paged_actions = ("list", "history")

    def get_queryset(self):
        return gate.scoped(self.request.user, NOMINALS.all())

    def _render(self, nominals, many: bool = False, status_code: int = status.HTTP_200_OK) -> Response:
        records = nominals if many else [nominals]
        context = {"visible_people": visible_people(self.request.user, [n.person_id for n in records])}
        return Response(NominalSerializer(nominals, many=many, context=context).data, status=status_code)

    @extend_schema(summary="List nominals", responses={200: NominalSerializer(many=True), 400: BAD_INPUT})
    def list(self, request):
        nominals = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(nominals)
        filters = {k: v for k, v in request.query_params.items() if k in NominalFilter.base_filters}
        gate.audit_list(self.ctx, Operation.VIEW, Nominal, [n.pk for n in page], {"filters": filters})
        context = {"visible_people": visible_people(request.user, [n.person_id for n in page])}
        return self.get_paginated_response(NominalSerializer(page, many=True, context=context).data)

    @extend_schema(summary="Read a nominal", responses={200: NominalSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        return self._render(self.gated_record(NOMINALS, Operation.VIEW))

    @extend_schema(
        summary="Open a nominal",
        description="A management record around a person the user may see, in a local area of the user's MAPPA area.",
        request=NominalOpenSerializer,
        responses={201: NominalSerializer, 400: BAD_NOMINAL, 404: NOT_FOUND},
    )
    def create(self, request):
        context = {**self.get_serializer_context(), "mappa_area_id": request.user.mappa_area_id}
        serializer = NominalOpenSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        nominal = services.open_nominal(self.ctx, Nominal(**serializer.validated_data))
        return self._render(NOMINALS.get(pk=nominal.pk), status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a nominal",
        description=(
            "Send only the fields that change, with the `version` read (a stale version answers 409). "
            "A change of MAPPA category, management level or offender manager needs `reason`."
        ),
        request=NominalChangeSerializer,
        responses={200: NominalSerializer, 400: BAD_NOMINAL, 404: NOT_FOUND, 409: CONFLICT},
    )
    def partial_update(self, request, pk=None):
        nominal = self.gated_record(NOMINALS, Operation.CHANGE)
        area_id = nominal.local_area.parent_id or nominal.local_area_id
        context = {**self.get_serializer_context(), "mappa_area_id": area_id}
        serializer = NominalChangeSerializer(data=request.data, partial=True, context=context)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version, reason = require_version(data), data.pop("reason", "")
        data.pop("version")
        for field, value in data.items():
            setattr(nominal, field, value)
        services.change_nominal(self.ctx, nominal, expected_version=version, reason=reason)
        return self._render(NOMINALS.get(pk=nominal.pk))

    @extend_schema(
        summary="A nominal's history",
        description="Newest first: who changed which field from what to what, when and why.",
        responses={200: NominalChangeRecordSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        nominal = self.gated_record(NOMINALS, Operation.VIEW, {"page": "history"})
        page = self.paginate_queryset(nominal_changes(nominal))
        return self.get_paginated_response(NominalChangeRecordSerializer(page, many=True).data)
