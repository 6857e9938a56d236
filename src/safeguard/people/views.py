from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from safeguard.access import gate
from safeguard.audit.models import Operation

from .models import Person


@login_required
def person(request, pk: int):
    record = get_object_or_404(Person, pk=pk)
    gate.authorise(gate.context_for(request), Operation.VIEW, record)
    return HttpResponse(record.full_name)


@login_required
def create(request):
    return HttpResponse("")
