"""Turn a refusal into a 404 and audit it once the request's transaction has rolled back."""

from django.http import JsonResponse
from django.shortcuts import render

from .gate import AccessRefused, record_refusal


class AccessRefusedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AccessRefused):
            return None
        record_refusal(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Not found."}, status=404)
        return render(request, "404.html", status=404)
