"""The ceiling of a load test: what this machine serves when a page does almost nothing.

Registered only when ``SAFEGUARD_LOAD_CEILING`` is on (``safeguard.settings.load``, never production),
at ``/load-ceiling/``. Both pass the whole middleware stack (session, sign-in, second factor), as every
page does, so that the load test can put each page's rate beside them:

- ``plain/``: a Django view that reads nothing and renders no template;
- ``nominal/<pk>/``: one key lookup of a nominal through the gate, with its audit insert, answering
  only the nominal's reference.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal


@login_required
def plain(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def nominal_reference(request, pk: int):
    nominal = get_object_or_404(Nominal.objects.select_related("local_area", "person"), pk=pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, nominal, {"page": "load ceiling"})
    return HttpResponse(nominal.reference, content_type="text/plain")


app_name = "load-ceiling"
urlpatterns = [
    path("plain/", plain, name="plain"),
    path("nominal/<int:pk>/", nominal_reference, name="nominal"),
]
