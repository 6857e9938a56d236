"""API errors: field-named messages for bad input; refusals go to AccessRefusedMiddleware.

- AccessRefused is not handled here: it propagates out of the request's
  transaction (ATOMIC_REQUESTS), which rolls back, and the middleware then
  writes the refusal in a transaction of its own and answers 404.
- A model's ValidationError (from full_clean in the services) becomes a 400
  keyed by field; errors about the whole record are under "non_field_errors",
  as DRF names them.
- A stale `version` is a 409 Conflict: the record changed since it was read.
- A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, as JSON.
- Too many requests (safeguard.api.throttles) is a 429 with a problem body (title, status, detail,
  retry_after) and DRF's Retry-After header.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from safeguard.access.gate import AccessRefused
from safeguard.access.services import VersionConflict

API_VERSION_CONFLICT = (
    "Someone else changed this record since you read it. "
    "Read it again to get its current version and values, then send your change again."
)


def _field_errors(exc: DjangoValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    errors = exc.message_dict
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def exception_handler(exc, context):
    if isinstance(exc, AccessRefused):
        return None  # re-raised; audited after the transaction rolls back, answered 404
    if isinstance(exc, VersionConflict):
        set_rollback()
        return Response({"detail": API_VERSION_CONFLICT, "code": "version_conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        return Response({"detail": "The request is too large."}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, exceptions.Throttled):
        return _too_many_requests(exc, context)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_field_errors(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # never name the kind of record that was looked for
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(response.data, list):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


def _too_many_requests(exc: exceptions.Throttled, context) -> Response:
    response = drf_exception_handler(exc, context)  # sets Retry-After
    wait = max(1, int(exc.wait or 1))
    response.data = {
        "title": "Too many requests",
        "status": status.HTTP_429_TOO_MANY_REQUESTS,
        "detail": f"Too many requests: wait {wait} seconds, then try again.",
        "code": "throttled",
        "retry_after": wait,
    }
    return response


def refused_response() -> Response:
    return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
