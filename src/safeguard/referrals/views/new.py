"""Making a referral of each kind: MAPPA (from a nominal or person), MARAC (by hand or from a DASH), MATAC, IOM."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.urls import reverse

from safeguard.access import gate
from safeguard.assessments.models import Assessment
from safeguard.assessments.services import marac_for
from safeguard.audit.models import Operation
from safeguard.people.models import Person
from safeguard.web import pages

from .. import services
from ..forms import ChildFormSet, IomSelectionForm, MappaReferralForm, MaracReferralForm, MatacReferralForm, yes_no
from ..models import Referral
from ..services import facts

CHILDREN_PREFIX = "children"


PEOPLE = Person.objects.select_related("area")
DASHES = Assessment.objects.select_related("person", "instrument", "incident").filter(
    instrument__code__in=("dash", "dash-yp")
)


def referral_for(person: Person) -> Referral:
    """The referral to be made for the person: what the gate decides a new referral on."""
    return Referral(person=person)


def _saved(referral: Referral) -> str:
    return f"Referral {referral.pk} is saved as a draft: check it, then submit it."


def _to_referral(referral: Referral) -> str:
    return reverse("referrals:referral", kwargs={"pk": referral.pk})


@login_required
def new_mappa(request, person_pk: int):
    person = pages.gated(request, PEOPLE, person_pk, Operation.CREATE, on=referral_for)
    nominal = facts.active_nominal(person)
    finding = facts.category_for(person, nominal)
    recorded = nominal.mappa_category if nominal else ""
    initial = {"mappa_category": recorded if recorded and recorded != "tbd" else (finding.category or "tbd")}
    return pages.form_page(
        request,
        MappaReferralForm(request.POST or None, initial=initial, supported=finding.category),
        lambda ctx, form: services.create_mappa_referral(
            ctx,
            person=person,
            nominal=nominal,
            level_sought=int(form.cleaned_data["level_sought"]),
            mappa_category=form.cleaned_data["mappa_category"],
            reason=form.cleaned_data["reason"],
            risk_summary=form.cleaned_data["risk_summary"],
        ),
        done=_saved,
        then=_to_referral,
        template="referrals/new_mappa.html",
        context={"nominal": nominal, "finding": finding, "kind": "MAPPA"},
        shows={"person": person},
        page="new MAPPA referral",
    )


def _quiet(*forms) -> None:
    """Show a form again as typed, without its errors (after "Add another child", before it is sent)."""
    for form in forms:
        form.is_valid()
        form._errors = ErrorDict()
        if hasattr(form, "forms"):
            for sub in form.forms:
                sub._errors = ErrorDict()
            form._errors = [ErrorDict() for _ in form.forms]
            form._non_form_errors = ErrorList()


def _marac(request, person: Person, dash: Assessment | None):
    forums = facts.forums_for(Referral.Kind.MARAC, person)
    perpetrators = gate.scoped(request.user, facts.perpetrator_candidates(person))
    initial = {}
    if dash is not None and dash.answers.get("incident_date"):
        initial["incident_date"] = dt.date.fromisoformat(dash.answers["incident_date"])
    default_forum = marac_for(person)
    if default_forum is not None:
        initial["forum"] = default_forum.pk
    data = request.POST if request.method == "POST" else None
    if data is not None and "add_child" in data:
        data = data.copy()
        total = int(data.get(f"{CHILDREN_PREFIX}-TOTAL_FORMS") or 0)
        data[f"{CHILDREN_PREFIX}-TOTAL_FORMS"] = str(total + 1)
    form = MaracReferralForm(
        data, forums=forums, perpetrators=perpetrators, from_dash=dash is not None, initial=initial
    )
    children = ChildFormSet(data, prefix=CHILDREN_PREFIX, initial=None if data else [{}])
    preview = None
    if dash is not None:
        incident = initial.get("incident_date")
        forum = default_forum or forums.first()
        if incident is not None and forum is not None:
            try:
                preview = services.criteria_from_dash(person, forum, dash, incident)
            except ValidationError:
                preview = None
    adding_child = data is not None and "add_child" in data
    if adding_child:
        _quiet(form, children)

    def refer(ctx, form):
        if not children.is_valid():
            raise ValidationError([])  # the children's own errors are on their forms
        cleaned = form.cleaned_data
        details = services.MaracDetails(
            incident_date=cleaned["incident_date"],
            perpetrators=list(cleaned["perpetrators"]),
            victim_aware=yes_no(cleaned["victim_aware"]),
            victim_consents=yes_no(cleaned["victim_consents"]),
            no_consent_reason=cleaned["no_consent_reason"],
            children=[c.child for c in children.forms if c.child],
            feared=cleaned["feared"],
            safe_contact=cleaned["safe_contact"],
            reason=cleaned["reason"],
            criteria=list(cleaned.get("criteria") or []),
            dash_yes_count=cleaned.get("dash_yes_count"),
            professional_judgement_reason=cleaned.get("professional_judgement_reason") or "",
        )
        return services.create_marac_referral(ctx, person=person, forum=cleaned["forum"], details=details, dash=dash)

    return pages.form_page(
        request,
        form,
        refer,
        done=_saved,
        then=_to_referral,
        template="referrals/new_marac.html",
        context={
            "person": person,
            "children": children,
            "dash": dash,
            "preview": preview,
            "kind": "MARAC",
            "no_candidates": not perpetrators.exists(),
        },
        shows=person,
        page="new MARAC referral",
        submitted=data is not None and not adding_child,
    )


@login_required
def new_marac(request, person_pk: int):
    return _marac(request, pages.gated(request, PEOPLE, person_pk, Operation.CREATE, on=referral_for), None)


@login_required
def new_marac_from_dash(request, assessment_pk: int):
    dash = pages.gated(request, DASHES, assessment_pk, Operation.VIEW, {"page": "MARAC referral from a DASH"})
    gate.check(gate.context_for(request), Operation.CREATE, referral_for(dash.person))
    return _marac(request, dash.person, dash)


# The referrals made on the one simple page, by the name the page gives them: the kind, the form, the service
# and the form's fields it takes.
SIMPLE = {
    "MATAC": (Referral.Kind.MATAC, MatacReferralForm, services.refer_to_matac, ("forum", "reason"), None),
    "IOM": (
        Referral.Kind.IOM,
        IomSelectionForm,
        services.select_for_iom,
        ("forum", "iom_cohort", "reason"),
        {"iom_cohort": "cohort"},
    ),
}


@login_required
def new_simple(request, person_pk: int, kind: str):
    """A MATAC referral or an IOM selection (``kind`` from the URL table): a forum and the reason."""
    person = pages.gated(request, PEOPLE, person_pk, Operation.CREATE, on=referral_for)
    referral_kind, form_class, service, fields, renamed = SIMPLE[kind]
    return pages.form_page(
        request,
        form_class(request.POST or None, forums=facts.forums_for(referral_kind, person)),
        pages.submits(service, fields=fields, renamed=renamed, person=person),
        done=_saved,
        then=_to_referral,
        template="referrals/new_simple.html",
        context={"kind": kind},
        shows={"person": person},
        page=f"new {kind} referral",
    )
