"""Allocation pages: start a batch, see its recommendations, accept or override them.

Thin views: the service (``workforce.services.allocation``) decides, solves,
stores and audits; every refusal is a 404 written by the gate's middleware.
Working out a batch runs in the request (a national batch takes seconds): the
start page says so while it works, and the batch page says how long it took.
Accepting all of a batch (946 decisions take about 25 s nationally) is a
background job: the answer is its progress page at once (``jobs``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.jobs.models import Job
from safeguard.offenders.models import Nominal, RiskOfSeriousHarm
from safeguard.web import lists, pages
from safeguard.web.lists import DESCENDING, Column, Filter, ListSpec

from ..forms.allocation import AcceptAllForm, AcceptForm, OverrideForm, StartBatchForm
from ..models import AllocationBatch, AllocationRecommendation
from ..services import allocation as service


def _start_initial(request, ctx, scope) -> dict:
    """A link from a nominal (``?nominal=<pk>``) starts a batch of one: the form is filled in, not sent."""
    initial = {"kind": service.UNALLOCATED}
    if not scope.area_wide and scope.teams:
        initial["team"] = scope.teams[0].pk
    pk = request.GET.get("nominal", "")
    if request.method == "GET" and pk.isdigit():
        nominal = gate.scoped(request.user, Nominal.objects.filter(pk=int(pk))).first()
        if nominal is not None:
            gate.authorise(ctx, Operation.VIEW, nominal, {"page": "allocate one nominal"})
            initial.update(kind=service.ONE_NOMINAL, reference=nominal.reference)
    return initial


@login_required
def allocation(request):
    """Start a batch, and the recent batches of the area or team."""
    ctx = gate.context_for(request)
    scope = service.allocator_scope(ctx)
    form = StartBatchForm(
        request.POST if request.method == "POST" else None,
        scope=scope,
        user=request.user,
        initial=_start_initial(request, ctx, scope),
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = service.start_batch(ctx, form.batch_request())
        except service.NothingToAllocate as error:
            form.add_error("kind", error.messages[0])
        else:
            return redirect("workforce:batch", pk=batch.pk)
    return render(
        request,
        "workforce/allocation/start.html",
        {"form": form, "scope": scope, "batches": service.batches_for(ctx, scope), "nav": "workforce"},
    )


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _officer_rows(batch: AllocationBatch) -> list[dict]:
    """Each officer's figures as stored with the batch, with their high-risk shares written out."""
    return [
        {
            **row,
            "share_before": _share(row["high_before"], row["before"]),
            "share_after": _share(row["high_after"], row["after"]),
        }
        for row in batch.figures.get("officers", [])
    ]


def _named_nominals(user, nominal_ids: list[int]) -> set[int]:
    """The nominals of a batch the user may see (the gate's scope, one query): shown by name; the others
    by reference only."""
    if not nominal_ids:
        return set()
    return set(gate.scoped(user, Nominal.objects.filter(pk__in=nominal_ids)).values_list("pk", flat=True))


# --- The batch's lists (web/lists.py): its recommendations (a page of the gate's scope) and its officers (as
# stored with the batch, in memory). A national batch holds about a thousand recommendations.

D = AllocationRecommendation.Decision
R = RiskOfSeriousHarm
RISK_ORDER = Case(  # low to very high; not known has no place in the order and sorts last either way
    *(When(nominal__rosh=code, then=Value(n)) for n, code in enumerate((R.LOW, R.MEDIUM, R.HIGH, R.VERY_HIGH))),
    default=None,
    output_field=IntegerField(),
)


def _by(field: str):
    return lambda queryset, value: queryset.filter(**{field: value}) if value else queryset


REC_FILTERS = (
    Filter("decision", "Decision", (("", "All"), *D.choices), _by("decision")),
    Filter(
        "level",
        "Level",
        (("", "All"), ("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")),
        _by("nominal__management_level"),
    ),
    Filter("rosh", "RoSH", (("", "All"), *RiskOfSeriousHarm.choices), _by("nominal__rosh")),
)
RECOMMENDATIONS = ListSpec(
    noun="recommendations",
    columns=(
        Column("nominal", "Nominal", ("nominal__reference",)),
        Column("level", "Level", ("nominal__management_level",), first=DESCENDING),
        Column("rosh", "RoSH", ("risk_order",), first=DESCENDING),
        Column("officer", "Recommended officer", ("recommended_officer__last_name", "recommended_officer__first_name")),
        Column("caseload", "Their caseload before and after"),
        Column("reasons", "Reasons"),
        Column("decision", "Decision", ("decision",)),
    ),
    default_sort="nominal",
    filters=REC_FILTERS,
)
OFFICERS = ListSpec(
    noun="officers",
    columns=(
        Column("officer", "Officer", row_key=lambda o: o["name"].lower()),
        Column("trained", "Trained for Level 2 and 3", row_key=lambda o: o["trained"], first=DESCENDING),
        Column("capacity", "Capacity", row_key=lambda o: o["capacity"], numeric=True, first=DESCENDING),
        Column("before", "Cases before", row_key=lambda o: o["before"], numeric=True, first=DESCENDING),
        Column(
            "high-before",
            "High risk before",
            row_key=lambda o: o["high_before"] / max(o["before"], 1),
            numeric=True,
            first=DESCENDING,
        ),
        Column("given", "Recommended from this batch", row_key=lambda o: o["given"], numeric=True, first=DESCENDING),
        Column("after", "Cases after", row_key=lambda o: o["after"], numeric=True, first=DESCENDING),
        Column(
            "high-after",
            "High risk after",
            row_key=lambda o: o["high_after"] / max(o["after"], 1),
            numeric=True,
            first=DESCENDING,
        ),
    ),
    default_sort="officer",
    prefix="officers",
)


def _batch_page(request, batch: AllocationBatch, ctx, *, errors=(), error_rec=None, refused=None):
    visible = service.visible_recommendations(request.user, batch)
    page = lists.page_of(RECOMMENDATIONS, visible.annotate(risk_order=RISK_ORDER), request.GET)
    recs = page.rows
    for rec in recs:
        rec.batch = batch
    gate.audit_list(
        ctx, Operation.VIEW, AllocationRecommendation, [r.pk for r in recs], {"batch": batch.pk, "page": page.number}
    )
    officer_rows = _officer_rows(batch)
    officers = {row["id"]: row for row in officer_rows}
    refused_by_pk = {rec.pk: why for rec, why in refused or []}
    named = _named_nominals(request.user, [rec.nominal_id for rec in recs])
    if named:
        gate.audit_list(ctx, Operation.VIEW, Nominal, sorted(named), {"page": "allocation batch", "batch": batch.pk})
    rows = [
        {
            "rec": rec,
            "name": rec.nominal.person.full_name if rec.nominal_id in named else "",
            "officer": officers.get(rec.recommended_officer_id),
            "version": rec.nominal.version,
            "changed": rec.decision == rec.Decision.PENDING
            and rec.nominal.offender_manager_id != rec.previous_officer_id,
            "errors": refused_by_pk.get(rec.pk) or (list(errors) if error_rec == rec.pk else []),
        }
        for rec in recs
    ]
    pending = visible.filter(decision=D.PENDING, recommended_officer__isnull=False).count()
    return render(
        request,
        "workforce/allocation/batch.html",
        {
            "batch": batch,
            "rows": rows,
            "list": page,
            "filters": lists.filter_panel(REC_FILTERS, request.GET, "Filter the recommendations"),
            "query": _kept_query(request),
            "pending": pending,
            "officers": lists.page_of_rows(OFFICERS, officer_rows, request.GET),
            "errors": list(errors),
            "error_rec": error_rec,
            "refused": [(rec, why) for rec, why in refused or []],
            "nav": "workforce",
        },
    )


def _kept_query(request) -> str:
    """The batch page's list parameters (page, sort, filters), kept across an accept: never a "job"."""
    query = request.GET.copy()
    query.pop("job", None)
    return query.urlencode()


def _to_batch(batch: AllocationBatch, query: str = "") -> str:
    return reverse("workforce:batch", kwargs={"pk": batch.pk}) + (f"?{query}" if query else "")


def _messages_of(form) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


def _refused_by_job(request, record: AllocationBatch) -> list:
    """What an "accept all" job of this batch (``?job=``) could not apply, each with why, while still waiting."""
    job_pk = request.GET.get("job", "")
    if not job_pk.isdigit():
        return []
    job = pages.gated(request, Job.objects.filter(kind=Job.Kind.ACCEPT_ALL, params__batch=record.pk), job_pk)
    why = {row["rec"]: row["why"] for row in job.result.get("refused", [])}
    waiting = record.recommendations.filter(pk__in=why, decision=AllocationRecommendation.Decision.PENDING)
    return [(rec, why[rec.pk]) for rec in waiting.select_related("nominal")]


@login_required
def batch(request, pk: int):
    ctx = gate.context_for(request)
    record = service.batch_for_view(ctx, pk)
    return _batch_page(request, record, ctx, refused=_refused_by_job(request, record))


@login_required
@require_POST
def accept(request, pk: int, rec_pk: int):
    ctx = gate.context_for(request)
    record = service.batch_unchecked(pk)  # the gate decides on the recommendation, which carries the batch
    rec = service.recommendation_for_change(ctx, record, rec_pk)

    def show(form):
        record.refresh_from_db()
        return _batch_page(request, record, ctx, errors=_messages_of(form), error_rec=rec.pk)

    return pages.form_page(
        request,
        AcceptForm(request.POST),
        pages.submits(service.accept, rec, fields=("version",)),
        done=f"{rec.nominal.reference} is allocated to {rec.recommended_officer}.",
        then=_to_batch(record, _kept_query(request)),
        show=show,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@login_required
@require_POST
def accept_all(request, pk: int):
    """Accept every waiting recommendation: checked now, done by the worker as a background job (``jobs``);
    the answer is at once the job's page, with its progress bar. An error shows on the batch page."""
    ctx = gate.context_for(request)
    record = service.batch_unchecked(pk)  # the service asks the gate before anything is read or changed

    def show(form):
        record.refresh_from_db()
        return _batch_page(request, record, ctx, errors=_messages_of(form))

    return pages.form_page(
        request,
        AcceptAllForm(request.POST),
        pages.submits(service.start_accept_all, record, fields=("version",)),
        done=lambda job: f"Accepting {_plural(job.total, 'recommendation', 'recommendations')} of batch {record.pk}.",
        then=lambda job: reverse("jobs:job", kwargs={"pk": job.pk}),
        show=show,
    )


@login_required
def override(request, pk: int, rec_pk: int):
    """Choose a different officer (or, in a batch with no allocation, the officer) with a reason."""
    ctx = gate.context_for(request)
    record = service.batch_unchecked(pk)  # the gate decides on the recommendation, which carries the batch
    rec = service.recommendation_for_change(ctx, record, rec_pk)
    form = OverrideForm(
        pages.posted(request), choices=service.officer_choices(record), initial={"version": rec.nominal.version}
    )
    return pages.form_page(
        request,
        form,
        lambda ctx, form: service.override(
            ctx,
            rec,
            form.cleaned_data["officer"],
            form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        ),
        done=lambda _: f"{rec.nominal.reference} is allocated to {form.cleaned_data['officer']}.",
        then=_to_batch(record),
        template="workforce/allocation/override.html",
        context={"batch": record, "nav": "workforce"},
        shows={"rec": rec},
        page="choose an officer",
    )
