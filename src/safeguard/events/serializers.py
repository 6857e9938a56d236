"""API shapes for incidents and convictions. The offence is named by its code (Offence.code)."""

from __future__ import annotations

from rest_framework import serializers

from safeguard.people.serializers import VisiblePersonField
from safeguard.workforce.models import Area

from .models import Conviction, Incident, IncidentPerson, IncidentRole, Offence


class OffenceCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": "Unknown offence code: choose one from the offence list.",
        "invalid": "Give the offence code as text.",
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Offence.objects.all(), **kwargs)


class IncidentPersonSerializer(serializers.ModelSerializer):
    """A person's part in an incident. Their name shows only to those who may see them."""

    person = VisiblePersonField()
    role = serializers.ChoiceField(choices=IncidentRole.choices)
    name = serializers.SerializerMethodField()

    class Meta:
        model = IncidentPerson
        fields = ["person", "role", "name"]

    def get_name(self, link: IncidentPerson) -> str | None:
        visible = self.context.get("visible_people") or set()
        return link.person.full_name if link.person_id in visible else None


class IncidentSerializer(serializers.ModelSerializer):
    offence = OffenceCodeField(required=False, allow_null=True)
    local_area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY),
        help_text="The local authority area where it happened.",
    )
    people = IncidentPersonSerializer(many=True, help_text="At least one person, each with their role.")

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "occurred_at",
            "place",
            "local_area",
            "domestic_abuse",
            "offence",
            "summary",
            "recorded_by",
            "people",
            "created_at",
            "version",
        ]
        read_only_fields = ["recorded_by", "created_at", "version"]
        extra_kwargs = {"reference": {"validators": []}}  # the model's full_clean checks uniqueness


class IncidentChangeSerializer(serializers.ModelSerializer):
    """An incident's own details; the people in it are not changed here."""

    offence = OffenceCodeField(required=False, allow_null=True)
    local_area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY),
        help_text="The local authority area where it happened.",
    )

    class Meta:
        model = Incident
        fields = ["reference", "occurred_at", "place", "local_area", "domestic_abuse", "offence", "summary", "version"]
        extra_kwargs = {
            "reference": {"validators": []},
            "version": {"required": False},
        }  # the model's full_clean checks uniqueness


class ConvictionSerializer(serializers.ModelSerializer):
    offence = OffenceCodeField()
    offence_description = serializers.CharField(source="offence.description", read_only=True)
    consecutive_to = serializers.IntegerField(
        source="consecutive_to_id",
        required=False,
        allow_null=True,
        help_text="The id of this person's conviction whose custodial term this term follows (consecutive, or "
        "partly concurrent with overlap_months): the notification period is read from the terms added together "
        "(SOA 2003 s.82(3)-(4)).",
    )

    class Meta:
        model = Conviction
        fields = [
            "id",
            "person",
            "kind",
            "offence",
            "offence_description",
            "offence_date",
            "relevant_date",
            "sentence_date",
            "disposal",
            "term_months",
            "discharge_months",
            "consecutive_to",
            "overlap_months",
            "licence_or_order_end",
            "soa_schedule_3",
            "cja_schedule_15",
            "court",
            "version",
        ]
        read_only_fields = ["person"]
        extra_kwargs = {"version": {"required": False, "help_text": "Send the version read when changing."}}
