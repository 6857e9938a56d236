from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from safeguard.access import gate
from safeguard.audit.models import Operation

from .models import Nominal


@login_required
def nominal(request, pk: int):
    record = get_object_or_404(
        Nominal.objects.select_related("person", "offender_manager", "lead_agency", "local_area"), pk=pk
    )
    gate.authorise(gate.context_for(request), Operation.VIEW, record)
    return render(request, "offenders/nominal.html", {"nominal": record})
