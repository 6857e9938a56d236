"""Pages that belong to no one app: my work, search, purpose, errors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from safeguard.access import gate
from safeguard.access.purposes import USER_PURPOSES
from safeguard.actions import services as action_services
from safeguard.actions.models import Action, Prompt
from safeguard.audit.models import Operation
from safeguard.offenders.models import Nominal
from safeguard.pathways import my_work as pathways_my_work
from safeguard.people.models import Person
from safeguard.people.search import search_people
from safeguard.workforce.models import Role

from . import lists, my_work, my_work_forums, purpose_middleware, search_rows
from .forms import GovukDateField, GovukForm

MY_WORK_ROWS = 50  # actions and prompts shown on "my work" (the count says when there are more)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def too_many_requests(request, exception=None):
    """429: too many requests from this address or account for now (sign-in limits, API throttles)."""
    return render(request, "429.html", {"wait_seconds": getattr(exception, "wait", None)}, status=429)


@login_required
def home(request):
    """My work: what the signed-in user has to do, nearest first."""
    user = request.user
    today = timezone.localdate()
    ctx = gate.context_for(request)
    context = {"nav": "home", "today": today}
    shown_sections = my_work.caseload_sections(ctx, user, request.GET, today)
    context["sections"] = shown_sections
    context["forum_sections"] = my_work_forums.forum_sections(ctx, user, request.GET, today)
    context["caseload_filters"] = lists.filter_panel(my_work.FILTERS, request.GET, "Filter the caseload lists")
    # The short sections below: asked first, in one query, which have any records before the gate (most
    # users have none of most); only those are then read through the gate.
    having = my_work.present_sections(user, today)
    # The candidates are built for the real user only where a section has records to read through the gate.
    candidates = my_work.short_section_candidates(user, today) if having - {"actions", "prompts"} else {}
    if "notices" in having:
        visible = gate.scoped(user, Nominal.objects.filter(status=Nominal.Status.ACTIVE))
        notices = list(
            candidates["notices"].filter(nominal__in=visible).select_related("nominal__person").order_by("due_on")[:50]
        )
        context["notices"] = notices
        if notices:
            gate.audit_list(
                ctx, Operation.VIEW, Nominal, [n.nominal_id for n in notices], {"page": "my work: fallen due"}
            )
    elif user.has_role(Role.OFFENDER_MANAGER):
        context["notices"] = []
    context.update(_actions_and_prompts(ctx, user, today, having))
    context.update(
        pathways_my_work.my_work_context(
            ctx, user, today, {name: candidates[name] for name in pathways_my_work.SECTIONS if name in having}
        )
    )
    if user.has_role(Role.ANALYST):
        context["aggregates"] = _area_aggregates(user)
    context["no_records_role"] = (
        not shown_sections
        and not context["forum_sections"]
        and not user.has_role(Role.ANALYST)
        and not context["actions"]
        and not context["prompts"]
    )
    return render(request, "web/home.html", context)


def _first_and_count(queryset, limit: int = MY_WORK_ROWS):
    """The first rows and how many there are, counting only when there are more than are shown."""
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], queryset.count()


def _actions_and_prompts(ctx, user, today, having=("actions", "prompts")) -> dict:
    """The user's open actions (overdue first, with days overdue; reminded ones "due soon") and open prompts;
    ``having``: whether there are any of each before the gate (none: nothing to read)."""
    actions, action_count, overdue = (
        my_work.open_actions(user, today, MY_WORK_ROWS) if "actions" in having else ([], 0, None)
    )
    if actions:
        gate.audit_list(ctx, Operation.VIEW, Action, [a.pk for a in actions], {"page": "my work: actions"})
    prompts, prompt_count = _first_and_count(action_services.open_prompts(user)) if "prompts" in having else ([], 0)
    if prompts:
        gate.audit_list(ctx, Operation.VIEW, Prompt, [p.pk for p in prompts], {"page": "my work: prompts"})
    rows = action_services.action_rows(actions, today)
    if overdue is None:
        overdue = sum(1 for r in rows if r["overdue"])
    return {
        "actions": rows,
        "action_count": action_count,
        "overdue_count": overdue,
        "prompts": prompts,
        "prompt_count": prompt_count,
        "may_list_agency_actions": action_services.may_list_agency_actions(user),
    }


def _area_aggregates(user):
    """Counts only, never a name: what an analyst sees."""
    area_id = user.mappa_area_id
    qs = Nominal.objects.filter(status=Nominal.Status.ACTIVE).filter(
        Q(local_area__parent_id=area_id) | Q(local_area_id=area_id)
    )
    by_category = qs.values("mappa_category").annotate(n=Count("id")).order_by("mappa_category")
    by_level = qs.values("management_level").annotate(n=Count("id")).order_by("management_level")
    return {"total": qs.count(), "by_category": list(by_category), "by_level": list(by_level)}


class SearchForm(GovukForm):
    name = forms.CharField(
        max_length=120,
        required=False,
        label="Name",
        help_text="First and last name, or last name only. Close spellings and aliases are found.",
    )
    date_of_birth = GovukDateField(required=False, label="Date of birth", help_text="For example, 27 3 1985")
    identifier = forms.CharField(
        max_length=20,
        required=False,
        label="Identifier",
        help_text="PNC ID, CRO number, NOMIS number, probation CRN, ViSOR reference or nominal reference",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("name") or data.get("date_of_birth") or data.get("identifier")) and not self.errors:
            raise forms.ValidationError("Enter a name, a date of birth or an identifier to search for")
        return data


def _search_data(request):
    """The search form's data: the search page's own form, or the header's one box (an identifier when it
    holds a digit, a name otherwise)."""
    if request.method != "POST":
        return None
    if "q" not in request.POST:
        return request.POST
    words = request.POST.get("q", "").strip()
    data = request.POST.copy()
    data["identifier" if any(ch.isdigit() for ch in words) else "name"] = words
    return data


@login_required
def search(request):
    """Search is a POST so that names and dates of birth never appear in a URL."""
    form = SearchForm(_search_data(request))
    results, stopped = None, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = search_people(
            request.user,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            identifier=data["identifier"],
            fields=search_rows.PERSON_FIELDS,
        )
        matches, stopped = found.matches, found.stopped
        person_ids = [m.person.pk for m in matches]
        nominals: dict[int, list[Nominal]] = {}
        shown = Nominal.objects.filter(person_id__in=person_ids).only(*search_rows.NOMINAL_FIELDS)
        for n in gate.scoped(request.user, shown):
            nominals.setdefault(n.person_id, []).append(n)
        results = []
        for m in matches:
            row = {"match": m, "nominals": nominals.get(m.person.pk, [])}
            row["html"] = search_rows.row_html(m, row["nominals"])
            results.append(row)
        criteria = {
            "name": data["name"],
            "identifier": data["identifier"],
            "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else None,
        }
        gate.audit_list(gate.context_for(request), Operation.SEARCH, Person, person_ids, {"criteria": criteria})
    may_create = request.user.mappa_area_id is not None and gate.decide(
        request.user, Operation.CREATE, Person(area_id=request.user.mappa_area_id)
    )
    return render(
        request,
        "web/search.html",
        {"form": form, "results": results, "stopped": stopped, "nav": "search", "may_create_person": may_create},
    )


class PurposeForm(GovukForm):
    purpose = forms.ChoiceField(
        choices=USER_PURPOSES, widget=forms.RadioSelect, label="Why are you using Safeguard now?"
    )


@login_required
def purpose(request):
    form = PurposeForm(
        request.POST if request.method == "POST" else None, initial={"purpose": request.session.get("purpose")}
    )
    if request.method == "POST" and form.is_valid():
        request.session["purpose"] = form.cleaned_data["purpose"]
        back = _back_to(request)
        request.session[purpose_middleware.SOURCE] = purpose_middleware.CHOSEN
        request.session[purpose_middleware.CHOSEN_IN] = _section_of(back)
        messages.success(request, "Your purpose has been changed. It is recorded with every record you open.")
        return redirect(back)
    return render(request, "web/purpose.html", {"form": form})


def _back_to(request) -> str:
    """The page the user changed their purpose from (a path on this site only), or my work."""
    wanted = request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("web:home")


def _section_of(path: str) -> str:
    try:
        return resolve(path.split("?", 1)[0]).namespace or ""
    except Resolver404:
        return ""
