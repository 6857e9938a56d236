"""A nominal's orders, breaches and outcomes: the list, and a page to record each."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.web import pages

from . import services
from .forms import BreachForm, OrderForm, OutcomeForm
from .models import Order, OrderBreach, Outcome

NOMINALS = Nominal.objects.select_related("person", "local_area")
ORDERS = Order.objects.select_related("nominal__person", "nominal__local_area")


def _to_list(nominal: Nominal) -> str:
    return reverse("orders:list", kwargs={"pk": nominal.pk})


@login_required
def orders(request, pk: int):
    nominal = pages.gated(request, NOMINALS, pk, Operation.VIEW, {"page": "orders and outcomes"})
    may_record = gate.decide(request.user, Operation.CHANGE, nominal).allowed
    return render(
        request,
        "orders/orders.html",
        {
            "nominal": nominal,
            "orders": nominal.orders.prefetch_related("breaches"),
            "outcomes": nominal.outcomes.select_related("order"),
            "may_record": may_record,
        },
    )


def _form_page(request, nominal: Nominal, form, save, *, title: str, done: str, page: str, order=None):
    return pages.form_page(
        request,
        form,
        save,
        done=done,
        then=_to_list(nominal),
        template="orders/form.html",
        context={"nominal": nominal, "title": title, "order": order},
        shows=nominal,
        page=page,
    )


@login_required
def record_order(request, pk: int):
    nominal = pages.gated(request, NOMINALS, pk, Operation.CHANGE)
    form = OrderForm(pages.posted(request), instance=Order(nominal=nominal))
    return _form_page(
        request,
        nominal,
        form,
        lambda ctx, form: services.record_order(ctx, form.instance),
        title="Record an order",
        done="The order has been recorded.",
        page="record order",
    )


@login_required
def record_breach(request, pk: int):
    order = pages.gated(request, ORDERS, pk, Operation.CHANGE)
    form = BreachForm(pages.posted(request), instance=OrderBreach(order=order))
    return _form_page(
        request,
        order.nominal,
        form,
        lambda ctx, form: services.record_breach(ctx, form.instance),
        title=f"Record a breach of the {order.get_kind_display()}",
        done="The breach has been recorded.",
        page="record breach",
        order=order,
    )


@login_required
def record_outcome(request, pk: int):
    nominal = pages.gated(request, NOMINALS, pk, Operation.CHANGE)
    form = OutcomeForm(pages.posted(request), instance=Outcome(nominal=nominal))
    return _form_page(
        request,
        nominal,
        form,
        lambda ctx, form: services.record_outcome(ctx, form.instance),
        title="Record what happened",
        done="It has been recorded.",
        page="record outcome",
    )
