"""API shapes for a nominal's intervention referrals, release checklists and IOM cohort memberships (reads only).
The rules live in ``rules.interventions``, ``rules.release_pathways`` and ``rules.iom_cohort``."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from .models import InterventionReferral, IomMembership, PathwayItem, Programme, ReleasePlan


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "kind", "provider", "pillar"]


class InterventionReferralSerializer(serializers.ModelSerializer):
    programme = ProgrammeSerializer(read_only=True)

    class Meta:
        model = InterventionReferral
        fields = [
            "id",
            "nominal",
            "programme",
            "pillar",
            "source",
            "action",
            "decision",
            "plan",
            "status",
            "referred_on",
            "started_on",
            "ended_on",
            "sessions_attended",
            "reason",
            "next_step_due_on",
            "notes",
            "version",
        ]


class PathwayItemSerializer(serializers.ModelSerializer):
    gap = serializers.SerializerMethodField(help_text="Cannot be arranged, or still to arrange when due or on release.")

    class Meta:
        model = PathwayItem
        fields = ["id", "pathway", "owner_agency", "due_on", "status", "detail", "in_place_on_day", "gap", "version"]

    def get_gap(self, item: PathwayItem) -> bool:
        return not item.plan.outcome and item.is_gap(timezone.localdate())


class ReleasePlanSerializer(serializers.ModelSerializer):
    items = PathwayItemSerializer(many=True, read_only=True)

    class Meta:
        model = ReleasePlan
        fields = [
            "id",
            "nominal",
            "release_date",
            "started_on",
            "outcome",
            "released_on",
            "outcome_notes",
            "items",
            "version",
        ]


class IomMembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = IomMembership
        fields = [
            "id",
            "nominal",
            "stream",
            "suggested_stream",
            "score",
            "neighbourhood_crime",
            "reason",
            "entered_on",
            "next_review_on",
            "last_reviewed_on",
            "exited_on",
            "exit_reason",
            "exit_note",
            "version",
        ]
