"""The page layer: what every HTML view does the same way, written once.

- :func:`gated` is the record named in the URL, if the user may do the operation to it: the HTML twin of
  the API's ``GatedViewSet.gated_record``. A record that does not exist and a record the user may not
  see answer alike: both raise ``AccessRefused``, which the middleware audits and answers with the one
  404. A read is authorised and audited here; a change is only checked, because the service audits the
  change in the change's own transaction.
- :func:`form_page` is a page with a form that changes records: bind the form, call the service, put the
  service's errors (``ValidationError`` and a rule's ``RuleInputError``) on the form's fields, say what
  was done and redirect.

When a form page writes a view event (one rule for every form page): on every request it answers, once
the user is allowed, it audits a view of each record the page shows, with the page's name: the form is
shown, or submitted, in the light of those records. A submission that succeeds is also recorded by the
service's change event; a refused one leaves only the refusal (the request's transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules.working import RuleInputError

NO_SUCH_RECORD = "no such record"


def posted(request):
    """The submitted data, or None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def gated(
    request, queryset: QuerySet, pk, operation: str = Operation.VIEW, detail: dict | None = None, *, audited=True
) -> Model:
    """The record ``pk`` of ``queryset``, if the user may do ``operation`` to it; otherwise a refusal (404).

    ``audited=False``: a read only checked, for a record holding no personal data that a page asks for again
    and again (a background job's progress, polled every second); a refusal is audited all the same."""
    ctx = gate.context_for(request)
    record = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if record is None:
        raise gate.AccessRefused(ctx, operation, queryset.model._meta.label_lower, pk, NO_SUCH_RECORD)
    if operation in gate.READS and audited:
        gate.authorise(ctx, operation, record, detail)
    else:
        gate.check(ctx, operation, record)
    return record


def chosen(request, queryset: QuerySet, value, page: str) -> Model | None:
    """A record picked on a page by its id (a search result, a person to add): None when none is picked;
    audited as viewed, or refused (404) when the user may not see it."""
    if not str(value or "").isdigit():
        return None
    return gated(request, queryset, int(value), Operation.VIEW, {"page": page})


def put_errors(form, exc: ValidationError | RuleInputError, rename: dict[str, str] | None = None) -> None:
    """A service's or a rule's errors on the fields of the form they name (renamed where the form asks
    differently); an error naming no field of the form goes above the form."""
    rename = rename or {}
    if isinstance(exc, RuleInputError):
        errors: dict[str | None, list] = {exc.field: [str(exc)]}
    elif hasattr(exc, "error_dict"):
        errors = {name: list(found) for name, found in exc.error_dict.items()}
    else:
        errors = {None: list(exc.messages)}
    for name, found in errors.items():
        target = rename.get(name, name) if name else None
        for error in found:
            form.add_error(target if target in form.fields else None, error)


def submits(service: Callable, *args, fields: Iterable[str] = (), **fixed) -> Callable[[gate.AccessContext, Any], Any]:
    """The ``save`` of a form page that calls ``service(ctx, *args, **fixed)`` with the form's ``fields`` as
    keywords of the same names (the form's ``version`` as ``expected_version``, against lost updates)."""

    def save(ctx: gate.AccessContext, form) -> Any:
        named = {"expected_version" if name == "version" else name: form.cleaned_data[name] for name in fields}
        return service(ctx, *args, **fixed, **named)

    return save


def _said(what, result) -> str:
    return what(result) if callable(what) else what


def form_page(
    request,
    form,
    save: Callable[[gate.AccessContext, Any], Any],
    *,
    done: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
    template: str | None = None,
    context: dict | None = None,
    show: Callable[[Any], HttpResponse] | None = None,
    shows: Model | Iterable[Model] = (),
    page: str = "",
    detail: dict | None = None,
    rename: dict[str, str] | None = None,
    submitted: bool | None = None,
) -> HttpResponse:
    """A page whose form changes records.

    ``save(ctx, form)`` calls the service with the valid form; what it returns is given to ``done`` (the
    message) and ``then`` (where to go) when they are callables. The page is ``template`` with
    ``context`` and the form, or ``show(form)`` where the form sits on a record's own page.
    ``shows`` are the records the page shows, audited as viewed (with ``page`` and ``detail``) on every
    request; ``submitted`` says whether this request submits the form (by default: a POST).
    """
    ctx = gate.context_for(request)
    if submitted is None:
        submitted = request.method == "POST"
    for record in [shows] if isinstance(shows, Model) else shows:
        gate.authorise(ctx, Operation.VIEW, record, {"page": page, **(detail or {})} if page else detail)
    if submitted and form is not None and form.is_valid():
        try:
            result = save(ctx, form)
        except (ValidationError, RuleInputError) as exc:
            put_errors(form, exc, rename)
        else:
            messages.success(request, _said(done, result))
            return redirect(_said(then, result))
    if show is not None:
        return show(form)
    return render(request, template, {**(context or {}), "form": form})
