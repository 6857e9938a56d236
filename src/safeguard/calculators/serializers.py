"""What the calculator endpoints take and give back (JSON); the field names are the rules' input names."""

from __future__ import annotations

import re

from rest_framework import serializers

from safeguard.events.models import Offence
from safeguard.rules import dash, marac, notification, rfg, rm2000

from . import services

DATE_MESSAGES = {
    "invalid": "Enter a real date as YYYY-MM-DD, for example 2025-02-28.",
    "datetime": "Enter a date as YYYY-MM-DD, not a date and time.",
}
MAX_RECORDS = 200
MAX_REASON = 2000
VICTIM_LABEL = re.compile(r"^[A-Za-z0-9]{1,4}$")
NOT_A_SETTING = "This is not an RFG setting: check its spelling."
VICTIM_LABEL_MESSAGE = "Give the victim a short label such as A or V1 (1 to 4 letters or digits), never a name."


class CalculatorDateField(serializers.DateField):
    """A date as YYYY-MM-DD; a date that does not exist (31 February) or a far-off year is refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", DATE_MESSAGES)
        super().__init__(input_formats=["iso-8601"], **kwargs)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not services.date_in_range(day):
            raise serializers.ValidationError(f"Enter a date from {services.EARLIEST_YEAR} to {services.LATEST_YEAR}.")
        return day


class StepSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text="The section or row of the source the step applied.")


class AnswerSerializer(serializers.Serializer):
    """The working every answer carries."""

    working = StepSerializer(many=True, read_only=True)
    explanation = serializers.CharField(read_only=True, help_text="The working as sentences, each with its source.")


# Notification -----------------------------------------------------------------


class TermSerializer(serializers.Serializer):
    term_months = serializers.IntegerField(help_text="The custodial term in whole months.")
    consecutive_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The number (from 0) of the earlier term in this list that this term follows; null for none.",
    )
    overlap_months = serializers.IntegerField(
        required=False,
        default=0,
        help_text="For partly concurrent terms: months this term overlaps the one it follows (0: consecutive).",
    )


class DetainedSerializer(serializers.Serializer):
    start = CalculatorDateField(help_text="First day in custody or detained in hospital.")
    end = CalculatorDateField(help_text="Last day in custody or detention (the day before release).")


class NotificationDeadlineInputs(serializers.Serializer):
    """The optional deadlines beside the period (a change, the next periodic notification, travel, the review)."""

    terms = TermSerializer(
        many=True,
        required=False,
        allow_null=True,
        default=None,
        max_length=20,
        help_text="Instead of term_months: the terms of several Schedule 3 offences, each with the term it follows "
        "(consecutive or partly concurrent, s.82(3)-(4)). Terms that follow none run concurrently.",
    )
    sentenced_on = CalculatorDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Date of sentence where later than the conviction: a conditional discharge runs from the order.",
    )
    change_kind = serializers.ChoiceField(
        choices=[k.value for k in notification.ChangeKind],
        required=False,
        allow_null=True,
        default=None,
        help_text="A change to notify (s.84(1); the 2012 Regulations' bank or card account, identity document, "
        "child in the household): its deadline is given as change_notification_due.",
    )
    change_on = CalculatorDateField(required=False, allow_null=True, default=None, help_text="Day of the change.")
    last_notified_on = CalculatorDateField(
        required=False, allow_null=True, default=None, help_text="Day of the last notification: the next periodic."
    )
    no_fixed_abode = serializers.BooleanField(default=False, help_text="No sole or main residence: weekly.")
    departure_on = CalculatorDateField(
        required=False, allow_null=True, default=None, help_text="Day of departure abroad: notice deadlines."
    )
    detained = DetainedSerializer(
        many=True,
        required=False,
        default=list,
        max_length=20,
        help_text="Periods in custody or detention (s.83(6), s.84(5), s.85(3)-(4)).",
    )
    first_notification_after_release = CalculatorDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For indefinite notification: the first notification after release (s.91B). Without it the "
        "review date cannot be worked out.",
    )
    review_refused_on = CalculatorDateField(required=False, allow_null=True, default=None)
    further_qualifying_date = CalculatorDateField(
        required=False, allow_null=True, default=None, help_text="Set by the chief officer (s.91B(4)-(6))."
    )
    further_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_REASON)


class NotificationInputSerializer(NotificationDeadlineInputs):
    relevant_date = CalculatorDateField(help_text="Date of conviction, finding or caution.")
    date_of_birth = CalculatorDateField()
    disposal_type = serializers.ChoiceField(
        choices=services.DISPOSALS,
        error_messages={"invalid_choice": f"Choose a disposal from: {', '.join(c for c, _ in services.DISPOSALS)}."},
        help_text="The disposal; 'other' is any other description, such as a community order or a fine.",
    )
    term_months = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The custodial term in whole months."
    )
    discharge_months = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The period of a conditional discharge in months."
    )
    released_on = CalculatorDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Day of release or return, if in custody, in hospital or outside the UK on the relevant date.",
    )


class NotificationAnswerSerializer(AnswerSerializer):
    indefinite = serializers.BooleanField(read_only=True)
    years = serializers.IntegerField(read_only=True, help_text="0 when indefinite.")
    months = serializers.IntegerField(read_only=True, help_text="0 when indefinite.")
    end_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="Last day the requirements apply; null when indefinite."
    )
    under_18 = serializers.BooleanField(read_only=True, help_text="Under 18 on the relevant date.")
    halved = serializers.BooleanField(read_only=True, help_text="Whether s.82(2) halved the period.")
    table_row = serializers.CharField(read_only=True, help_text="The row of the s.82 table applied.")
    initial_notification_due = serializers.DateField(read_only=True)
    starts_on = serializers.DateField(read_only=True, help_text="First day of the period.")
    term_months_read = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The term the table was read with (the aggregate of combined terms)."
    )
    change_notification_due = serializers.DateField(read_only=True, allow_null=True)
    periodic_notification_due = serializers.DateField(read_only=True, allow_null=True)
    travel_notify_by = serializers.DateField(
        read_only=True, allow_null=True, help_text="At least 7 clear days before departure (R v Turner)."
    )
    travel_change_notify_by = serializers.DateField(read_only=True, allow_null=True)
    review_qualifying_date = serializers.DateField(read_only=True, allow_null=True)
    review_qualifying_reason = serializers.CharField(read_only=True)
    sections = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Every section or source the working applied."
    )


# DASH -------------------------------------------------------------------------


class DashInputSerializer(serializers.Serializer):
    answers = serializers.ListField(
        child=serializers.ChoiceField(
            choices=dash.ANSWERS, error_messages={"invalid_choice": "Answer each question yes, no or dont_know."}
        ),
        min_length=dash.QUESTION_COUNT,
        max_length=dash.QUESTION_COUNT,
        error_messages={
            "min_length": f"Give {dash.QUESTION_COUNT} answers, one for each question in order.",
            "max_length": f"Give {dash.QUESTION_COUNT} answers, one for each question in order.",
        },
        help_text=f"{dash.QUESTION_COUNT} answers in the checklist's order: yes, no or dont_know.",
    )
    professional_judgement = serializers.BooleanField(
        default=False, help_text="The professional judges the risk high (a reason is then required)."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_REASON, trim_whitespace=True
    )
    events_last_12_months = serializers.IntegerField(
        min_value=0,
        help_text="Domestic-abuse events known to any agency in the 12 months to the incident date, this one included.",
    )
    last_marac_referral = CalculatorDateField(allow_null=True, required=False, default=None)
    incident_date = CalculatorDateField()


class DashAnswerSerializer(AnswerSerializer):
    yes_count = serializers.IntegerField(read_only=True)
    grade = serializers.CharField(read_only=True, help_text="The checklist's grade: standard, medium or high.")
    grade_after_judgement = serializers.CharField(
        read_only=True, help_text="The grade after professional judgement and the 14+ rule."
    )
    criteria = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=f"Any of: {', '.join(marac.CRITERIA)}."
    )
    refer_to_marac = serializers.BooleanField(read_only=True)
    repeat = serializers.BooleanField(read_only=True)
    definition = serializers.CharField(read_only=True, help_text="The checklist definition and edition used.")
    status = serializers.CharField(read_only=True, help_text="Whether the definition is confirmed.")
    escalation_window_start = serializers.DateField(read_only=True)
    escalation_window_end = serializers.DateField(read_only=True)


# Risk Matrix 2000 ---------------------------------------------------------------


class Rm2000InputSerializer(serializers.Serializer):
    age_at_commencement = serializers.IntegerField(help_text="Age at commencement of risk, 18 or over.")
    sexual_appearances = serializers.IntegerField()
    criminal_appearances = serializers.IntegerField()
    violent_appearances = serializers.IntegerField()
    any_burglary = serializers.BooleanField()
    aggravating_factors = serializers.ListField(
        child=serializers.ChoiceField(
            choices=rm2000.AGGRAVATING_FACTORS,
            error_messages={"invalid_choice": f"Choose from: {', '.join(rm2000.AGGRAVATING_FACTORS)}."},
        ),
        allow_empty=True,
        default=list,
    )


class Rm2000AnswerSerializer(AnswerSerializer):
    s_points = serializers.IntegerField(read_only=True)
    s_step1_category = serializers.CharField(read_only=True)
    s_category = serializers.CharField(read_only=True)
    v_points = serializers.IntegerField(read_only=True)
    v_category = serializers.CharField(read_only=True)
    c_points = serializers.IntegerField(read_only=True)
    c_category = serializers.CharField(read_only=True)
    definition = serializers.CharField(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="'unconfirmed': the point values are those commonly cited, not checked."
    )
    notes = serializers.CharField(read_only=True)


# RFG ----------------------------------------------------------------------------


class RfgConfigSerializer(serializers.Serializer):
    """RFG settings: a setting left out takes Safeguard's default; an unknown one is refused."""

    look_back_years = serializers.IntegerField(required=False)
    recency_bands = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        required=False,
        help_text="[months, points] pairs, shortest period first.",
    )
    frequency_weight = serializers.IntegerField(required=False)
    frequency_cap = serializers.IntegerField(required=False, allow_null=True)
    gravity_weights = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="Points per record by offence code."
    )
    non_crime_gravity = serializers.IntegerField(required=False)
    default_crime_gravity = serializers.IntegerField(required=False)
    victim_weight = serializers.IntegerField(required=False)
    top_n_per_area = serializers.IntegerField(required=False, allow_null=True)
    min_age = serializers.IntegerField(required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(k) for k in data if k not in self.fields)
            if unknown:
                raise serializers.ValidationError({k: [NOT_A_SETTING] for k in unknown})
        return super().to_internal_value(data)


class RfgRecordSerializer(serializers.Serializer):
    occurred_on = CalculatorDateField()
    offence_code = serializers.CharField(
        allow_null=True,
        max_length=rfg.OFFENCE_CODE_MAX_LENGTH,
        help_text="An offence code from Safeguard's offence list (or the config's gravity weights); null for a "
        "non-crime record.",
    )
    victim = serializers.CharField(max_length=4, help_text="A label such as A or V1, never a name.")
    victim_under_16 = serializers.BooleanField(
        default=False,
        help_text="The victim was under 16 on the day: not counted (Domestic Abuse Act 2021 s.1(2)(a)). The "
        "perpetrator's age on each record comes from date_of_birth.",
    )

    def validate_victim(self, value: str) -> str:
        if not VICTIM_LABEL.match(value):
            raise serializers.ValidationError(VICTIM_LABEL_MESSAGE)
        return value


class RfgInputSerializer(serializers.Serializer):
    as_of = CalculatorDateField(help_text="The ranking date.")
    date_of_birth = CalculatorDateField(required=False, allow_null=True, default=None)
    records = RfgRecordSerializer(many=True, max_length=MAX_RECORDS)
    config = RfgConfigSerializer(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        config = attrs.get("config")
        known = set(Offence.objects.values_list("code", flat=True)) | set(rfg.DEFAULT_GRAVITY_WEIGHTS)
        known |= set((config or {}).get("gravity_weights") or {})
        # Keyed by the record's index, as DRF keys the errors of a list of records.
        errors = {
            i: {"offence_code": ["Choose an offence code from the offence list, or null for a non-crime record."]}
            for i, r in enumerate(attrs["records"])
            if r.get("offence_code") is not None and r["offence_code"] not in known
        }
        if errors:
            raise serializers.ValidationError({"records": errors})
        return attrs


class RfgAnswerSerializer(AnswerSerializer):
    recency = serializers.IntegerField(read_only=True)
    frequency = serializers.IntegerField(read_only=True)
    gravity = serializers.IntegerField(read_only=True)
    victims = serializers.IntegerField(read_only=True, help_text="Points for the different victims.")
    total = serializers.IntegerField(read_only=True)
    serial_perpetrator = serializers.BooleanField(read_only=True)
    records_counted = serializers.IntegerField(read_only=True)
    distinct_victims = serializers.IntegerField(read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    age_presumed = serializers.BooleanField(read_only=True)
    latest_on = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text="'safeguard' for Safeguard's default matrix, 'local' for supplied settings."
    )
    config = RfgConfigSerializer(read_only=True, help_text="The settings the score used.")


# Probation workload measurement ------------------------------------------------------

HOURS = {"max_digits": 5, "decimal_places": 2, "min_value": 0}


class WorkloadCapacityInputSerializer(serializers.Serializer):
    nominal_target = serializers.IntegerField(min_value=1, help_text="The grade's nominal target in points.")
    default_contracted_hours = serializers.DecimalField(
        **HOURS, help_text="Full-time contracted hours for the grade (for example 37)."
    )
    contracted_hours = serializers.DecimalField(**HOURS, help_text="This practitioner's contracted hours.")
    reduction_hours = serializers.DecimalField(**HOURS, help_text="Hours taken off the caseload (for example a role).")
    total_points = serializers.IntegerField(min_value=0, help_text="Points of the cases the practitioner holds.")


class WorkloadCapacityAnswerSerializer(AnswerSerializer):
    available_points = serializers.IntegerField(read_only=True)
    capacity_percent = serializers.DecimalField(
        max_digits=9, decimal_places=1, read_only=True, allow_null=True, help_text="Null when no points are available."
    )
    over_capacity = serializers.BooleanField(read_only=True)
