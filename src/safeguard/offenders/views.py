"""Nominal pages: the record, its change with a reason, its history, who has looked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.accounts.rows import Statement
from safeguard.assessments import services as assessment_services
from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.people.models import Person
from safeguard.web import lists, pages

from . import findings, services
from .access_log import access_rows
from .changes_html import changes_html
from .forms import NominalChangeForm, NominalOpenForm
from .history import nominal_changes
from .models import Nominal

# The person's area with the person: the referral links ask for its MAPPA area (a query of its own otherwise).
RELATED = ("person", "person__area", "offender_manager", "offender_manager__team", "lead_agency", "local_area")


def _by(field: str):
    return lambda queryset, value: queryset.filter(**{field: value}) if value else queryset


# The access log as a list (web/lists.py): the record's audit events newest first, a page at a time (the
# audit_record index: record type, record id, time), by outcome and by what was done.
ACCESS_FILTERS = (
    lists.Filter("outcome", "Outcome", (("", "All"), *Outcome.choices), _by("outcome")),
    lists.Filter("operation", "What was done", (("", "All"), *Operation.choices), _by("operation")),
)
ACCESS_LOG = lists.ListSpec(
    noun="entries",
    columns=(
        lists.Column("when", "When", ("at",), first=lists.DESCENDING),
        lists.Column("who", "Who"),
        lists.Column("what", "What"),
        lists.Column("purpose", "Purpose"),
        lists.Column("outcome", "Outcome", ("outcome", "-at")),
    ),
    default_sort="when",
    default_direction=lists.DESCENDING,
    filters=ACCESS_FILTERS,
)


NOMINALS = Nominal.objects.select_related(*RELATED)
# The same row for the pages opened most (the nominal page, its change): SQL written once a process (accounts.rows).
NOMINAL_ROW = Statement(Nominal, related=RELATED)


def _to_nominal(record: Nominal) -> str:
    return reverse("offenders:nominal", kwargs={"pk": record.pk})


@login_required
def nominal(request, pk: int):
    today = timezone.localdate()
    record = pages.gated(request, NOMINAL_ROW, pk)
    may_change = gate.decide(request.user, Operation.CHANGE, record).allowed
    sees_person = gate.decide(request.user, Operation.VIEW, record.person).allowed
    found = findings.for_page(record, today)
    return render(
        request,
        "offenders/nominal.html",
        {
            "nominal": record,
            "person": record.person,
            "may_change": may_change,
            # Its last five changes written in Python, as offenders/changes_list.html draws them (changes_html).
            "changes": changes_html(nominal_changes(record, limit=5)),
            "today": today,
            "due": found.due,
            "category": found.category,
            "qualifying": found.qualifying,
            # The person's assessments are part of the person record: shown only to those who may see it.
            "assessments": assessment_services.assessments_of(record.person) if sees_person else [],
            "assess_links": assessment_services.assessment_links(request.user, record.person),
            "retention": found.retention,
        },
    )


@login_required
def change(request, pk: int):
    record = pages.gated(request, NOMINAL_ROW, pk, Operation.CHANGE)
    area_id = record.local_area.parent_id or record.local_area_id
    form = NominalChangeForm(
        pages.posted(request), instance=record, mappa_area_id=area_id, initial={"version": record.version}
    )
    return pages.form_page(
        request,
        form,
        pages.saves(services.change_nominal, fields=("version", "reason")),
        done=lambda _: f"{record.reference} has been changed.",
        then=_to_nominal(record),
        template="offenders/change.html",
        shows={"nominal": record},
        page="change form",
    )


@login_required
def history(request, pk: int):
    record = pages.gated(request, NOMINALS, pk, Operation.VIEW, {"page": "history"})
    return render(request, "offenders/history.html", {"nominal": record, "changes": nominal_changes(record)})


@login_required
def access_log(request, pk: int):
    """Who has looked at this nominal: for those who manage it (Journey 12)."""
    record = pages.gated(request, NOMINALS, pk, Operation.CHANGE)  # only those who manage the nominal
    gate.authorise(gate.context_for(request), Operation.VIEW, record, {"page": "access log"})
    events = AuditEvent.objects.filter(record_type=record._meta.label_lower, record_id=record.pk)
    page = lists.page_of(ACCESS_LOG, events, request.GET)
    return render(
        request,
        "offenders/access_log.html",
        {
            "nominal": record,
            "events": access_rows(page.rows),
            "list": page,
            "filters": lists.filter_panel(ACCESS_FILTERS, request.GET, "Filter the log"),
        },
    )


@login_required
def open_nominal(request, person_pk: int):
    """Open a nominal (a management record) around a person the user may see."""
    person = pages.gated(request, Person.objects.all(), person_pk, Operation.VIEW, {"page": "open nominal"})
    return pages.form_page(
        request,
        NominalOpenForm(
            pages.posted(request), instance=Nominal(person=person), mappa_area_id=request.user.mappa_area_id
        ),
        pages.saves(services.open_nominal),
        done=lambda record: f"Nominal {record.reference} has been opened.",
        then=_to_nominal,
        template="offenders/open.html",
        context={"person": person},
    )
