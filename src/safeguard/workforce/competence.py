"""Competence from the training records: ``rules.competence`` applied to what the database holds.

Allocation (who may hold Level 2/3 nominals), the training pages, the caseload
page's training gaps and chair selection for meetings all read competence from
here, so they can never disagree. Nothing is stored: competence is worked out
on the day asked, from the completions and the area's settings.

For the forums (chair selection): :func:`eligible_chairs` (who may chair a
level, with their competence) and :func:`chair_refusal` (why someone may not);
for allocation: :func:`trained_for_level_2_3`. None of these go through the
gate themselves: a caller that shows names scopes and audits them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from safeguard.rules.competence import COURSES, LEVELS, POLICE_RANKS, Competence, Completion, competence
from safeguard.rules.working import RuleInputError

from .models import Agency, AreaSettings, Role, Staff, TrainingCompletion


def completions_by_staff(staff_ids: Iterable[int]) -> dict[int, list[Completion]]:
    """Every completion of these members of staff, as the rules take them (two queries): the training records,
    and attendance at CPD events that count as a completion of their course."""
    found: dict[int, list[Completion]] = defaultdict(list)
    ids = list(staff_ids)
    rows = TrainingCompletion.objects.filter(staff_id__in=ids).values_list(
        "staff_id", "course__code", "completed_on", "expires_on"
    )
    for staff_id, code, completed_on, expires_on in rows:
        found[staff_id].append(Completion(course=code, completed_on=completed_on, expires_on=expires_on))
    from safeguard.pathways.services.cpd import counted_completions  # CPD the area counts (pathways)

    for staff_id, completion in counted_completions(ids):
        found[staff_id].append(completion)
    return found


def competences(
    staff: Iterable[Staff],
    on: dt.date,
    completions: dict[int, list[Completion]] | None = None,
    settings_by_area: dict | None = None,
) -> dict[int, Competence]:
    """Competence of each member of staff on day ``on``, under their MAPPA area's settings (``completions``:
    theirs from ``completions_by_staff``, and ``settings_by_area``: each area's competence settings, when the
    caller has read them already; an area missing from it is read here)."""
    listed = list(staff)
    if completions is None:
        completions = completions_by_staff(s.pk for s in listed)
    settings_by_area = dict(settings_by_area or {})
    answers = {}
    for member in listed:
        area_id = member.mappa_area_id
        if area_id not in settings_by_area:
            settings_by_area[area_id] = AreaSettings.for_area(area_id).competence_settings()
        answers[member.pk] = competence(
            completions.get(member.pk, []), member.rank_or_grade or None, on, settings_by_area[area_id]
        )
    return answers


def competence_of(member: Staff, on: dt.date) -> Competence:
    return competences([member], on)[member.pk]


# Used by allocation and by the forums (chair selection) -------------------------------------------------------


def trained_for_level_2_3(staff_list: Iterable[Staff], on: dt.date) -> dict[int, bool]:
    """Whether each member of staff may hold Level 2 and 3 nominals on day ``on`` (Recommendation 18)."""
    return {pk: answer.may_hold_level_2_3 for pk, answer in competences(staff_list, on).items()}


@dataclass(frozen=True)
class ChairCandidate:
    """A member of staff who may chair a level's meetings, with the competence that says so (and its working)."""

    staff: Staff
    competence: Competence


def _check_level(level: int) -> int:
    if isinstance(level, bool) or level not in LEVELS:
        raise RuleInputError("level", "Choose a MAPPA level: 1, 2 or 3")
    return level


def chair_candidates(area_id: int) -> QuerySet[Staff]:
    """Who may be asked to chair in a MAPPA area: active staff of its Responsible Authority agencies holding
    the chair role (a lazy query).

    Safeguard's reading: the chair of a meeting acts in Safeguard as a chair, so holds the role; rank and
    training then decide which levels they may chair. Roles are a JSON list, matched as quoted text (as
    ``offenders.services.offender_managers_in`` does).
    """
    return (
        Staff.objects.filter(is_active=True, agency__kind__in=list(Agency.RESPONSIBLE_AUTHORITY))
        .filter(Q(agency__area_id=area_id) | Q(agency__area__parent_id=area_id))
        .filter(roles__icontains=f'"{Role.CHAIR.value}"')
        .select_related("agency", "agency__area")
    )


def eligible_chairs(
    area_id: int, level: int, on: dt.date, *, candidates: QuerySet[Staff] | None = None
) -> list[ChairCandidate]:
    """The staff who may chair ``level`` meetings of the area on day ``on``, each with their competence.

    ``candidates`` narrows the people considered (for example through ``gate.scoped``); by default
    :func:`chair_candidates`. Callers showing the names go through the gate and audit the list.
    """
    _check_level(level)
    people = list(
        (candidates if candidates is not None else chair_candidates(area_id)).order_by("last_name", "first_name", "pk")
    )
    answers = competences(people, on)
    return [ChairCandidate(p, answers[p.pk]) for p in people if level in answers[p.pk].may_chair_levels]


def chair_refusal(member: Staff, level: int, on: dt.date) -> str | None:
    """Why this member of staff may not chair ``level`` meetings on day ``on``, in plain words; None if they may.

    The reasons are the rules' own gaps (``rules.competence``): the chair courses that do not count, and the
    chair's rank for this level (or why no rank can be matched).
    """
    _check_level(level)
    if not member.is_active:
        return "Not an active member of staff, so may not chair."
    answer = competence_of(member, on)
    if level in answer.may_chair_levels:
        return None
    settings = AreaSettings.for_area(member.mappa_area_id).competence_settings()
    about_a_course = tuple(f"{name}:" for name in COURSES.values())
    course_gaps = [g for g in answer.gaps if g.startswith(tuple(f"{COURSES[c]}:" for c in settings.chair_courses))]
    minimum = POLICE_RANKS[settings.chair_min_rank(level)]
    rank_gaps = [g for g in answer.gaps if g.startswith("Chairing ") and f"needs {minimum} or above" in g]
    if answer.chair_rank is None:  # why no rank could be matched comes first
        rank_gaps = [g for g in answer.gaps if not g.startswith((*about_a_course, "Chairing "))] + rank_gaps
    reasons = [*course_gaps, *rank_gaps] or list(answer.gaps)
    return f"May not chair Level {level} meetings on {on.day} {on:%B %Y}: " + "; ".join(reasons) + "."
