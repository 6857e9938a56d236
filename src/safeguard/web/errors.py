"""The service's own error pages (400, 403, 500), in its layout, in every setting.

Django's defaults render 400 and 500 without the request, so the layout would lose the signed-in header and the
Content-Security-Policy nonce of its one inline script; these render with it. A 500 page that fails to render
itself (the database gone, say) falls back to a plain page with no template, so an error never shows a traceback.
The 404 page is ``web.views.not_found``. None of them says what went wrong: nothing about the request, the records
or the code reaches the page (details go to the log, which holds no personal data).
"""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.shortcuts import render

PLAIN_500 = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Sorry, there is a problem with the '
    "service – Safeguard</title></head><body><h1>Sorry, there is a problem with the service</h1><p>Try again later. "
    "If it keeps happening, tell your administrator.</p></body></html>"
)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 (whatever broke the request may break the layout too: answer plainly)
        return HttpResponseServerError(PLAIN_500)
