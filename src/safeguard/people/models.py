"""People: the POLE core. A person may be an offender in one case and a victim in another."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguard.rules import identifiers
from safeguard.rules.relationships import HOMICIDE_INDEX_GROUP, PersonalConnection, RelationshipKind

from .validators import validate_postcode

RELATIONSHIP_KINDS = RelationshipKind.choices_list()
PERSONAL_CONNECTIONS = PersonalConnection.choices_list()


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """Self-defined ethnicity, the 2021 Census (England and Wales) 19 categories."""

    A1 = "A1", "Asian or Asian British: Indian"
    A2 = "A2", "Asian or Asian British: Pakistani"
    A3 = "A3", "Asian or Asian British: Bangladeshi"
    A4 = "A4", "Asian or Asian British: Chinese"
    A9 = "A9", "Asian or Asian British: any other Asian background"
    B1 = "B1", "Black, Black British, Caribbean or African: Caribbean"
    B2 = "B2", "Black, Black British, Caribbean or African: African"
    B9 = "B9", "Black, Black British, Caribbean or African: any other Black background"
    M1 = "M1", "Mixed or multiple: White and Black Caribbean"
    M2 = "M2", "Mixed or multiple: White and Black African"
    M3 = "M3", "Mixed or multiple: White and Asian"
    M9 = "M9", "Mixed or multiple: any other Mixed background"
    W1 = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    W2 = "W2", "White: Irish"
    W3 = "W3", "White: Gypsy or Irish Traveller"
    W4 = "W4", "White: Roma"
    W9 = "W9", "White: any other White background"
    O1 = "O1", "Other ethnic group: Arab"
    O9 = "O9", "Other ethnic group: any other ethnic group"
    NS = "NS", "Not stated"


class Person(models.Model):
    """A person known to one or more agencies. Identifiers are optional and unique."""

    given_name = models.CharField("first name", max_length=80)
    middle_names = models.CharField(max_length=120, blank=True)
    family_name = models.CharField("last name", max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NS)

    pnc_id = models.CharField("PNC ID", max_length=14, null=True, blank=True, unique=True)
    cro_number = models.CharField("CRO number", max_length=12, null=True, blank=True, unique=True)
    nomis_number = models.CharField("NOMIS number", max_length=7, null=True, blank=True, unique=True)
    crn = models.CharField("probation CRN", max_length=7, null=True, blank=True, unique=True)
    visor_ref = models.CharField("ViSOR reference", max_length=20, null=True, blank=True, unique=True)

    area = models.ForeignKey(
        "workforce.Area",
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The MAPPA area that holds this record.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; stops a lost update.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Computed by people.retention from the rules; never typed in.
    retention_group = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    retention_review_due = models.DateField(null=True, blank=True, editable=False)
    earliest_disposal_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["retention_group", "retention_review_due", "earliest_disposal_on"])

    IDENTIFIER_FIELDS = ("pnc_id", "cro_number", "nomis_number", "crn", "visor_ref")

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["area", "family_name"]),
            # A family name alone, in name order: search reads the first page of a common name from here and
            # stops, rather than fetching every "Jones" to sort them.
            models.Index(Upper("family_name"), "given_name", "id", name="person_family_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.middle_names, self.family_name) if p)

    def age_on(self, day: dt.date) -> int | None:
        if not self.date_of_birth:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def clean(self) -> None:
        errors = {}
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be today or in the past."
        elif self.date_of_birth and self.date_of_birth.year < 1900:
            errors["date_of_birth"] = "Date of birth must be after 1900."
        for field in self.IDENTIFIER_FIELDS:
            value = getattr(self, field)
            if value in (None, ""):
                setattr(self, field, None)
                continue
            try:
                setattr(self, field, identifiers.NORMALISERS[field](value))
            except identifiers.IdentifierError as exc:
                errors[field] = str(exc)
        if errors:
            raise ValidationError(errors)


class Alias(models.Model):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        NICKNAME = "nickname", "Nickname"
        PREVIOUS = "previous", "Previous or birth name"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    given_name = models.CharField("first name", max_length=80, blank=True)
    family_name = models.CharField("last name", max_length=80)
    date_of_birth = models.DateField(
        null=True, blank=True, db_index=True, help_text="A date of birth used with this alias."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["family_name", "given_name"]
        indexes = [
            # A family name search reads the people known by the name as an alias (``family_name__iexact``):
            # without this, every alias is read and upper-cased on every search (3 ms of PostgreSQL's CPU a
            # family-name search on the national world's 11,919 aliases, the most of any of its reads).
            models.Index(Upper("family_name"), name="alias_family_name_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def clean(self) -> None:
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "Date of birth must be today or in the past."})


class NameKey(models.Model):
    """Search keys for a person's names and aliases (see safeguard.rules.names)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=90)
    part = models.CharField(max_length=1, choices=[("f", "family name"), ("g", "given name")])

    class Meta:
        indexes = [models.Index(fields=["part", "key"], name="namekey_lookup")]

    def __str__(self) -> str:
        return self.key


class Address(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", "Home address"
        APPROVED_PREMISES = "approved_premises", "Approved premises"
        TEMPORARY = "temporary", "Temporary or second address"
        NO_FIXED_ABODE = "nfa", "No fixed abode"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOME)
    line_1 = models.CharField("address line 1", max_length=120, blank=True)
    line_2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField("town or city", max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    from_date = models.DateField("lived here from")
    to_date = models.DateField("lived here until", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["-from_date"]

    def __str__(self) -> str:
        if self.kind == self.Kind.NO_FIXED_ABODE:
            return "No fixed abode"
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    @property
    def is_current(self) -> bool:
        return self.to_date is None or self.to_date >= timezone.localdate()

    def clean(self) -> None:
        errors = {}
        if self.to_date and self.from_date and self.to_date < self.from_date:
            errors["to_date"] = "The date they left must be the same as or after the date they moved in."
        if self.from_date and self.from_date > timezone.localdate():
            errors["from_date"] = "The date they moved in must be today or in the past."
        if self.kind != self.Kind.NO_FIXED_ABODE and not (self.line_1 and self.postcode):
            errors["line_1"] = "Enter the first line of the address and its postcode, or choose no fixed abode."
        if errors:
            raise ValidationError(errors)


class WarningMarker(models.Model):
    """PNC-style warning signals that keep staff safe."""

    class Code(models.TextChoices):
        VIOLENT = "VI", "Violent"
        WEAPONS = "WE", "Weapons"
        FIREARMS = "FI", "Firearms"
        EXPLOSIVES = "EX", "Explosives"
        DRUGS = "DR", "Drugs"
        ESCAPER = "ES", "Escaper"
        SELF_HARM = "SH", "Self-harm"
        SUICIDAL = "SU", "Suicidal"
        MENTAL_HEALTH = "MH", "Mental health"
        CONTAGIOUS = "CO", "Contagious"
        ALLEGES = "AT", "Alleges"
        SEX_OFFENDER = "SX", "Sexual offences"
        DOMESTIC_ABUSE = "DA", "Domestic abuse"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="warning_markers")
    code = models.CharField(max_length=2, choices=Code.choices)
    note = models.CharField(max_length=200, blank=True)
    from_date = models.DateField(default=dt.date.today)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.get_code_display()


class Relationship(models.Model):
    """A typed relationship between two people, read as "person is KIND of other"."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=30, choices=RELATIONSHIP_KINDS)
    former = models.BooleanField(default=False, help_text="The relationship has ended (for example ex-partner).")
    personal_connection = models.CharField(
        max_length=30,
        choices=PERSONAL_CONNECTIONS,
        default=PersonalConnection.NONE.value,
        help_text="The Domestic Abuse Act 2021 s.2 ground on which they are personally connected.",
    )
    domestic_abuse = models.BooleanField("domestic abuse", default=False)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(person=models.F("other")), name="relationship_two_people"),
        ]

    def __str__(self) -> str:
        former = "former " if self.former else ""
        return f"{former}{self.get_kind_display().lower()}"

    @property
    def homicide_index_group(self) -> str:
        return HOMICIDE_INDEX_GROUP[RelationshipKind(self.kind)]

    def clean(self) -> None:
        errors = {}
        if self.person_id and self.person_id == self.other_id:
            errors["other"] = "A relationship needs two different people."
        if self.domestic_abuse and self.personal_connection == PersonalConnection.NONE:
            errors["personal_connection"] = (
                "Domestic abuse needs the two people to be personally connected: choose how."
            )
        if self.from_date and self.to_date and self.to_date < self.from_date:
            errors["to_date"] = "The end date must be the same as or after the start date."
        if self.to_date and not self.former:
            self.former = True
        if errors:
            raise ValidationError(errors)


class LegalHold(models.Model):
    """A hold that blocks disposal of a person's records (litigation, inquiry, complaint)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    placed_on = models.DateField(default=timezone.localdate)
    placed_by = models.ForeignKey("workforce.Staff", on_delete=models.PROTECT, related_name="+")
    lifted_on = models.DateField(null=True, blank=True)
    lifted_by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lift_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_on", "-id"]

    def __str__(self) -> str:
        return f"Legal hold from {self.placed_on:%d %b %Y}"

    @property
    def in_force(self) -> bool:
        return self.lifted_on is None
