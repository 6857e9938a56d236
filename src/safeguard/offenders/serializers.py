"""API shapes for nominals and their history. The rules (reasons, dates, lead agency) live in the model and services."""

from __future__ import annotations

from rest_framework import serializers

from safeguard.people.serializers import VisiblePersonField
from safeguard.workforce.models import Agency, Area

from .models import Nominal
from .services import CHANGE_FIELDS, OPEN_FIELDS, offender_managers_in


class NominalSerializer(serializers.ModelSerializer):
    person_name = serializers.SerializerMethodField()
    offender_manager_name = serializers.SerializerMethodField()

    class Meta:
        model = Nominal
        fields = [
            "id",
            "reference",
            "person",
            "person_name",
            "mappa_category",
            "management_level",
            "status",
            "location",
            "location_detail",
            "release_date",
            "rosh",
            "registered_sex_offender",
            "lead_agency",
            "offender_manager",
            "offender_manager_name",
            "local_area",
            "managed_from",
            "managed_until",
            "allocated_on",
            "next_review_due",
            "version",
        ]
        read_only_fields = fields

    def get_person_name(self, nominal: Nominal) -> str | None:
        """Shown only when the reader may see the person as well as the nominal."""
        visible = self.context.get("visible_people") or set()
        return nominal.person.full_name if nominal.person_id in visible else None

    def get_offender_manager_name(self, nominal: Nominal) -> str | None:
        return str(nominal.offender_manager) if nominal.offender_manager_id else None


class _AreaChoices:
    """Offender managers and lead agencies offered are those of one MAPPA area (context["mappa_area_id"])."""

    def _limit_choices(self) -> None:
        area_id = self.context.get("mappa_area_id")
        self.fields["offender_manager"].queryset = offender_managers_in(area_id)
        self.fields["lead_agency"].queryset = Agency.objects.filter(area_id=area_id)


class NominalOpenSerializer(_AreaChoices, serializers.ModelSerializer):
    person = VisiblePersonField()
    local_area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(kind=Area.Kind.LOCAL_AUTHORITY),
        help_text="The local authority area where the nominal is managed.",
    )

    class Meta:
        model = Nominal
        fields = ["person", *OPEN_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices()


class NominalChangeSerializer(_AreaChoices, serializers.ModelSerializer):
    """A partial change. A change of category, level or offender manager needs `reason` (kept in the history)."""

    version = serializers.IntegerField(min_value=1, help_text="The version of the record the change is based on.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        default="",
        help_text="Needed when the MAPPA category, management level or offender manager changes.",
    )

    class Meta:
        model = Nominal
        fields = [*CHANGE_FIELDS, "version", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_choices()


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field's name, as in the nominal's representation.")
    label = serializers.CharField()
    old = serializers.CharField(allow_null=True, help_text="As a page shows it; null in the first version.")
    new = serializers.CharField(help_text="As a page shows it (a choice's label, a date in words).")


class NominalChangeRecordSerializer(serializers.Serializer):
    """One entry of a nominal's history: when, who, why, and which fields went from what to what."""

    when = serializers.DateTimeField()
    who = serializers.CharField()
    why = serializers.CharField(allow_blank=True)
    kind = serializers.CharField()
    changes = FieldChangeSerializer(many=True, source="fields")
