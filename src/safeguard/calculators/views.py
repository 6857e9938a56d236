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
from safeguard.rules.working import Status
from safeguard.web import pages

from . import forms, services
from .access import calculator_page

NAV = "calculators"


@calculator_page
def index(request):
    return render(request, "calculators/index.html", {"nav": NAV})


@calculator_page
def notification(request):
    return pages.answer_page(
        request,
        forms.NotificationForm,
        lambda form: services.notification_answer(**form.inputs()),
        "calculators/notification.html",
        {"nav": NAV},
    )


@calculator_page
def dash(request):
    return pages.answer_page(
        request,
        forms.DashForm,
        lambda form: services.dash_answer(**form.inputs()),
        "calculators/dash.html",
        {
            "nav": NAV,
            "grades": dash_rules.GRADE_LABELS,
            "criterion_labels": marac.CRITERION_LABELS,
            "definition": dash_rules.DASH_2009,
            "unconfirmed": dash_rules.DASH_2009["status"] != Status.CONFIRMED,
        },
    )


@calculator_page
def rm2000(request):
    categories = {c["key"]: c["label"] for c in rm2000_rules.RM2000["categories"]}
    return pages.answer_page(
        request,
        forms.Rm2000Form,
        lambda form: services.rm2000_answer(**form.cleaned_data),
        "calculators/rm2000.html",
        {
            "nav": NAV,
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

    return pages.answer_page(
        request,
        forms.RfgForm,
        calculate,
        "calculators/rfg.html",
        {"nav": NAV, "default_config": rfg_rules.RfgConfig(), "source_safeguard": rfg_rules.SOURCE_SAFEGUARD},
    )


@calculator_page
def workload_capacity(request):
    return pages.answer_page(
        request,
        forms.WorkloadCapacityForm,
        lambda form: services.workload_capacity_answer(**form.cleaned_data),
        "calculators/workload_capacity.html",
        {"nav": NAV},
    )
