"""The API's error answers as documented shapes: one place that says what each status code means.

safeguard.api.schema adds these to every operation where they can occur, so
a client (and Schemathesis) finds every status code the API may answer in
the schema.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in words a person can act on.")
    code = serializers.CharField(required=False, help_text="A stable code for programs (e.g. `version_conflict`).")


class TooManyRequestsSerializer(ProblemSerializer):
    title = serializers.CharField(help_text="Too many requests")
    status = serializers.IntegerField(help_text="429")
    retry_after = serializers.IntegerField(help_text="Seconds to wait before the next request.")


# {"field": ["message", ...], ...}; errors about the whole body under non_field_errors
FIELD_ERRORS = OpenApiTypes.OBJECT

BAD_QUERY = (
    "A query parameter is unknown or its value is bad (not a whole number, out of range, a page that does not "
    "exist): the errors are keyed by the parameter's name."
)
BAD_BODY = "The body does not match the schema: the errors are keyed by the field at fault; nothing is kept."
NOT_SIGNED_IN = OpenApiResponse(
    ProblemSerializer,
    description="Not signed in with both factors (or a change sent without the CSRF token): nothing is done.",
)
NOT_FOUND = OpenApiResponse(
    ProblemSerializer,
    description="No such record, or one the user may not see (the two are not told apart).",
)
CONFLICT = OpenApiResponse(
    ProblemSerializer,
    description="The record changed since the `version` sent was read: read it again, then send the change again.",
)
TOO_MANY = OpenApiResponse(
    TooManyRequestsSerializer,
    description="Too many requests from this user (search and lists have tighter limits): wait `retry_after` "
    "seconds (also in the Retry-After header).",
)


PAGE_PAST_THE_LAST = "`page` is past the last page"


def bad_input(*reasons: str, query: bool = False, body: bool = True) -> OpenApiResponse:
    """A 400 whose description names the field-level reasons a schema-valid request may still be refused for.

    Each reason names its field in backticks, e.g. "`other`: a person who does not exist or whom you may not see".
    """
    parts = [BAD_BODY] if body else []
    if query:
        parts.append(BAD_QUERY)
        reasons = (*reasons, PAGE_PAST_THE_LAST)
    if reasons:
        parts.append("A request that matches the schema is still refused when: " + "; ".join(reasons) + ".")
    return OpenApiResponse(FIELD_ERRORS, description=" ".join(parts))
