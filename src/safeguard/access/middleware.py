"""Turn a refusal into a 404 and audit it once the request's transaction has rolled back; within the request,
the rules' reference data (a MAPPA area's local areas) is read once (``policy.remembering``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from . import policy
from .gate import AccessRefused, record_refusal


class AccessRefusedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with policy.remembering():
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AccessRefused):
            return None
        record_refusal(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Not found."}, status=404)
        return render(request, "404.html", status=404)
