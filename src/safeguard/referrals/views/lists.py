"""The referrals list: a coordinator's screening queue by forum and status, with timers; a referrer's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.web import lists
from safeguard.web.lists import Column, Filter, ListSpec

from ..models import Referral
from ..timers import timer_for

S = Referral.Status
STATUS_FILTERS = {
    "open": ("Open (not yet decided, or accepted)", [S.DRAFT, S.SUBMITTED, S.SCREENING, S.ACCEPTED, S.LISTED]),
    "waiting": ("Waiting for a decision", [S.SUBMITTED, S.SCREENING]),
    **{status.value: (status.label, [status.value]) for status in S},
    "all": ("All", list(S.values)),
}


def _narrow_by_status(queryset, value: str):
    return queryset.filter(status__in=STATUS_FILTERS[value or "open"][1])


def _narrow_by_forum(queryset, value: str):
    return queryset.filter(forum_id=int(value)) if value else queryset


COLUMNS = (
    Column("referral", "Referral", ("pk",)),
    Column("kind", "Kind", ("kind",)),
    Column("person", "Person", ("person__family_name", "person__given_name")),
    Column("forum", "Forum", ("forum__name",)),
    Column("status", "Status", ("status",)),
    Column("waiting", "Waiting", ("status_since",)),
)


def filters_for(forums) -> tuple[Filter, ...]:
    """The list's filters: the forums of the user's area (choices, never a wider scope) and the statuses."""
    return (
        Filter("forum", "Forum", (("", "All"), *((str(f.pk), f.name) for f in forums)), _narrow_by_forum),
        Filter("status", "Status", tuple((k, label) for k, (label, _s) in STATUS_FILTERS.items()), _narrow_by_status),
    )


def coordinated_forums(user, kind: str | None = None) -> list[Forum]:
    """The forums of the user's area the user coordinates (a coordinator's links to their tools)."""
    forums = Forum.objects.filter(area_id=user.mappa_area_id).order_by("name")
    if kind:
        forums = forums.filter(kind=kind)
    return [f for f in forums if gate.decide(user, Operation.CHANGE, f).allowed]


@login_required
def referral_list(request):
    """Every referral the user may see (gate.scoped), less other people's drafts; filtered by forum and status,
    sorted by its columns (GET: no personal data), longest waiting first."""
    user = request.user
    ctx = gate.context_for(request)
    forums = list(Forum.objects.filter(area_id=user.mappa_area_id).order_by("name"))
    filters = filters_for(forums)
    spec = ListSpec(noun="referrals", columns=COLUMNS, default_sort="waiting", filters=filters)
    scope = gate.scoped(user, Referral.objects.all())
    referrals = (
        Referral.objects.filter(pk__in=scope.values("pk"))
        .exclude(Q(status=S.DRAFT) & ~Q(referred_by=user))
        .select_related("forum", "person", "referring_agency")
    )
    page = lists.page_of(spec, referrals, request.GET)
    rows = [(r, timer_for(r)) for r in page.rows]
    chosen = {f.key: f.value for f in page.filters}
    status_key = chosen["status"] or "open"
    gate.audit_list(
        ctx,
        Operation.VIEW,
        Referral,
        [r.pk for r, _t in rows],
        {"forum": int(chosen["forum"]) if chosen["forum"] else None, "status": status_key, "page": page.number},
    )
    return render(
        request,
        "referrals/list.html",
        {
            "filters": lists.filter_panel(filters, request.GET, "Filter referrals"),
            "rows": rows,
            "list": page,
            "status_label": STATUS_FILTERS[status_key][0],
            "matac_forums": coordinated_forums(user, Forum.Kind.MATAC),
        },
    )
