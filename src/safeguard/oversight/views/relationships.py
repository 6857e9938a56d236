"""Relationship-data quality: the area's figures (counts only, with the monthly trend as a chart beside its table)
and each team's list of records whose victim-suspect relationship is not recorded, each with a one-click form
that records it through the people app's use case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from safeguard.access import gate
from safeguard.people.models import RELATIONSHIP_KINDS
from safeguard.web import pages

from .. import charts
from ..forms import RecordRelationshipForm
from ..services import relationships as services

NAV = "oversight"


@login_required
def quality(request):
    data = services.quality(gate.context_for(request))
    lines = [
        (
            b,
            list(zip(b.keys, b.labels, b.table.cells, b.table.row_totals, b.percents, b.against_target, strict=True)),
        )
        for b in data.breakdowns
    ]
    by_month = data.breakdown("By month")
    trend = charts.bar_chart(
        "chart-trend",
        "Relationship recorded and missing, by month",
        by_month.labels,
        ["Recorded", "Missing"],
        [list(cells) for cells in by_month.table.cells],
    )
    return render(request, "oversight/relationships.html", {"nav": NAV, "q": data, "lines": lines, "trend": trend})


@login_required
def missing(request):
    lists = services.missing_for(
        gate.context_for(request), request.GET.get("team", ""), request.GET.get("page"), request.GET.get("cases")
    )
    return render(
        request,
        "oversight/relationships_missing.html",
        {"nav": NAV, "lists": lists, "kinds": RELATIONSHIP_KINDS},
    )


def _record(request, source: str, pk: int):
    ctx = gate.context_for(request)
    record, victim, suspect, recorded = services.record_source(ctx, source, pk)
    form = RecordRelationshipForm(pages.posted(request))
    back = reverse("oversight:relationships-missing")
    reference = record.reference if source == "incident" else f"MARAC referral {record.pk}"
    return pages.form_page(
        request,
        form,
        lambda ctx, form: services.record_missing(ctx, source, pk, form.cleaned_data["kind"]),
        done=f"The relationship for {reference} has been recorded.",
        then=back,
        template="oversight/relationship_record.html",
        context={
            "nav": NAV,
            "reference": reference,
            "back": back,
            "recorded": recorded,
            "has_people": bool(victim and suspect),
        },
    )


@login_required
def record_for_incident(request, pk: int):
    return _record(request, "incident", pk)


@login_required
def record_for_case(request, pk: int):
    return _record(request, "case", pk)
