"""Training and competence pages.

- ``workforce:training``: a supervisor sees their team, an officer their own
  record, the MAPPA coordinator and a chair the area's officers (read-only):
  competence today with the gaps in plain words, courses that stop counting
  soon, waiting lists (with buddies and time waited) and places offered.
- ``workforce:training-officer``: one officer's record with the working.
- Forms (the supervisor of the officer's team; places also the MAPPA
  coordinator): record, correct or remove a completion, join a waiting list,
  record places, offer places, update a waiting-list entry, assign or end a
  buddy.

Every page that shows a member of staff's record passes the gate: one record
with ``gate.authorise``, a list with ``gate.scoped`` and ``gate.audit_list``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules.competence import COURSES, needs_buddy
from safeguard.web import lists, pages
from safeguard.web.lists import DESCENDING, Column, Filter, ListSpec

from ..competence import completions_by_staff
from ..forms.training import (
    BuddyForm,
    CompletionForm,
    CorrectionForm,
    EndBuddyForm,
    EntryUpdateForm,
    OfferForm,
    PlacesForm,
    RemovalForm,
    WaitingListForm,
)
from ..models import Area, AreaSettings, Buddy, CoursePlace, Role, Staff, Team, TrainingCompletion, WaitingListEntry
from ..services import training as services

# Whose training the team page lists (besides the viewer): the roles competence decides for.
LISTED_ROLES = (Role.OFFENDER_MANAGER, Role.SUPERVISOR, Role.CHAIR, Role.MAPPA_COORDINATOR)
STAFF_RELATED = ("team", "agency", "agency__area")


STAFF = Staff.objects.select_related(*STAFF_RELATED)
COMPLETIONS = TrainingCompletion.objects.select_related("course", "staff", "staff__agency", "staff__team")
ENTRIES = WaitingListEntry.objects.select_related("staff", "staff__agency", "staff__team", "course", "place")
PAIRINGS = Buddy.objects.select_related("new_joiner", "new_joiner__agency", "new_joiner__team", "buddy")


def _to_officer(member: Staff) -> str:
    return reverse("workforce:training-officer", kwargs={"pk": member.pk})


def _listed(user: Staff) -> QuerySet[Staff]:
    """Whose training the page lists: the user, and the roles competence decides for, in the gate's scope."""
    roles = Q(pk=user.pk)
    for role in LISTED_ROLES:
        roles |= Q(roles__icontains=f'"{role.value}"')
    return gate.scoped(user, Staff.objects.filter(is_active=True).filter(roles)).select_related(*STAFF_RELATED)


# What the page shows of an officer, and what competence and the gate read of them (roles, rank, team, the
# agency's area): a page of officers reads these columns only.
OFFICER_SHOWN = (
    "first_name",
    "last_name",
    "username",
    "roles",
    "rank_or_grade",
    "team__name",
    "agency__area__kind",
    "agency__area__parent_id",
)


# --- The page's lists (web/lists.py): the officers, their waiting-list entries, the places offered -----------
# Competence is the rules' answer per officer, so the officers are paged by the database (name, team, rank) and
# competence is worked out for the page shown only; the filters narrow the officers and their entries alike.

PAGE_SIZE = lists.PAGE_SIZE
ROLE_CHOICES = (("", "All"), *((r.value, r.label) for r in LISTED_ROLES))
WAITING_STATUSES = (("", "All open"), *((s.value, s.label) for s in WaitingListEntry.OPEN))


def _by_team(path: str):
    return lambda queryset, value: queryset.filter(**{f"{path}team_id": int(value)}) if value else queryset


def _by_role(path: str):
    return lambda queryset, value: queryset.filter(**{f"{path}roles__icontains": f'"{value}"'}) if value else queryset


def _staff_filters(teams: list[tuple[int, str]], path: str = "") -> tuple[Filter, ...]:
    """Team (for those who read the area: its teams only, as (pk, name)) and role, on the staff at ``path``."""
    by_role = Filter("role", "Role", ROLE_CHOICES, _by_role(path))
    if not teams:
        return (by_role,)
    choices = (("", "Every team in the area"), *((str(pk), name) for pk, name in teams))
    return (Filter("team", "Team", choices, _by_team(path)), by_role)


def _officers_spec(teams: list[tuple[int, str]]) -> ListSpec:
    columns = (
        Column("officer", "Officer", ("last_name", "first_name")),
        *((Column("team", "Team", ("team__name", "last_name", "first_name")),) if teams else ()),
        Column("ranked", "Rank or grade", ("rank_or_grade", "last_name", "first_name")),
        Column("level-2-3", "May hold Level 2 and 3 nominals"),
        Column("arms", "May complete ARMS"),
        Column("chair", "May chair"),
        Column("buddy", "Buddy"),
    )
    return ListSpec(
        noun="officers", columns=columns, default_sort="officer", filters=_staff_filters(teams), page_size=PAGE_SIZE
    )


def _waiting_spec(teams: list[tuple[int, str]]) -> ListSpec:
    status = Filter(
        "waiting-status",
        "Waiting-list status",
        WAITING_STATUSES,
        lambda queryset, value: queryset.filter(status=value) if value else queryset,
    )
    return ListSpec(
        noun="waiting-list entries",
        columns=(
            Column("course", "Course", ("course__name", "joined_on")),
            Column("officer", "Officer", ("staff__last_name", "staff__first_name")),
            Column("since", "Waiting since", ("joined_on",)),
            Column("status", "Status", ("status", "joined_on")),
            Column("buddy", "Buddy"),
            Column("actions", "Actions"),
        ),
        default_sort="course",
        filters=(*_staff_filters(teams, "staff__"), status),
        prefix="waiting",
        page_size=PAGE_SIZE,
    )


def _places_spec() -> ListSpec:
    return ListSpec(
        noun="course runs",
        columns=(
            Column("course", "Course", ("course__name", "starts_on")),
            Column("offered-by", "Offered by", ("offered_by", "starts_on")),
            Column("starts", "Starts", ("starts_on",)),
            Column("places", "Places", ("places",), numeric=True, first=DESCENDING),
            Column("left", "Left", numeric=True),
            Column("actions", "Actions"),
        ),
        default_sort="starts",
        prefix="places",
        page_size=PAGE_SIZE,
    )


def _refresh_hint(staff: Staff) -> str:
    months = AreaSettings.for_area(staff.mappa_area_id).competence_settings().refresh_months
    if not months:
        return "this area has set none, so the course does not expire."
    return "; ".join(f"{COURSES[c]} {m} months" for c, m in months) + "; other courses do not expire."


def _day(d) -> str:
    return f"{d.day} {d:%B %Y}"


@login_required
def training(request):
    user = request.user
    ctx = gate.context_for(request)
    # Anyone with a role may see their own record; without one, there is nothing to show (404, audited).
    gate.check(ctx, Operation.VIEW, user)
    today = timezone.localdate()
    area_id = user.mappa_area_id
    reads_area = bool(set(user.roles or []) & {Role.MAPPA_COORDINATOR, Role.CHAIR})
    teams = (
        list(
            Team.objects.filter(Q(area_id=area_id) | Q(area__parent_id=area_id))
            .order_by("name")
            .values_list("pk", "name")
        )
        if reads_area
        else []
    )
    officers_spec, waiting_spec = _officers_spec(teams), _waiting_spec(teams)
    listed = _listed(user)
    page = lists.page_of(officers_spec, listed.only(*OFFICER_SHOWN), request.GET)
    waiting = lists.page_of(waiting_spec, services.listed_entries(listed), request.GET)
    places = lists.page_of(_places_spec(), services.places_to_come(area_id, today), request.GET)
    team = {f.key: f.value for f in page.filters}.get("team")
    shown = sorted({s.pk for s in page.rows} | {e.staff_id for e in waiting.rows})
    detail = {"page": "training", "team": int(team) if team else None, "list_page": page.number}
    gate.audit_list(ctx, Operation.VIEW, Staff, shown, detail)
    buddies = services.current_buddies(shown)  # the officers' and the waiting officers', read once
    officers = services.officer_training(user, page.rows, today, buddies)
    places_decision = services.may_manage_places(user, area_id)
    panel_filters = {f.key: f for f in (*officers_spec.filters, *waiting_spec.filters)}
    return render(
        request,
        "workforce/training/team.html",
        {
            "today": today,
            "officers": officers,
            "list": page,
            "filters": lists.filter_panel(tuple(panel_filters.values()), request.GET, "Filter the officers"),
            "expiring": [(row, course, day) for row in officers for course, day in row.expiring],
            "waiting": services.rows_of_entries(user, waiting.rows, today, buddies),
            "waiting_list": waiting,
            "places": [services.PlaceRow(p, p.taken) for p in places.rows],
            "places_list": places,
            "may_record_places": places_decision.allowed,
            "may_offer": user.has_role(Role.SUPERVISOR) and places_decision.allowed,
            "horizon": services.EXPIRY_HORIZON_DAYS,
            "team": user.team if user.has_role(Role.SUPERVISOR) else None,
            "reads_area": reads_area,
            "by_team": bool(teams),
        },
    )


@login_required
def officer(request, pk: int):
    member = pages.gated(request, STAFF, pk, Operation.VIEW, {"page": "training"})
    user = request.user
    today = timezone.localdate()
    row = services.officer_training(user, [member], today)[0]
    completions = services.completion_rows(member, today)
    entries = list(
        WaitingListEntry.objects.filter(staff=member).select_related("course", "place").order_by("-joined_on", "-pk")
    )
    pairings = list(Buddy.objects.filter(new_joiner=member).select_related("buddy").order_by("-started_on", "-pk"))
    visible = gate.scoped(user, Staff.objects.all())
    buddy_for = list(
        Buddy.objects.filter(buddy=member, ended_on=None, new_joiner__in=visible).select_related("new_joiner")
    )
    history = list(
        TrainingCompletion.history.filter(staff_id=member.pk)
        .select_related("course", "history_user")
        .order_by("-history_date", "-history_id")[:50]
    )
    return render(
        request,
        "workforce/training/officer.html",
        {
            "member": member,
            "row": row,
            "today": today,
            "horizon": services.EXPIRY_HORIZON_DAYS,
            "completions": completions,
            "entries": entries,
            "open_entries": services.waiting_rows(user, [member], today),
            "closed_entries": [e for e in entries if not e.is_open],
            "pairings": pairings,
            "buddy_for": buddy_for,
            "history": history,
            "may_record": row.may_record,
        },
    )


@login_required
def record_completion(request, pk: int):
    member = pages.gated(request, STAFF, pk, Operation.CHANGE)
    form = CompletionForm(pages.posted(request), refresh_hint=_refresh_hint(member))
    return pages.form_page(
        request,
        form,
        pages.submits(services.record_completion, member, fields=("course", "completed_on", "expires_on", "evidence")),
        done=lambda _: f"{form.cleaned_data['course'].name} completion recorded.",
        then=_to_officer(member),
        template="workforce/training/completion_form.html",
        shows={"member": member},
        page="record completion",
    )


@login_required
def correct_completion(request, pk: int):
    completion = pages.gated(request, COMPLETIONS, pk, Operation.CHANGE)
    member = completion.staff
    initial = {
        "course": completion.course,
        "completed_on": completion.completed_on,
        "expires_on": completion.expires_on,
        "evidence": completion.evidence,
    }
    return pages.form_page(
        request,
        CorrectionForm(pages.posted(request), initial=initial, refresh_hint=_refresh_hint(member)),
        pages.submits(
            services.correct_completion,
            completion,
            fields=("course", "completed_on", "expires_on", "evidence", "reason"),
        ),
        done="The completion has been corrected.",
        then=_to_officer(member),
        template="workforce/training/correction_form.html",
        context={"member": member},
        shows={"completion": completion},
        page="correct completion",
    )


@login_required
def remove_completion(request, pk: int):
    completion = pages.gated(request, COMPLETIONS, pk, Operation.CHANGE)
    return pages.form_page(
        request,
        RemovalForm(pages.posted(request)),
        pages.submits(services.remove_completion, completion, fields=("reason",)),
        done=f"The {completion.course.name} completion has been removed.",
        then=_to_officer(completion.staff),
        template="workforce/training/removal_form.html",
        context={"member": completion.staff},
        shows={"completion": completion},
        page="remove completion",
    )


@login_required
def join_waiting_list(request, pk: int):
    member = pages.gated(request, STAFF, pk, Operation.CHANGE)
    form = WaitingListForm(pages.posted(request))
    return pages.form_page(
        request,
        form,
        pages.submits(services.join_waiting_list, member, fields=("course", "joined_on", "note")),
        done=lambda _: f"Added to the waiting list for {form.cleaned_data['course'].name}.",
        then=_to_officer(member),
        template="workforce/training/waiting_form.html",
        shows={"member": member},
        page="join waiting list",
    )


def _user_area(user: Staff) -> Area | None:
    return Area.objects.filter(pk=user.mappa_area_id).first() if user.mappa_area_id else None


@login_required
def record_places(request):
    area = _user_area(request.user)
    services.check_places(gate.context_for(request), Operation.CREATE, area.pk if area else None)
    form = PlacesForm(pages.posted(request))
    return pages.form_page(
        request,
        form,
        pages.submits(services.record_places, fields=("course", "offered_by", "starts_on", "places"), area=area),
        done=lambda _: f"{form.cleaned_data['places']} places on {form.cleaned_data['course'].name} recorded.",
        then=reverse("workforce:training"),
        template="workforce/training/places_form.html",
        context={"area": area},
    )


@login_required
def offer_places(request, pk: int):
    place = get_object_or_404(CoursePlace.objects.select_related("course", "area"), pk=pk)
    user = request.user
    ctx = gate.context_for(request)
    services.check_places(ctx, Operation.CHANGE, place.area_id, place)
    # Only the entries the user may change (the supervisor's team): the gate decides each.
    waiting = (
        WaitingListEntry.objects.filter(
            course=place.course,
            status=WaitingListEntry.Status.WAITING,
            staff__in=gate.scoped(user, Staff.objects.all()),
        )
        .select_related("staff", "staff__agency", "staff__agency__area", "staff__team")
        .order_by("joined_on", "pk")
    )
    offerable = [
        e.pk
        for e in waiting
        if e.staff.mappa_area_id == place.area_id and gate.decide(user, Operation.CHANGE, e).allowed
    ]
    entries = waiting.filter(pk__in=offerable)
    if request.method == "GET":
        gate.audit_list(ctx, Operation.VIEW, Staff, [e.staff_id for e in entries], {"page": "offer places"})
    left = max(place.places - services.places_taken(place), 0)
    return pages.form_page(
        request,
        OfferForm(pages.posted(request), entries=entries, left=left),
        lambda ctx, form: services.offer_places(ctx, place, list(form.cleaned_data["entries"])),
        done=lambda offered: f"{len(offered)} place{'' if len(offered) == 1 else 's'} on {place.course.name} offered.",
        then=reverse("workforce:training"),
        template="workforce/training/offer_form.html",
        context={"place": place, "left": left, "any": offerable},
    )


@login_required
def update_entry(request, pk: int):
    entry = pages.gated(request, ENTRIES, pk, Operation.CHANGE)
    form = EntryUpdateForm(pages.posted(request), status=entry.status, initial={"version": entry.version})
    return pages.form_page(
        request,
        form if entry.is_open else None,
        pages.by_choice(
            "action",
            {
                "booked": pages.submits(services.mark_booked, entry, fields=("version",)),
                "declined": pages.submits(services.decline_offer, entry, fields=("version",)),
                "completed": pages.submits(
                    services.mark_completed, entry, fields=("completed_on", "expires_on", "evidence", "version")
                ),
                "withdrawn": pages.submits(services.withdraw, entry, fields=("reason", "version")),
            },
        ),
        done=f"The waiting-list entry for {entry.course.name} has been updated.",
        then=_to_officer(entry.staff),
        template="workforce/training/entry_form.html",
        context={"member": entry.staff},
        shows={"entry": entry},
        page="update waiting list entry",
    )


@login_required
def assign_buddy(request, pk: int):
    member = pages.gated(request, STAFF, pk, Operation.CHANGE)
    user = request.user
    ctx = gate.context_for(request)
    today = timezone.localdate()
    settings = services.settings_of(member)
    courses = " and ".join(COURSES[c].split(" (")[0] for c in sorted(settings.buddy_until_courses))
    finding = needs_buddy(completions_by_staff([member.pk]).get(member.pk, []), today, settings)
    current = Buddy.objects.filter(new_joiner=member, ended_on=None).select_related("buddy").first()
    candidates = list(
        gate.scoped(user, Staff.objects.filter(is_active=True).exclude(pk=member.pk)).select_related(*STAFF_RELATED)
    )
    trained = completions_by_staff(s.pk for s in candidates)
    eligible = [s.pk for s in candidates if not needs_buddy(trained.get(s.pk, []), today, settings).needs_buddy]
    buddies = Staff.objects.filter(pk__in=eligible).order_by("last_name", "first_name", "pk")
    if request.method == "GET":
        gate.audit_list(ctx, Operation.VIEW, Staff, eligible, {"page": "assign buddy"})
    return pages.form_page(
        request,
        BuddyForm(pages.posted(request), buddies=buddies, courses=courses),
        lambda ctx, form: services.assign_buddy(
            ctx, member, form.cleaned_data["buddy"], started_on=form.cleaned_data["started_on"]
        ),
        done="The buddy has been assigned.",
        then=_to_officer(member),
        template="workforce/training/buddy_form.html",
        context={"finding": finding, "current": current, "courses": courses},
        shows={"member": member},
        page="assign buddy",
    )


@login_required
def end_buddy(request, pk: int):
    pairing = pages.gated(request, PAIRINGS, pk, Operation.CHANGE)
    return pages.form_page(
        request,
        EndBuddyForm(pages.posted(request)) if pairing.ended_on is None else None,
        pages.submits(services.end_buddy, pairing, fields=("ended_on",)),
        done="The buddy pairing has ended.",
        then=_to_officer(pairing.new_joiner),
        template="workforce/training/end_buddy_form.html",
        context={"member": pairing.new_joiner},
        shows={"pairing": pairing},
        page="end buddy",
    )
