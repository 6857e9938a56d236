"""One referral: its details, the timeline of its moves, the decisions open to the user, and its links."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.models import Person
from safeguard.rules import marac
from safeguard.rules import referrals as rules
from safeguard.web import pages

from .. import services
from ..forms import MoveForm, ScreeningDecisionForm
from ..models import Referral
from ..services import facts
from ..timers import timer_for

S = Referral.Status
RELATED = ("forum", "person", "person__area", "nominal", "nominal__local_area", "referring_agency", "referred_by")

# Each move from the page: the status it starts from, whether it is the referrer's (may_refer) or the
# coordinator's (may_decide_referral), the button, and what the reason box is called (None: no reason asked).
MOVES = {
    "submit": ((S.DRAFT,), True, "Submit the referral", None),
    "screen": ((S.SUBMITTED,), False, "Start screening", None),
    "withdraw": ((S.DRAFT, S.SUBMITTED, S.SCREENING, S.ACCEPTED), True, "Withdraw the referral", "Why it is withdrawn"),
    "delist": ((S.LISTED,), False, "Take off the agenda", "Why it is taken off the agenda"),
    "deselect": ((S.ACCEPTED, S.LISTED), False, "De-select from the cohort", "Why the person is de-selected"),
}


REFERRALS = Referral.objects.select_related(*RELATED)


def _may(user, record: Referral, by_referrer: bool) -> bool:
    return gate.decide(user, Operation.CREATE if by_referrer else Operation.CHANGE, record).allowed


def _move_forms(user, record: Referral, bound: dict) -> list[dict]:
    shown = []
    for name, (states, by_referrer, button, reason_label) in MOVES.items():
        if record.status not in states or (name == "deselect" and record.kind != Referral.Kind.IOM):
            continue
        if name == "withdraw" and record.kind == Referral.Kind.IOM and record.status == S.ACCEPTED:
            continue  # a selected person is de-selected, with the reason, rather than withdrawn
        if not _may(user, record, by_referrer):
            continue
        form = bound.get(name) or MoveForm(prefix=name, reason_label=reason_label, initial={"version": record.version})
        shown.append({"name": name, "form": form, "button": button, "needs_reason": bool(reason_label)})
    return shown


def _decision_form(user, record: Referral, bound: dict):
    if record.status != S.SCREENING or not _may(user, record, False):
        return None
    if "decide" in bound:
        return bound["decide"]
    return ScreeningDecisionForm(
        prefix="decide",
        referral=record,
        needs_nominal=_needs_nominal(record),
        mappa_area_id=record.forum.area_id,
        initial={"version": record.version, "level_set": str(record.level_sought or "")},
    )


def _needs_nominal(record: Referral) -> bool:
    return record.kind == Referral.Kind.MAPPA and not record.nominal_id and facts.active_nominal(record.person) is None


def _render(request, record: Referral, bound: dict | None = None):
    user = request.user
    bound = bound or {}
    sees_person = gate.decide(user, Operation.VIEW, record.person).allowed
    perpetrators = list(record.perpetrators.all())
    visible = set(
        gate.scoped(user, Person.objects.filter(pk__in=[p.pk for p in perpetrators])).values_list("pk", flat=True)
    )
    link_rows = []
    for link in services.links_of(record.forum_case):
        other = link.to_case if link.from_case_id == record.forum_case_id else link.from_case
        link_rows.append(
            {
                "link": link,
                "other": other,
                "shows_person": gate.decide(user, Operation.VIEW, link).allowed,
            }
        )
    dash = record.dash if record.dash_id and gate.decide(user, Operation.VIEW, record.dash).allowed else None
    repeat_of = (
        record.repeat_of
        if record.repeat_of_id and gate.decide(user, Operation.VIEW, record.repeat_of).allowed
        else None
    )
    forms = _move_forms(user, record, bound)
    decision = _decision_form(user, record, bound)
    errored = next(
        (f for f in [*(m["form"] for m in forms), decision] if f is not None and f.is_bound and f.errors), None
    )
    context = {
        "referral": record,
        "person": record.person,
        "sees_person": sees_person,
        "timer": timer_for(record),
        "transitions": record.transitions.select_related("by").all(),
        "perpetrators": [(p, p.pk in visible) for p in perpetrators],
        "criteria": [marac.CRITERION_LABELS.get(c, c) for c in record.criteria_met],
        "links": link_rows,
        "dash": dash,
        "repeat_of": repeat_of,
        "agenda_items": record.agenda_items.select_related("meeting").order_by("meeting__starts_at"),
        "moves": forms,
        "decision": decision,
        "errored": errored,
        "next_states": _next_in_words(record.status),
        "category": facts.category_for(record.person, record.nominal) if record.kind == Referral.Kind.MAPPA else None,
        "today": timezone.localdate(),
    }
    return render(request, "referrals/referral.html", context)


# What can happen to a referral next, as a sentence's end ("It can next be submitted or withdrawn").
NEXT_WORDS = {
    rules.DRAFT: "go back to draft",
    rules.SUBMITTED: "be submitted",
    rules.SCREENING: "be screened",
    rules.ACCEPTED: "be accepted",
    rules.DECLINED: "be declined",
    rules.WITHDRAWN: "be withdrawn",
    rules.LISTED: "be listed for a meeting",
}


def _next_in_words(status: str) -> str:
    words = [NEXT_WORDS.get(s, rules.LABELS[s]) for s in sorted(rules.allowed_next(status))]
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


@login_required
def referral(request, pk: int):
    return _render(request, pages.gated(request, REFERRALS, pk))


DONE = {
    "submit": "Referral {pk} has been submitted.",
    "screen": "Screening of referral {pk} has started.",
    "withdraw": "Referral {pk} has been withdrawn.",
    "delist": "Referral {pk} has been taken off the agenda.",
    "deselect": "The person has been de-selected from the cohort (referral {pk}).",
    "accepted": "Referral {pk} has been accepted.",
    "declined": "Referral {pk} has been declined.",
}


# The moves that cannot be undone: the page asks first, saying what the move leaves undone.
ASK_FIRST = {
    "withdraw": ("withdraw referral {pk}", "Yes, withdraw the referral"),
    "delist": ("take referral {pk} off the agenda", "Yes, take it off the agenda"),
    "deselect": ("de-select the person from the cohort", "Yes, de-select them"),
}


def _reason_given(form) -> bool:
    return bool((form.cleaned_data.get("rationale") or "").strip())


def _ask_first(request, record: Referral, name: str, form):
    """The "are you sure" page of a final move: the meetings it is listed for and the timer it stops."""
    ctx = gate.context_for(request)
    gate.authorise(ctx, Operation.VIEW, record, {"page": "are you sure", "move": name})
    question, button = ASK_FIRST[name]
    listed = [
        item
        for item in record.agenda_items.select_related("meeting").order_by("meeting__starts_at")
        if item.outcome == item.Outcome.LISTED
    ]
    return render(
        request,
        "referrals/move_confirm.html",
        {
            "referral": record,
            "name": name,
            "form": form,
            "question": question.format(pk=record.pk),
            "button": button,
            "listed": listed,
            "timer": timer_for(record),
            "final": name in ("withdraw", "deselect"),
        },
    )


@login_required
@require_POST
def move(request, pk: int):
    """One move posted from the referral page; the service decides who may make it (refused: 404)."""
    record = get_object_or_404(REFERRALS, pk=pk)
    gate.check(gate.context_for(request), Operation.VIEW, record)
    name = request.POST.get("form", "")
    if name == "decide":
        form = ScreeningDecisionForm(
            request.POST,
            prefix="decide",
            referral=record,
            needs_nominal=_needs_nominal(record),
            mappa_area_id=record.forum.area_id,
        )
    elif name in MOVES:
        form = MoveForm(request.POST, prefix=name, reason_label=MOVES[name][3])
    else:
        raise Http404
    if name in ASK_FIRST and request.POST.get("confirmed") != "yes" and form.is_valid() and _reason_given(form):
        return _ask_first(request, record, name, form)
    # The service each form on the page calls, with the form's fields it takes.
    saves = {
        "submit": pages.submits(services.submit_referral, record, fields=("version",)),
        "screen": pages.submits(services.start_screening, record, fields=("version",)),
        "withdraw": pages.submits(services.withdraw_referral, record, fields=("rationale", "version")),
        "delist": pages.submits(services.delist_referral, record, fields=("rationale", "version")),
        "deselect": pages.submits(
            services.deselect_from_iom, record, fields=("rationale", "version"), renamed={"rationale": "reason"}
        ),
        "decide": pages.by_choice(
            "decision",
            {
                "accept": pages.submits(
                    services.accept_referral,
                    record,
                    fields=("rationale", "level_set", "local_area", "lead_agency", "version"),
                ),
                "decline": pages.submits(services.decline_referral, record, fields=("rationale", "version")),
            },
        ),
    }
    return pages.form_page(
        request,
        form,
        saves[name],
        done=lambda moved: (DONE.get(name) or DONE[moved.status]).format(pk=moved.pk),
        then=lambda moved: reverse("referrals:referral", kwargs={"pk": moved.pk}),
        show=lambda form: _render(request, REFERRALS.get(pk=pk), {name: form}),
        shows=record,
        page="referral decision",
    )
