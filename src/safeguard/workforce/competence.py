"""Competence from the training records: ``rules.competence`` applied to what the database holds.

Allocation (who may hold Level 2/3 nominals), the training pages, the caseload
page's training gaps and chair selection for meetings all read competence from
here, so they can never disagree. Nothing is stored: competence is worked out
on the day asked, from the completions and the area's settings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from safeguard.rules.competence import Competence, Completion, competence

from .models import AreaSettings, Staff, TrainingCompletion


def completions_by_staff(staff_ids: Iterable[int]) -> dict[int, list[Completion]]:
    """Every completion of these members of staff, as the rules take them (one query)."""
    found: dict[int, list[Completion]] = defaultdict(list)
    rows = TrainingCompletion.objects.filter(staff_id__in=list(staff_ids)).values_list(
        "staff_id", "course__code", "completed_on", "expires_on"
    )
    for staff_id, code, completed_on, expires_on in rows:
        found[staff_id].append(Completion(course=code, completed_on=completed_on, expires_on=expires_on))
    return found


def competences(staff: Iterable[Staff], on: dt.date) -> dict[int, Competence]:
    """Competence of each member of staff on day ``on``, under their MAPPA area's settings."""
    listed = list(staff)
    completions = completions_by_staff(s.pk for s in listed)
    settings_by_area: dict[int | None, object] = {}
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
