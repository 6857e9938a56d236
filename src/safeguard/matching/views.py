"""The review queue of possible matches, and one pair side by side with the reviewer's decision."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.models import Person
from safeguard.rules import matching as rules
from safeguard.web import pages

from . import services
from .comparisons import IDENTIFIERS
from .forms import PairDecisionForm
from .models import CandidatePair
from .policies import is_reviewer

PAGE_SIZE = 50
COMPARISON_NAMES = {
    "prior": "Starting point",
    "given_name": "First name",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "postcode": "Postcode",
    "gender": "Gender",
    "identifiers": "Identifiers",
}
SIDE_BY_SIDE = (
    ("First name", "given_name"),
    ("Middle names", "middle_names"),
    ("Last name", "family_name"),
    ("Date of birth", "date_of_birth"),
    ("Gender", "get_gender_display"),
    *((str(Person._meta.get_field(f).verbose_name), f) for f in (*IDENTIFIERS, "visor_ref")),
)


@login_required
def queue(request):
    """Open and not-sure pairs the reviewer may see in full, strongest first; a count of those that wait for
    someone who may see both."""
    user = request.user
    if not is_reviewer(user):
        raise Http404
    waiting = CandidatePair.objects.filter(status__in=rules.UNDECIDED)
    mine = gate.scoped(user, waiting, Operation.VIEW)
    page = Paginator(mine.select_related("first", "second").order_by("-match_weight", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    gate.audit_list(gate.context_for(request), Operation.VIEW, CandidatePair, [p.pk for p in page], {"page": "review queue"})
    elsewhere = waiting.filter(area_id=user.mappa_area_id).exclude(pk__in=mine.values("pk")).count()
    return render(
        request,
        "matching/queue.html",
        {"page": page, "total": page.paginator.count, "elsewhere": elsewhere, "nav": "matching"},
    )


def _rows(pair: CandidatePair) -> list[dict]:
    rows = []
    for label, field in SIDE_BY_SIDE:
        first, second = (getattr(p, field) for p in (pair.first, pair.second))
        first, second = (v() if callable(v) else v for v in (first, second))
        rows.append({"label": label, "first": first, "second": second, "same": first == second})
    return rows


def _waterfall(pair: CandidatePair) -> list[dict]:
    total, steps = 0.0, []
    for step in pair.waterfall:
        total += step["weight"]
        steps.append(
            {
                "name": COMPARISON_NAMES.get(step["comparison"], step["comparison"]),
                "label": step["label"],
                "weight": step["weight"],
                "evidence": rules.evidence(step["weight"]).value,
                "total": total,
            }
        )
    return steps


@login_required
def pair(request, pk: int):
    related = ("first", "second", "decided_by", "match_model")
    record = pages.gated(request, CandidatePair.objects.select_related(*related), pk, Operation.CHANGE)
    form = PairDecisionForm(pages.posted(request), initial={"version": record.version})
    return pages.form_page(
        request,
        form,
        pages.submits(services.decide_pair, record, fields=("decision", "reason", "version")),
        done=lambda decided: f"Your decision is recorded: {rules.PairStatus(decided.status).label.lower()}.",
        then=reverse("matching:queue"),
        template="matching/pair.html",
        context={
            "pair": record,
            "rows": _rows(record),
            "addresses": [list(p.addresses.all()[:3]) for p in (record.first, record.second)],
            "aliases": [list(p.aliases.all()) for p in (record.first, record.second)],
            "steps": _waterfall(record),
            "probability": record.match_probability,
            "nav": "matching",
        },
        shows=[record, record.first, record.second],
        page="possible match",
        submitted=request.method == "POST" and record.is_open,
    )
