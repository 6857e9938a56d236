"""The area's take-up and outcome figures (counts only, never a name): ``rules.pathway_figures`` over the
referrals and the release-day outcomes of the area's nominals, and ``rules.pathway_outcomes`` over what followed
(``services.outcomes``), each count suppressed with the area's small-number threshold (the one the PCC
dashboard and the annual tables use, ``OversightSettings``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from safeguard.oversight.models import OversightSettings
from safeguard.rules import pathway_figures as rule
from safeguard.rules import pathway_outcomes

from ..models import InterventionReferral, PathwayItem, PathwaySettings
from . import outcomes
from .outcomes import RELEASED, in_area


@dataclass(frozen=True)
class AreaFigures:
    on: dt.date
    minimum: int
    follow_up_months: int
    take_up_days: int
    programmes: list[rule.ProgrammeFigures]
    release: rule.ReleaseFigures
    programme_outcomes: list[pathway_outcomes.OutcomeFigures]
    release_outcomes: pathway_outcomes.ReleaseOutcomes
    iom: pathway_outcomes.BeforeAfter


def area_figures(area_id: int, today: dt.date | None = None) -> AreaFigures:
    """Every figure, for a MAPPA area (no access check and no audit: the callers do both)."""
    today = today or timezone.localdate()
    minimum = OversightSettings.for_area(area_id).small_number_threshold
    settings = PathwaySettings.for_area(area_id).outcome_settings()
    referrals = InterventionReferral.objects.filter(in_area(area_id, "nominal__")).values_list(
        "programme__name", "programme__provider", "status"
    )
    items = PathwayItem.objects.filter(in_area(area_id, "plan__nominal__"), plan__outcome__in=RELEASED).values_list(
        "plan_id", "pathway", "in_place_on_day"
    )
    by_plan: dict[int, dict[str, bool | None]] = defaultdict(dict)
    for plan_id, pathway, in_place in items:
        by_plan[plan_id][pathway] = in_place
    return AreaFigures(
        on=today,
        minimum=minimum,
        follow_up_months=settings["follow_up_months"],
        take_up_days=settings["take_up_days"],
        programmes=rule.programme_figures(referrals, minimum),
        release=rule.release_figures(by_plan.values(), minimum),
        programme_outcomes=outcomes.programme_outcomes(area_id, today, minimum, settings),
        release_outcomes=outcomes.release_outcomes(area_id, today, minimum, settings),
        iom=outcomes.iom_before_after(area_id, today, minimum, settings),
    )


def note(f: AreaFigures) -> str:
    return (
        f"Programme, release and IOM figures count offenders: a count from 1 to {f.minimum - 1} is shown as "
        f"'fewer than {f.minimum}', and a rate built on one is not shown."
    )


def _cell(shown: rule.Shown):
    return shown.value if shown.value is not None else shown.text


def tables(f: AreaFigures) -> list[tuple[str, list[str], list[list]]]:
    """The figures as titled tables (title, headers, rows), for the monthly pack's and the dashboard's files."""
    months = f"{f.follow_up_months} months"
    outcome_headers = [
        "Group",
        f"Followed up {months}",
        "With a DA record",
        "DA record rate",
        "With proven reoffending",
        "Proven reoffending rate",
        "Still in follow-up",
    ]

    def outcome_row(o: pathway_outcomes.OutcomeFigures) -> list:
        return [
            o.label,
            _cell(o.followed),
            _cell(o.da),
            o.da_rate,
            _cell(o.reoffended),
            o.reoffending_rate,
            _cell(o.in_follow_up),
        ]

    r, t, i = f.release, f.release_outcomes, f.iom
    return [
        (
            "Programme take-up by provider",
            ["Programme (provider)", "Referred", "Started", "Completed", "Dropped out", "Refused"]
            + ["Referral to start", "Completion", "Drop-out"],
            [
                [
                    f"{p.programme} ({p.provider})",
                    *(_cell(c) for c in (p.referred, p.started, p.completed)),
                    _cell(p.dropped_out),
                ]
                + [_cell(p.refused), p.start_rate, p.completion_rate, p.drop_out_rate]
                for p in f.programmes
            ],
        ),
        (
            "Release and treatment take-up",
            ["Measure", "Count", "Rate"],
            [
                ["Releases with an outcome recorded", _cell(r.released), ""],
                ["Accommodation in place on the day", _cell(r.accommodation), r.accommodation_rate],
                ["Substance misuse appointment in place on the day", _cell(r.treatment), r.treatment_rate],
                [f"Releases at least {f.take_up_days} days ago", _cell(t.take_up_counted), ""],
                [f"Treatment started within {f.take_up_days} days of release", _cell(t.took_up), t.take_up_rate],
            ],
        ),
        (
            f"Outcomes after programmes (the {months} after completing or dropping out)",
            outcome_headers,
            [outcome_row(o) for o in f.programme_outcomes],
        ),
        (f"Outcomes after release (the {months} after release)", outcome_headers, [outcome_row(o) for o in t.groups]),
        (
            f"IOM cohort offending (the {months} before and after entry)",
            ["Measure", f"{months} before entry", f"{months} from entry"],
            [
                [f"Entries followed up {months}", _cell(i.entries), ""],
                ["DA records as suspect or perpetrator", _cell(i.da_before), _cell(i.da_after)],
                ["Proven offences (conviction or caution)", _cell(i.offences_before), _cell(i.offences_after)],
                ["Entries with any of these", _cell(i.offending_before), _cell(i.offending_after)],
                ["Entries still in follow-up", _cell(i.in_follow_up), ""],
            ],
        ),
    ]
