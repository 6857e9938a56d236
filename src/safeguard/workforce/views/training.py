"""Training and competence pages (issue 5, section 1).

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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.rules.competence import COURSES, needs_buddy

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


def _staff(pk: int) -> Staff:
    return get_object_or_404(Staff.objects.select_related(*STAFF_RELATED), pk=pk)


def _listed(user: Staff, team_id: int | None) -> list[Staff]:
    roles = Q(pk=user.pk)
    for role in LISTED_ROLES:
        roles |= Q(roles__icontains=f'"{role.value}"')
    queryset = Staff.objects.filter(is_active=True).filter(roles).select_related(*STAFF_RELATED)
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return list(gate.scoped(user, queryset).order_by("last_name", "first_name", "pk"))


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
        list(Team.objects.filter(Q(area_id=area_id) | Q(area__parent_id=area_id)).order_by("name"))
        if reads_area
        else []
    )
    team_id = None
    if reads_area and request.GET.get("team", "").isdigit():
        team_id = next((t.pk for t in teams if t.pk == int(request.GET["team"])), None)
    staff = _listed(user, team_id)
    gate.audit_list(ctx, Operation.VIEW, Staff, [s.pk for s in staff], {"page": "training", "team": team_id})
    officers = services.officer_training(user, staff, today)
    places_decision = services.may_manage_places(user, area_id)
    return render(
        request,
        "workforce/training/team.html",
        {
            "today": today,
            "officers": officers,
            "expiring": [(row, course, day) for row in officers for course, day in row.expiring],
            "waiting": services.waiting_rows(user, staff, today),
            "places": services.place_rows(area_id, today) if area_id else [],
            "may_record_places": places_decision.allowed,
            "may_offer": user.has_role(Role.SUPERVISOR) and places_decision.allowed,
            "horizon": services.EXPIRY_HORIZON_DAYS,
            "teams": teams,
            "team_id": team_id,
            "team": user.team if user.has_role(Role.SUPERVISOR) else None,
            "reads_area": reads_area,
        },
    )


@login_required
def officer(request, pk: int):
    member = _staff(pk)
    user = request.user
    ctx = gate.context_for(request)
    gate.authorise(ctx, Operation.VIEW, member, {"page": "training"})
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


def _change_page(request, record, page: str) -> gate.AccessContext:
    """A form changing a staff member's records: only those who may change it see the form (audited view)."""
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, record)
    if request.method == "GET":
        gate.authorise(ctx, Operation.VIEW, record, {"page": page})
    return ctx


def _post(request):
    return request.POST if request.method == "POST" else None


@login_required
def record_completion(request, pk: int):
    member = _staff(pk)
    ctx = _change_page(request, member, "record completion")
    form = CompletionForm(_post(request), refresh_hint=_refresh_hint(member))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_completion(
                ctx,
                member,
                course=data["course"],
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{data['course'].name} completion recorded.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(request, "workforce/training/completion_form.html", {"member": member, "form": form})


def _completion(pk: int) -> TrainingCompletion:
    return get_object_or_404(
        TrainingCompletion.objects.select_related("course", "staff", "staff__agency", "staff__team"), pk=pk
    )


@login_required
def correct_completion(request, pk: int):
    completion = _completion(pk)
    member = completion.staff
    ctx = _change_page(request, completion, "correct completion")
    initial = {
        "course": completion.course,
        "completed_on": completion.completed_on,
        "expires_on": completion.expires_on,
        "evidence": completion.evidence,
    }
    form = CorrectionForm(_post(request), initial=initial, refresh_hint=_refresh_hint(member))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_completion(
                ctx,
                completion,
                course=data["course"],
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
                evidence=data["evidence"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The completion has been corrected.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(
        request,
        "workforce/training/correction_form.html",
        {"member": member, "completion": completion, "form": form},
    )


@login_required
def remove_completion(request, pk: int):
    completion = _completion(pk)
    member = completion.staff
    ctx = _change_page(request, completion, "remove completion")
    form = RemovalForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_completion(ctx, completion, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The {completion.course.name} completion has been removed.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(
        request, "workforce/training/removal_form.html", {"member": member, "completion": completion, "form": form}
    )


@login_required
def join_waiting_list(request, pk: int):
    member = _staff(pk)
    ctx = _change_page(request, member, "join waiting list")
    form = WaitingListForm(_post(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.join_waiting_list(
                ctx, member, course=data["course"], joined_on=data["joined_on"], note=data["note"]
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"Added to the waiting list for {data['course'].name}.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(request, "workforce/training/waiting_form.html", {"member": member, "form": form})


def _user_area(user: Staff) -> Area | None:
    return Area.objects.filter(pk=user.mappa_area_id).first() if user.mappa_area_id else None


@login_required
def record_places(request):
    ctx = gate.context_for(request)
    area = _user_area(request.user)
    services.check_places(ctx, Operation.CREATE, area.pk if area else None)
    form = PlacesForm(_post(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_places(
                ctx,
                course=data["course"],
                offered_by=data["offered_by"],
                starts_on=data["starts_on"],
                places=data["places"],
                area=area,
            )
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"{data['places']} places on {data['course'].name} recorded.")
            return redirect("workforce:training")
    return render(request, "workforce/training/places_form.html", {"form": form, "area": area})


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
    form = OfferForm(_post(request), entries=entries, left=left)
    if request.method == "POST" and form.is_valid():
        try:
            offered = services.offer_places(ctx, place, list(form.cleaned_data["entries"]))
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            count = len(offered)
            messages.success(request, f"{count} place{'' if count == 1 else 's'} on {place.course.name} offered.")
            return redirect("workforce:training")
    return render(
        request, "workforce/training/offer_form.html", {"place": place, "form": form, "left": left, "any": offerable}
    )


@login_required
def update_entry(request, pk: int):
    entry = get_object_or_404(
        WaitingListEntry.objects.select_related("staff", "staff__agency", "staff__team", "course", "place"), pk=pk
    )
    member = entry.staff
    ctx = _change_page(request, entry, "update waiting list entry")
    form = EntryUpdateForm(_post(request), status=entry.status, initial={"version": entry.version})
    if not entry.is_open:
        form = None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action, version = data["action"], data["version"]
        try:
            if action == "booked":
                services.mark_booked(ctx, entry, expected_version=version)
            elif action == "declined":
                services.decline_offer(ctx, entry, expected_version=version)
            elif action == "completed":
                services.mark_completed(
                    ctx,
                    entry,
                    completed_on=data["completed_on"],
                    expires_on=data["expires_on"],
                    evidence=data["evidence"],
                    expected_version=version,
                )
            else:
                services.withdraw(ctx, entry, reason=data["reason"], expected_version=version)
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, f"The waiting-list entry for {entry.course.name} has been updated.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(request, "workforce/training/entry_form.html", {"member": member, "entry": entry, "form": form})


@login_required
def assign_buddy(request, pk: int):
    member = _staff(pk)
    user = request.user
    ctx = _change_page(request, member, "assign buddy")
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
    form = BuddyForm(_post(request), buddies=buddies, courses=courses)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_buddy(ctx, member, form.cleaned_data["buddy"], started_on=form.cleaned_data["started_on"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The buddy has been assigned.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(
        request,
        "workforce/training/buddy_form.html",
        {"member": member, "form": form, "finding": finding, "current": current, "courses": courses},
    )


@login_required
def end_buddy(request, pk: int):
    pairing = get_object_or_404(
        Buddy.objects.select_related("new_joiner", "new_joiner__agency", "new_joiner__team", "buddy"), pk=pk
    )
    member = pairing.new_joiner
    ctx = _change_page(request, pairing, "end buddy")
    form = EndBuddyForm(_post(request)) if pairing.ended_on is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.end_buddy(ctx, pairing, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as exc:
            form.apply_model_errors(exc)
        else:
            messages.success(request, "The buddy pairing has ended.")
            return redirect("workforce:training-officer", pk=member.pk)
    return render(
        request, "workforce/training/end_buddy_form.html", {"member": member, "pairing": pairing, "form": form}
    )


urlpatterns = [
    path("training/", training, name="training"),
    path("training/officers/<int:pk>/", officer, name="training-officer"),
    path("training/officers/<int:pk>/completions/new/", record_completion, name="training-record"),
    path("training/officers/<int:pk>/waiting-list/new/", join_waiting_list, name="training-wait"),
    path("training/officers/<int:pk>/buddy/new/", assign_buddy, name="training-buddy"),
    path("training/completions/<int:pk>/change/", correct_completion, name="training-correct"),
    path("training/completions/<int:pk>/remove/", remove_completion, name="training-remove"),
    path("training/waiting-list/<int:pk>/", update_entry, name="training-entry"),
    path("training/places/new/", record_places, name="training-places"),
    path("training/places/<int:pk>/offer/", offer_places, name="training-offer"),
    path("training/buddies/<int:pk>/end/", end_buddy, name="training-buddy-end"),
]
