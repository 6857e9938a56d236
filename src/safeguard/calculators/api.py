"""The calculators as JSON endpoints under /api/rules/: the answer and its working, nothing kept.

Each endpoint takes its inputs as a JSON object and answers with the rule's
result, its working (steps naming the section or row they applied) and the
same working as sentences. No personal record is read or written, so there
is no audit event; nothing is logged with the inputs. Bad input is a 400
keyed by the field at fault, as elsewhere in the API (safeguard.api.errors).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.api import problems
from safeguard.rules.working import RuleInputError

from . import serializers as s
from . import services
from .access import HoldsARole

BAD_INPUT = OpenApiResponse(description="Bad input: errors keyed by the field at fault; nothing is kept.")
NO_ROLE = OpenApiResponse(description="Signed in without any role: refused as not found.")
NOTHING_KEPT = (
    " Needs a signed-in member of staff with any role. Reads and writes no personal record and keeps nothing."
)


def rule_error(exc: RuleInputError) -> serializers.ValidationError:
    """A rule's refusal as the API's field-keyed 400 (a supplied RFG setting under ``config``)."""
    head, _, setting = exc.field.partition(".")
    if head == "config" and setting:
        return serializers.ValidationError({"config": {setting: [exc.message]}})
    return serializers.ValidationError({exc.field: [exc.message]})


class CalculatorView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated, HoldsARole]
    metadata_class = None  # no OPTIONS descriptions: the schema documents the API
    input_serializer: type[serializers.Serializer]
    answer_serializer: type[serializers.Serializer]

    def calculate(self, data: dict) -> dict:
        raise NotImplementedError

    def post(self, request):
        given = self.input_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            answer = self.calculate(given.validated_data)
        except RuleInputError as exc:
            raise rule_error(exc) from None
        return Response(self.answer_serializer(answer).data)


DATES = "a date is before 1900 or after 2100"


def _holds_a_date(field) -> bool:
    """A date field, or a nested record (or list of records, or of dates) that holds one."""
    if isinstance(field, s.CalculatorDateField):
        return True
    inner = getattr(field, "child", None)
    if inner is not None:
        return _holds_a_date(inner)
    nested = getattr(field, "fields", None)
    return bool(nested) and any(_holds_a_date(f) for f in nested.values())


def _date_fields(serializer_class) -> list[str]:
    return [name for name, field in serializer_class().fields.items() if _holds_a_date(field)]


def _schema(summary: str, description: str, request, response, refused_when: tuple[str, ...] = ()):
    """`refused_when` names (in backticks) the fields a request matching the schema may still be refused for.

    Every date field of the request is named too: a date before 1900 or after 2100 is refused.
    """
    dates = _date_fields(request)
    if dates:
        refused_when = (", ".join(f"`{name}`" for name in dates) + f": {DATES}", *refused_when)
    bad_input = problems.bad_input(*refused_when) if refused_when else BAD_INPUT
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            description=description + NOTHING_KEPT,
            tags=["rules"],
            request=request,
            responses={200: response, 400: bad_input, 404: NO_ROLE},
        )
    )


@_schema(
    "Notification period and initial notification",
    "The notification period under Sexual Offences Act 2003 s.82 (halved under 18 where s.82(2) says: never a "
    "conditional discharge) and the last day for the initial notification (s.83). Several terms go in `terms` "
    "(`[{term_months, consecutive_to, overlap_months}]`, s.82(3)-(4)) beside the single `term_months`; "
    "`sentenced_on` starts a conditional discharge from the order. Optionally: a change's deadline (`change_kind`, "
    "`change_on`; s.84 and the 2012 Regulations), the next periodic notification (`last_notified_on`, s.85), notice "
    "of travel (`departure_on`, 7 clear days), with `detained` periods disregarded (s.83(6), s.84(5), s.85(3)-(4)), "
    "and the review qualifying date of indefinite notification (s.91B). Every step of the working names its section; "
    "`sections` lists them.",
    s.NotificationInputSerializer,
    s.NotificationAnswerSerializer,
    refused_when=(
        "`relevant_date`, `date_of_birth` or `released_on`: the dates are out of order",
        "`non_field_errors`: the dates do not fit together",
    ),
)
class NotificationCalculator(CalculatorView):
    input_serializer = s.NotificationInputSerializer
    answer_serializer = s.NotificationAnswerSerializer

    def calculate(self, data: dict) -> dict:
        return services.notification_answer(**data)


@_schema(
    "DASH score and MARAC referral criteria",
    "Counts the Yes answers of a DASH risk identification checklist (2009) and applies the MARAC referral criteria "
    "with the national defaults (MaracSettings) and the default DASH bands (DashSettings); events_last_12_months is "
    "the count for potential escalation.",
    s.DashInputSerializer,
    s.DashAnswerSerializer,
    refused_when=("`answers`: not one answer per question",),
)
class DashCalculator(CalculatorView):
    input_serializer = s.DashInputSerializer
    answer_serializer = s.DashAnswerSerializer

    def calculate(self, data: dict) -> dict:
        return services.dash_answer(**data)


@_schema(
    "Risk Matrix 2000 (/S, /V, /C)",
    "Scores Risk Matrix 2000 with the shipped definition, whose point values are marked unconfirmed (status).",
    s.Rm2000InputSerializer,
    s.Rm2000AnswerSerializer,
    refused_when=("`age_at_commencement` is under 18: Risk Matrix 2000 is for adults",),
)
class Rm2000Calculator(CalculatorView):
    input_serializer = s.Rm2000InputSerializer
    answer_serializer = s.Rm2000AnswerSerializer

    def calculate(self, data: dict) -> dict:
        return services.rm2000_answer(**data)


@_schema(
    "RFG score and MATAC serial perpetrator test",
    "Scores one perpetrator's domestic-abuse records by recency, frequency, gravity and victims, and says whether "
    "they are a serial perpetrator (MATAC). Both people must be 16 or over at the time of each record (Domestic "
    "Abuse Act 2021 s.1(2)(a)): the perpetrator's age from date_of_birth, the victim's by victim_under_16. Victims "
    "are labels (A, B), never names. Without `config`, Safeguard's "
    "default matrix is used (not any force's).",
    s.RfgInputSerializer,
    s.RfgAnswerSerializer,
    refused_when=(
        f"`records`: a date {DATES.removeprefix('a date ')}",
        "`config`: a setting out of its range",
        "`records`: a record that breaks a rule (such as a date after `as_of`)",
    ),
)
class RfgCalculator(CalculatorView):
    input_serializer = s.RfgInputSerializer
    answer_serializer = s.RfgAnswerSerializer

    def calculate(self, data: dict) -> dict:
        return services.rfg_answer(**data)


@_schema(
    "Probation workload: available points and capacity",
    "Available points are the grade's nominal target scaled by contracted hours less reduction hours, truncated to "
    "a whole number; capacity is total points over available points (HMPPS workload measurement, 'Manage a "
    "workforce').",
    s.WorkloadCapacityInputSerializer,
    s.WorkloadCapacityAnswerSerializer,
    refused_when=(
        "`default_contracted_hours` is 0 or over 168",
        "`contracted_hours` is over 168 or over the default, or `reduction_hours` over the contracted hours",
        "`nominal_target` or `total_points` is out of range",
    ),
)
class WorkloadCapacityCalculator(CalculatorView):
    input_serializer = s.WorkloadCapacityInputSerializer
    answer_serializer = s.WorkloadCapacityAnswerSerializer

    def calculate(self, data: dict) -> dict:
        return services.workload_capacity_answer(**data)
