"""A nominal's intervention referrals, release checklists and IOM cohort memberships (reads only).

The nominal passes the gate's one-record rule (a refusal is the one 404, audited); its records are then listed
through the gate's scope for their kind and audited as a list, as every other list of the API."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.pathways.models import InterventionReferral, IomMembership, PathwayItem, ReleasePlan
from safeguard.pathways.serializers import (
    InterventionReferralSerializer,
    IomMembershipSerializer,
    ReleasePlanSerializer,
)

from .base import GatedViewSet
from .people import NOT_FOUND


class NominalPathwaysViewSet(GatedViewSet):
    """Reads under /api/nominals/{id}/: the nominal through the gate, then its records through their scope."""

    paged_actions = ("intervention_referrals", "release_checklists", "iom_memberships")
    filter_backends: list = []

    def _nominal(self, page: str) -> Nominal:
        return self.gated_record(Nominal.objects.all(), Operation.VIEW, {"page": page})

    @extend_schema(
        summary="A nominal's intervention referrals",
        description="Newest first: each referral to a programme, its status and dates.",
        responses={200: InterventionReferralSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="intervention-referrals")
    def intervention_referrals(self, request, pk=None):
        nominal = self._nominal("intervention referrals")
        found = gate.scoped(request.user, InterventionReferral.objects.filter(nominal=nominal)).select_related(
            "programme"
        )
        return self.audited_page(
            found.order_by("-referred_on", "-pk"), InterventionReferralSerializer, InterventionReferral
        )

    @extend_schema(
        summary="A nominal's release checklists",
        description="One per release date, earliest first: each pathway's owner agency, due date and status, whether "
        "it is a gap today, what was in place on the day and the release-day outcome.",
        responses={200: ReleasePlanSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="release-checklists")
    def release_checklists(self, request, pk=None):
        nominal = self._nominal("release checklists")
        items = Prefetch("items", PathwayItem.objects.select_related("plan").order_by("pk"))
        found = gate.scoped(request.user, ReleasePlan.objects.filter(nominal=nominal)).prefetch_related(items)
        return self.audited_page(found.order_by("release_date", "pk"), ReleasePlanSerializer, ReleasePlan)

    @extend_schema(
        summary="A nominal's times in the IOM cohort",
        description="Newest first: stream (and the one suggested), the panel's reason, reviews, exit and its reason.",
        responses={200: IomMembershipSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path="iom-memberships")
    def iom_memberships(self, request, pk=None):
        nominal = self._nominal("IOM cohort")
        found = gate.scoped(request.user, IomMembership.objects.filter(nominal=nominal))
        return self.audited_page(found.order_by("-entered_on", "-pk"), IomMembershipSerializer, IomMembership)
