"""API errors: field-named messages for bad input; refusals go to AccessRefusedMiddleware."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safeguard.access.gate import AccessRefused


def exception_handler(exc, context):
    if isinstance(exc, AccessRefused):
        return None  # re-raised; audited after the transaction rolls back, answered 404
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST and isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    return response


def refused_response() -> Response:
    return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
