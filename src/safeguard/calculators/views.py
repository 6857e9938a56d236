"""The calculator pages: a form, and on POST the answer with its working. Nothing entered is kept.

The inputs travel only in the POST body (never the URL); the page is not
cached (NoStoreMiddleware) and nothing is logged or audited, since no
personal record is read or written.
"""

from __future__ import annotations

from django.shortcuts import render

from safeguard.rules import dash as dash_rules
from safeguard.rules import marac
from safeguard.rules import rfg as rfg_rules
from safeguard.rules import rm2000 as rm2000_rules
from safeguard.rules.working import RuleInputError, Status

from . import forms, services
from .access import calculator_page

NAV = "calculators"


def _calculate(request, form_class, calculate, template: str, extra: dict | None = None):
    form = form_class(request.POST if request.method == "POST" else None)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = calculate(form)
        except RuleInputError as exc:
            form.add_rule_error(exc)
    context = {"form": form, "answer": answer, "nav": NAV, **(extra or {})}
    return render(request, f"calculators/{template}", context)


@calculator_page
def index(request):
    return render(request, "calculators/index.html", {"nav": NAV})


@calculator_page
def notification(request):
    return _calculate(
        request,
        forms.NotificationForm,
        lambda form: services.notification_answer(**form.inputs()),
        "notification.html",
    )


@calculator_page
def dash(request):
    return _calculate(
        request,
        forms.DashForm,
        lambda form: services.dash_answer(**form.inputs()),
        "dash.html",
        {
            "grades": dash_rules.GRADE_LABELS,
            "criterion_labels": marac.CRITERION_LABELS,
            "definition": dash_rules.DASH_2009,
            "unconfirmed": dash_rules.DASH_2009["status"] != Status.CONFIRMED,
        },
    )


@calculator_page
def rm2000(request):
    categories = {c["key"]: c["label"] for c in rm2000_rules.RM2000["categories"]}
    return _calculate(
        request,
        forms.Rm2000Form,
        lambda form: services.rm2000_answer(**form.cleaned_data),
        "rm2000.html",
        {
            "categories": categories,
            "definition": rm2000_rules.RM2000,
            "unconfirmed": rm2000_rules.RM2000["status"] != Status.CONFIRMED,
        },
    )


@calculator_page
def rfg(request):
    def calculate(form):
        data = form.cleaned_data
        return services.rfg_answer(as_of=data["as_of"], date_of_birth=data["date_of_birth"], records=form.records())

    return _calculate(
        request,
        forms.RfgForm,
        calculate,
        "rfg.html",
        {"default_config": rfg_rules.RfgConfig(), "source_safeguard": rfg_rules.SOURCE_SAFEGUARD},
    )


@calculator_page
def workload_capacity(request):
    return _calculate(
        request,
        forms.WorkloadCapacityForm,
        lambda form: services.workload_capacity_answer(**form.cleaned_data),
        "workload_capacity.html",
    )
