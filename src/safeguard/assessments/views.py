"""Assessment pages: complete an instrument for a person, and read one back with its working."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.events.models import Incident, IncidentRole
from safeguard.offenders.models import Nominal
from safeguard.people.models import Person
from safeguard.rules import marac
from safeguard.web import pages

from . import services
from .forms import FORMS
from .models import Assessment, InstrumentVersion

PEOPLE = Person.objects.select_related("area")


@login_required
def new(request, pk: int, code: str):
    instrument = InstrumentVersion.current_for(code) if code in FORMS else None  # reference data
    if instrument is None:
        raise Http404
    person = pages.gated(
        request, PEOPLE, pk, Operation.CREATE, on=lambda person: Assessment(person=person, instrument=instrument)
    )
    kwargs = {"definition": instrument.definition}
    incidents = []
    if code in ("dash", "dash-yp"):
        as_victim = Incident.objects.filter(
            people__person=person, people__role=IncidentRole.VICTIM, domestic_abuse=True
        ).distinct()
        incidents = list(gate.scoped(request.user, as_victim).order_by("-occurred_at")[:20])
        kwargs["incidents"] = incidents

    def record(ctx, form):
        data = form.cleaned_data
        incident = next((i for i in incidents if i.pk == data.get("incident")), None)
        nominal = Nominal.objects.filter(person=person, status=Nominal.Status.ACTIVE).order_by("-managed_from").first()
        return services.record_assessment(
            ctx, person=person, instrument=instrument, data=data, nominal=nominal, incident=incident
        )

    return pages.form_page(
        request,
        FORMS[code](pages.posted(request), **kwargs),
        record,
        done=lambda assessment: f"{instrument.get_code_display()} recorded: {assessment.summary}.",
        then=lambda assessment: reverse("assessments:detail", kwargs={"pk": assessment.pk}),
        template="assessments/new.html",
        context={"instrument": instrument, "code": code},
        shows={"person": person},
        page=f"new {code} assessment",
    )


@login_required
def detail(request, pk: int):
    related = ("person", "instrument", "assessor", "assessor_agency", "incident")
    assessment = pages.gated(request, Assessment.objects.select_related(*related), pk)
    definition = assessment.instrument.definition
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "definition": definition,
            "answer_rows": _answer_rows(assessment),
            "result": assessment.result,
            "criteria": [marac.CRITERION_LABELS.get(c, c) for c in assessment.result.get("criteria", [])],
        },
    )


def _answer_rows(assessment: Assessment) -> list[tuple[str, str]]:
    """The answers as (question, answer) in the definition's order, labelled from the stored version."""
    definition, answers = assessment.instrument.definition, assessment.answers
    code = assessment.instrument.code
    if code in ("dash", "dash-yp"):
        labels = {"yes": "Yes", "no": "No", "dont_know": "Don't know"}
        return [
            (f"{n}. {q['topic']}", labels.get(answers.get(q["key"]), ""))
            for n, q in enumerate(definition["questions"], 1)
        ]
    if code == "arms":
        scales = {
            kind: {s["key"]: s["label"] for s in scale["levels"]}
            for kind, scale in definition.get("rating_scales", {}).items()
        }
        return [
            (
                f["label"],
                f"{scales.get(f['kind'], {}).get(answers['ratings'].get(f['key']), '')}. "
                f"{answers['evidence'].get(f['key'], '')}".strip(),
            )
            for f in definition["factors"]
        ]
    if code == "dara":
        rows = [(t["topic"], answers["notes"].get(t["key"], "")) for t in definition["themes"]]
        return [*rows, ("Grading", answers["grade"].capitalize()), ("Rationale", answers["rationale"])]
    return [(key.replace("_", " ").capitalize(), str(value)) for key, value in answers.items()]
