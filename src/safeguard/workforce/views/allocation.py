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
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.jobs.models import Job
from safeguard.offenders.models import Nominal
from safeguard.web import pages

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


def _batch_page(request, batch: AllocationBatch, ctx, *, errors=(), error_rec=None, refused=None):
    recs = service.recommendations_for_view(ctx, batch)
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
    pending = sum(1 for r in recs if r.decision == r.Decision.PENDING and r.recommended_officer_id)
    return render(
        request,
        "workforce/allocation/batch.html",
        {
            "batch": batch,
            "rows": rows,
            "pending": pending,
            "officers": officer_rows,
            "errors": list(errors),
            "error_rec": error_rec,
            "refused": [(rec, why) for rec, why in refused or []],
            "nav": "workforce",
        },
    )


def _to_batch(batch: AllocationBatch) -> str:
    return reverse("workforce:batch", kwargs={"pk": batch.pk})


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
        then=_to_batch(record),
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
