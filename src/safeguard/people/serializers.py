"""API shapes for people. Parsing only: the rules live in the models' clean() and run in the services.

Uniqueness of identifiers is left to the model too (its check runs after clean()
has normalised the value), so the serializers drop DRF's own unique validators.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguard.access import gate

from .models import Address, Alias, Person, Relationship, WarningMarker

PERSON_FIELDS = [
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "pnc_id",
    "cro_number",
    "nomis_number",
    "crn",
    "visor_ref",
]


class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the requesting user may see; anyone else reads as not found (no hint they exist)."""

    default_error_messages = {
        "does_not_exist": "No person with this id that you may see.",
        "incorrect_type": "Give the person's id (a whole number).",
    }

    def get_queryset(self):
        request = self.context.get("request")
        return gate.scoped(getattr(request, "user", None), Person.objects.all())


class AliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alias
        fields = ["id", "kind", "given_name", "family_name", "date_of_birth"]


class AddressSerializer(serializers.ModelSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Address
        fields = ["id", "kind", "line_1", "line_2", "town", "postcode", "from_date", "to_date", "is_current"]


class WarningMarkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = WarningMarker
        fields = ["id", "code", "note", "from_date"]


class PersonSerializer(serializers.ModelSerializer):
    """A person as listed: names, date of birth and identifiers."""

    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = ["id", "full_name", *PERSON_FIELDS, "area", "version", "created_at", "updated_at"]
        read_only_fields = ["area", "version", "created_at", "updated_at"]
        extra_kwargs = {field: {"validators": []} for field in Person.IDENTIFIER_FIELDS}


class PersonDetailSerializer(PersonSerializer):
    """One person with their aliases, addresses and warning markers."""

    aliases = AliasSerializer(many=True, read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    warning_markers = WarningMarkerSerializer(many=True, read_only=True)
    identifiers_for_review = serializers.SerializerMethodField(
        help_text=(
            "Identifiers sent with this request that need checking: not recorded yet, sent to the review queue "
            "and added once a reviewer has checked them (empty on a read)."
        )
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "aliases", "addresses", "warning_markers", "identifiers_for_review"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_identifiers_for_review(self, person) -> list[str]:
        return list(self.context.get("identifiers_for_review", []))


class PersonChangeSerializer(serializers.ModelSerializer):
    """A partial change: only the fields sent change. `version` is the one read, to refuse a lost update."""

    version = serializers.IntegerField(min_value=1, help_text="The version of the record the change is based on.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    class Meta:
        model = Person
        fields = [*PERSON_FIELDS, "version", "reason"]
        extra_kwargs = {field: {"validators": []} for field in Person.IDENTIFIER_FIELDS}


class PersonSearchSerializer(serializers.Serializer):
    """What to look for. A name finds despite a slip of spelling; an identifier is any of a person's or a nominal's."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    identifier = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")

    def has_criteria(self) -> bool:
        data = self.validated_data
        return bool(data["name"].strip() or data["date_of_birth"] or data["identifier"].strip())


class PersonMatchSerializer(PersonSerializer):
    """A person in a list or a search result: with a search, how well they match and on what."""

    score = serializers.SerializerMethodField(help_text="How well the person matches (searches only).")
    matched_on = serializers.SerializerMethodField(help_text="What matched: name, an alias, identifier...")

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "score", "matched_on"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_score(self, person: Person) -> float | None:
        return getattr(person, "score", None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_matched_on(self, person: Person) -> str | None:
        return getattr(person, "matched_on", None)


class RelationshipSerializer(serializers.ModelSerializer):
    """Read as "person is KIND of other". Names show only for people the reader may see."""

    other = VisiblePersonField()
    person_name = serializers.SerializerMethodField()
    other_name = serializers.SerializerMethodField()

    class Meta:
        model = Relationship
        fields = [
            "id",
            "person",
            "person_name",
            "other",
            "other_name",
            "kind",
            "former",
            "personal_connection",
            "domestic_abuse",
            "from_date",
            "to_date",
        ]
        read_only_fields = ["person"]

    def _name(self, person: Person) -> str | None:
        visible = self.context.get("visible_people") or set()
        return person.full_name if person.pk in visible else None

    def get_person_name(self, relationship: Relationship) -> str | None:
        return self._name(relationship.person)

    def get_other_name(self, relationship: Relationship) -> str | None:
        return self._name(relationship.other)


class WarningMarkerChangeSerializer(serializers.ModelSerializer):
    """A marker's note and start date; a different kind of warning is a new marker."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    class Meta:
        model = WarningMarker
        fields = ["note", "from_date", "reason"]


class RelationshipChangeSerializer(serializers.ModelSerializer):
    """The two people are fixed; the rest may change. An end date makes it a former relationship."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    class Meta:
        model = Relationship
        fields = ["kind", "former", "personal_connection", "domestic_abuse", "from_date", "to_date", "reason"]
