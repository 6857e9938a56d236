"""The referrals list: a coordinator's screening queue by forum and status, with timers; a referrer's own."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.web.forms import GovukForm

from ..models import Referral
from ..timers import timer_for

PER_PAGE = 50
S = Referral.Status
STATUS_FILTERS = {
    "open": ("Open (not yet decided, or accepted)", [S.DRAFT, S.SUBMITTED, S.SCREENING, S.ACCEPTED, S.LISTED]),
    "waiting": ("Waiting for a decision", [S.SUBMITTED, S.SCREENING]),
    **{status.value: (status.label, [status.value]) for status in S},
    "all": ("All", list(S.values)),
}


class ListFilterForm(GovukForm):
    forum = forms.ModelChoiceField(label="Forum", required=False, queryset=Forum.objects.none(), empty_label="All")
    status = forms.ChoiceField(
        label="Status", required=False, choices=[(k, label) for k, (label, _s) in STATUS_FILTERS.items()]
    )

    def __init__(self, *args, forums=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


def coordinated_forums(user, kind: str | None = None) -> list[Forum]:
    """The forums of the user's area the user coordinates (a coordinator's links to their tools)."""
    forums = Forum.objects.filter(area_id=user.mappa_area_id).order_by("name")
    if kind:
        forums = forums.filter(kind=kind)
    return [f for f in forums if gate.decide(user, Operation.CHANGE, f).allowed]


@login_required
def referral_list(request):
    """Every referral the user may see (gate.scoped), less other people's drafts; filters by GET (no personal data)."""
    user = request.user
    ctx = gate.context_for(request)
    forums = Forum.objects.filter(area_id=user.mappa_area_id).order_by("name")
    form = ListFilterForm(request.GET or None, forums=forums)
    chosen_forum, status_key = None, "open"
    if form.is_valid():
        chosen_forum = form.cleaned_data["forum"]
        status_key = form.cleaned_data["status"] or "open"
    scope = gate.scoped(user, Referral.objects.all())
    referrals = (
        Referral.objects.filter(pk__in=scope.values("pk"))
        .exclude(Q(status=S.DRAFT) & ~Q(referred_by=user))
        .filter(status__in=STATUS_FILTERS[status_key][1])
        .select_related("forum", "person", "referring_agency")
        .order_by("status_since", "pk")
    )
    if chosen_forum is not None:
        referrals = referrals.filter(forum=chosen_forum)
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(r, timer_for(r)) for r in page.object_list]
    gate.audit_list(
        ctx,
        Operation.VIEW,
        Referral,
        [r.pk for r, _t in rows],
        {"forum": chosen_forum.pk if chosen_forum else None, "status": status_key, "page": page.number},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "status_label": STATUS_FILTERS[status_key][0],
            "matac_forums": coordinated_forums(user, Forum.Kind.MATAC),
        },
    )
