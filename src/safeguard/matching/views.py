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

from . import merge as merging
from . import services
from .comparisons import IDENTIFIERS
from .forms import ApproveForm, MergeForm, PairDecisionForm, UnmergeForm
from .models import CandidatePair, PersonMerge
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
    gate.audit_list(
        gate.context_for(request), Operation.VIEW, CandidatePair, [p.pk for p in page], {"page": "review queue"}
    )
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


@login_required
def merge_pair(request, pk: int):
    """Merge the two records of a pair: choose the one to keep, give the reason."""
    related = ("first", "second")
    record = pages.gated(request, CandidatePair.objects.select_related(*related), pk, Operation.CHANGE)
    if record.status == rules.PairStatus.DIFFERENT:
        raise Http404
    form = MergeForm(pages.posted(request), pair=record)

    def save(ctx, form):
        keep = int(form.cleaned_data["keep"])
        kept, merged = (record.first, record.second) if keep == record.first_id else (record.second, record.first)
        return merging.request_merge(ctx, kept=kept, merged=merged, reason=form.cleaned_data["reason"], pair=record)

    return pages.form_page(
        request,
        form,
        save,
        done=lambda m: (
            "The records are merged."
            if m.status == "merged"
            else "A legal hold is on one of the records: a second reviewer must approve the merge."
        ),
        then=lambda m: reverse("matching:merge", kwargs={"pk": m.pk}),
        template="matching/merge_form.html",
        context={"pair": record, "parts": _part_counts(record.first, record.second), "nav": "matching"},
        shows=[record, record.first, record.second],
        page="merge",
    )


def _part_counts(*people) -> list[dict]:
    rows = []
    for part in merging.parts():
        counts = [part.model._default_manager.filter(**{f"{part.field}_id": p.pk}).count() for p in people]
        if any(counts):
            rows.append({"name": str(part.model._meta.verbose_name_plural).capitalize(), "counts": counts})
    return rows


def _moved_counts(entries: list[dict]) -> list[tuple[str, int]]:
    from collections import Counter

    from django.apps import apps

    counted = Counter(entry["model"] for entry in entries)
    return [
        (str(apps.get_model(label)._meta.verbose_name_plural).capitalize(), n) for label, n in sorted(counted.items())
    ]


@login_required
def merge_record(request, pk: int):
    """A merge: what moved, what stayed; approve it (a legal hold) or undo it."""
    record = pages.gated(
        request,
        PersonMerge.objects.select_related("kept", "merged", "requested_by", "approved_by"),
        pk,
        Operation.CHANGE,
    )
    unmerging = record.status == PersonMerge.Status.MERGED
    if unmerging:
        form = UnmergeForm(pages.posted(request), initial={"version": record.version})
        save = pages.submits(merging.unmerge, record, fields=("reason", "version"))
        done = "The records are unmerged: every part moved is back."
    else:
        form = ApproveForm(pages.posted(request), initial={"version": record.version})
        save = pages.submits(merging.approve_merge, record, fields=("version",))
        done = "The merge is approved and carried out."
    return pages.form_page(
        request,
        form,
        save,
        done=done,
        then=reverse("matching:merge", kwargs={"pk": record.pk}),
        template="matching/merge.html",
        context={
            "merge": record,
            "moved": _moved_counts(record.moves),
            "left": _moved_counts(record.left),
            "unmerging": unmerging,
            "may_approve": record.status == PersonMerge.Status.AWAITING_APPROVAL
            and record.requested_by_id != request.user.pk,
            "nav": "matching",
        },
        shows=[record, record.kept, record.merged],
        page="merge",
        submitted=request.method == "POST" and record.status != PersonMerge.Status.UNMERGED,
    )
