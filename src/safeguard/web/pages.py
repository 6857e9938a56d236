"""The page layer: what every HTML view does the same way, written once.

- :func:`gated` is the record named in the URL, if the user may do the operation to it (or to the record
  the operation is decided on: the referral to be made for the person named): the HTML twin of the API's
  ``GatedViewSet.gated_record``. A record that does not exist and a record the user may not see answer
  alike: both raise ``AccessRefused``, which the middleware audits and answers with the one 404. A read is
  authorised and audited here; a change is only checked, because the service audits the change in the
  change's own transaction. :func:`belonging_to` is the queryset of a record's parts, for ``gated``;
  :func:`chosen` and :func:`chosen_all` are records picked on a page.
- :func:`form_page` is a page with a form that changes records: bind the form, call the service, put the
  service's errors (``ValidationError`` and a rule's ``RuleInputError``) on the form's fields, say what
  was done and redirect. Its ``save`` is :func:`submits` (the form's fields as the service's keywords) or
  :func:`saves` (the form's record, as bound, with the fields the form has); :func:`by_choice` where a
  field of the form chooses between them. :func:`answer_page` is a page
  whose form changes nothing (a calculator): bind, work the answer out, show it or the rule's error.

When a form page writes a view event (one rule for every form page): on every request it answers, once
the user is allowed, it audits a view of each record the page shows, with the page's name: the form is
shown, or submitted, in the light of those records. A submission that succeeds is also recorded by the
service's change event; a refused one leaves only the refusal (the request's transaction rolls back).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safeguard.access import gate
from safeguard.accounts.rows import Statement
from safeguard.audit.models import Operation
from safeguard.rules.working import RuleInputError

NO_SUCH_RECORD = "no such record"
LARGEST_KEY = 2**63 - 1  # the largest primary key a database here holds (a 64-bit integer)


def posted(request):
    """The submitted data, or None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def gated(
    request,
    queryset: QuerySet | Statement,
    pk,
    operation: str = Operation.VIEW,
    detail: dict | None = None,
    *,
    on: Callable[[Any], Model] | None = None,
    audited: bool = True,
) -> Model:
    """The record ``pk`` of ``queryset``, if the user may do ``operation`` to it, or to ``on(record)`` when
    the operation is decided on another record (``Referral(person=record)``: the referral to be made for
    the person named; ``meeting.forum``); otherwise a refusal (404).

    ``audited=False``: a read only checked, for a record holding no personal data that a page asks for again
    and again (a background job's progress, polled every second); a refusal is audited all the same."""
    ctx = gate.context_for(request)
    record = _by_pk(queryset, pk) if str(pk).isdigit() else None
    if record is None:
        raise gate.AccessRefused(ctx, operation, queryset.model._meta.label_lower, pk, NO_SUCH_RECORD)
    decided = on(record) if on is not None else record
    if operation in gate.READS and audited:
        gate.authorise(ctx, operation, decided, detail)
    else:
        gate.check(ctx, operation, decided)
    return record


def _by_pk(queryset: QuerySet | Statement, pk) -> Model | None:
    """The record ``pk`` of ``queryset``, or None. A ``Statement`` (accounts.rows: one row by its primary key,
    with the rows its foreign keys name, in SQL written once a process) for the pages opened most; otherwise
    the queryset's row, without ``first()``'s ORDER BY (a lookup by primary key needs none: the model's default
    order, or the pk's, which Django would otherwise build and PostgreSQL sort by)."""
    if isinstance(queryset, Statement):
        number = int(pk)
        return queryset.one(number) if number <= LARGEST_KEY else None  # past any key: no such row, as the ORM says
    return next(iter(queryset.filter(pk=pk).order_by()[:1]), None)


def belonging_to(model: type[Model], pk, sides: Iterable[str] = ("person",)) -> QuerySet:
    """The records of ``model`` that belong to record ``pk`` through any of ``sides``, read with it (a
    relationship is a person's whichever side of it they are on): what ``gated`` looks a part up in."""
    sides = tuple(sides)
    belongs = Q()
    for side in sides:
        belongs |= Q(**{f"{side}_id": pk})
    return model._default_manager.select_related(*sides).filter(belongs)


def chosen(request, queryset: QuerySet, value, page: str) -> Model | None:
    """A record picked on a page by its id (a search result, a person to add): None when none is picked;
    audited as viewed, or refused (404) when the user may not see it."""
    if not str(value or "").isdigit():
        return None
    return gated(request, queryset, int(value), Operation.VIEW, {"page": page})


def chosen_all(request, queryset: QuerySet, values: Iterable, page: str, most: int) -> list[Model]:
    """The records picked on a page so far (at most ``most``, each once, in the order picked), each audited
    as viewed; one the user may not see is a refusal (404)."""
    picked: list[Model] = []
    for value in list(values)[:most]:
        record = chosen(request, queryset, value, page)
        if record is not None and record not in picked:
            picked.append(record)
    return picked


def put_errors(
    form, exc: ValidationError | RuleInputError, rename: dict[str, str] | Callable[[str], str] | None = None
) -> None:
    """A service's or a rule's errors on the fields of the form they name (renamed where the form asks
    differently: a table, or the form's own ``field_for``); an error naming no field of the form goes above
    the form."""
    renamed = rename if callable(rename) else (rename or {}).get
    if isinstance(exc, RuleInputError):
        errors: dict[str | None, list] = {exc.field: [str(exc)]}
    elif hasattr(exc, "error_dict"):
        errors = {name: list(found) for name, found in exc.error_dict.items()}
    else:
        errors = {None: list(exc.messages)}
    for name, found in errors.items():
        target = (renamed(name) or name) if name else None
        for error in found:
            form.add_error(target if target in form.fields else None, error)


def _named(form, fields: Iterable[str], renamed: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The form's cleaned ``fields`` as the service's keywords: of the same names, or as ``renamed`` says
    (the version the user saw is the ``expected_version``); a field the form did not ask (a level sought
    only on a referral) is left to the service's default."""
    keywords = {"version": "expected_version", **(renamed or {})}
    return {keywords.get(name, name): form.cleaned_data[name] for name in fields if name in form.cleaned_data}


def submits(
    service: Callable, *args, fields: Iterable[str] = (), renamed: Mapping[str, str] | None = None, **fixed
) -> Callable[[gate.AccessContext, Any], Any]:
    """The ``save`` of a form page that calls ``service(ctx, *args, **fixed)`` with the form's ``fields`` as
    keywords of the same names, or as ``renamed`` says (the form's ``version`` as ``expected_version``,
    against lost updates)."""

    def save(ctx: gate.AccessContext, form) -> Any:
        return service(ctx, *args, **fixed, **_named(form, fields, renamed))

    return save


def by_choice(field: str, saves: Mapping[str, Callable[[gate.AccessContext, Any], Any]]):
    """The ``save`` of a form whose ``field`` chooses the use case (accept or decline; booked, declined,
    completed or withdrawn): the save of the choice made."""

    def save(ctx: gate.AccessContext, form) -> Any:
        return saves[form.cleaned_data[field]](ctx, form)

    return save


def saves(service: Callable, *, fields: Iterable[str] = ()) -> Callable[[gate.AccessContext, Any], Any]:
    """The ``save`` of a page whose form binds a record: ``service(ctx, form.instance)``, with the form's
    ``fields`` as keywords as :func:`submits` passes them."""

    def save(ctx: gate.AccessContext, form) -> Any:
        return service(ctx, form.instance, **_named(form, fields))

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
    shows: Model | Iterable[Model] | Mapping[str, Model] = (),
    page: str = "",
    detail: dict | None = None,
    rename: dict[str, str] | Callable[[str], str] | None = None,
    submitted: bool | None = None,
) -> HttpResponse:
    """A page whose form changes records.

    ``save(ctx, form)`` calls the service with the valid form; what it returns is given to ``done`` (the
    message) and ``then`` (where to go) when they are callables. The page is ``template`` with
    ``context`` (with the records ``shows`` names) and the form, or ``show(form)`` where the form sits on
    a record's own page.
    ``shows`` are the records the page shows, audited as viewed (with ``page`` and ``detail``) on every
    request; named (``{"item": item}``), they are in the template's context by those names too.
    ``submitted`` says whether this request submits the form (by default: a POST).
    """
    ctx = gate.context_for(request)
    if submitted is None:
        submitted = request.method == "POST"
    if isinstance(shows, Mapping):
        context, shown = {**shows, **(context or {})}, list(shows.values())
    else:
        shown = [shows] if isinstance(shows, Model) else list(shows)
    for record in shown:
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


def answer_page(
    request, form_class, answer: Callable[[Any], Any], template: str, context: dict | None = None
) -> HttpResponse:
    """A page whose form changes nothing (a calculator): bind ``form_class``, and on a valid submission work
    out ``answer(form)``; a rule's refusal goes on the field it names (the form's ``field_for``, if it has
    one). The page is ``template`` with ``context``, the form and the answer."""
    form = form_class(posted(request))
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = answer(form)
        except RuleInputError as exc:
            put_errors(form, exc, getattr(form, "field_for", None))
    return render(request, template, {**(context or {}), "form": form, "answer": result})
