"""What followed a programme, a release or entry to the IOM cohort, as recorded in Safeguard (a pure rule).

Sources (docs/sources/interventions-and-release.md, domain notes): continuity of care [C], "adults leaving
prison with a substance misuse treatment need who start community treatment within 3 weeks of release"
(Public Health Outcomes Framework C20); accommodation [C], "housed on release" on the first night; the MoJ's
proven reoffending measure [C]: an offence committed in a 12-month follow-up period that leads to a conviction
or caution. No source says how a case-management system should count these from its own records: what counts
below is Safeguard's reading, recorded in docs/decisions.md.

- **Follow-up.** 12 calendar months (an area setting, ``PathwaySettings.follow_up_months``) from the day of
  completion or release: the day itself counts, the same date 12 months later does not (``rules.dates``'s
  month arithmetic: 29 February runs to 28 February). Only a person whose whole follow-up has passed by the
  day of the figures is counted: a half-run window would flatter the outcome.
- **A DA record.** A domestic abuse incident recorded in Safeguard with the person as suspect or perpetrator,
  occurring in the follow-up (its local date).
- **Proven reoffending.** A conviction or caution recorded in Safeguard for an offence committed in the
  follow-up (the offence date; the date of conviction or caution where no offence date is recorded, which can
  only count more). An incident, an arrest or a charge is not proven reoffending; a finding of not guilty by
  insanity is not counted. A conviction recorded later still counts once recorded.
- **Treatment take-up.** A substance misuse intervention started from the day of release to 21 days after it
  (the area's setting, the release checklist's own offset for the appointment). Safeguard records no assessed
  treatment need, so every release is in the count: the rate is a floor, not C20's rate.
- **The IOM cohort before and after.** For each entry whose 12 months after have passed: the DA records and
  proven offences (as above) in the 12 months before the day of entry and in the 12 months from it, counted
  whether or not the person has left the cohort since (leaving early is part of the outcome).

Every count is suppressed by ``rules.pathway_figures.suppress`` (the shared rule); no total is published beside
them, and a rate built on a suppressed count is not shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safeguard.rules.dates import add_months
from safeguard.rules.pathway_figures import Shown, rate, suppress
from safeguard.rules.working import Default, RuleInputError, Status

DEFAULTS = {
    "follow_up_months": Default(
        "follow_up_months", 12, "MoJ proven reoffending measure", Status.CONFIRMED, "months followed up"
    ),
    "take_up_days": Default(
        "take_up_days", 21, "PHOF C20, continuity of care", Status.CONFIRMED, "days after release to start treatment"
    ),
}


def _setting(settings: Mapping[str, int] | None, name: str) -> int:
    value = (settings or {}).get(name, DEFAULTS[name].value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleInputError(name, "Enter a whole number, 1 or more")
    return value


def window_end(start: dt.date, settings: Mapping[str, int] | None = None) -> dt.date:
    """The first day after the follow-up: the same date ``follow_up_months`` later."""
    return add_months(start, _setting(settings, "follow_up_months"))


def followed_up(start: dt.date, today: dt.date, settings: Mapping[str, int] | None = None) -> bool:
    """Whether the whole follow-up has passed by ``today`` (its last day is before today)."""
    return window_end(start, settings) <= today


def within(day: dt.date | None, start: dt.date, settings: Mapping[str, int] | None = None) -> bool:
    """A day in the follow-up: from ``start`` (counted) to the same date a follow-up later (not counted)."""
    return day is not None and start <= day < window_end(start, settings)


def took_up(released_on: dt.date, first_start: dt.date | None, settings: Mapping[str, int] | None = None) -> bool:
    """Treatment started from the day of release to ``take_up_days`` after it (both days counted)."""
    days = _setting(settings, "take_up_days")
    return first_start is not None and released_on <= first_start <= released_on + dt.timedelta(days=days)


def take_up_window_passed(released_on: dt.date, today: dt.date, settings: Mapping[str, int] | None = None) -> bool:
    return released_on + dt.timedelta(days=_setting(settings, "take_up_days")) < today


@dataclass(frozen=True)
class Followed:
    """One person's start (completion or release) and the first DA record and proven offence on or after it."""

    start: dt.date
    first_da: dt.date | None
    first_offence: dt.date | None


@dataclass(frozen=True)
class OutcomeFigures:
    label: str
    followed: Shown
    da: Shown
    reoffended: Shown
    da_rate: str
    reoffending_rate: str
    in_follow_up: Shown  # not yet followed up for the whole period: not counted above


def outcomes(
    label: str,
    rows: Iterable[Followed],
    today: dt.date,
    minimum: int | None = None,
    settings: Mapping[str, int] | None = None,
) -> OutcomeFigures:
    """How many of those whose follow-up has passed had a DA record, or proven reoffending, in it."""
    followed = da = reoffended = waiting = 0
    for row in rows:
        if not followed_up(row.start, today, settings):
            waiting += 1
            continue
        followed += 1
        da += within(row.first_da, row.start, settings)
        reoffended += within(row.first_offence, row.start, settings)
    return OutcomeFigures(
        label,
        suppress(followed, minimum),
        suppress(da, minimum),
        suppress(reoffended, minimum),
        rate(da, followed, minimum),
        rate(reoffended, followed, minimum),
        suppress(waiting, minimum),
    )


@dataclass(frozen=True)
class Released:
    """One release: its date, accommodation in place on the day, the first substance misuse start on or after
    it, and the first DA record and proven offence on or after it."""

    released_on: dt.date
    accommodation: bool
    first_treatment: dt.date | None
    first_da: dt.date | None
    first_offence: dt.date | None

    def followed(self) -> Followed:
        return Followed(self.released_on, self.first_da, self.first_offence)


@dataclass(frozen=True)
class ReleaseOutcomes:
    take_up_counted: Shown  # releases whose 3 weeks have passed
    took_up: Shown
    take_up_rate: str
    groups: list[OutcomeFigures]


def release_outcomes(
    rows: Iterable[Released],
    today: dt.date,
    minimum: int | None = None,
    settings: Mapping[str, int] | None = None,
) -> ReleaseOutcomes:
    """Treatment take-up within the days after release, and the follow-up of releases with and without
    accommodation on the day and with and without treatment taken up."""
    rows = list(rows)
    counted = [r for r in rows if take_up_window_passed(r.released_on, today, settings)]
    started = sum(took_up(r.released_on, r.first_treatment, settings) for r in counted)
    days = _setting(settings, "take_up_days")
    groups = {
        "Accommodation in place on the day": [r for r in rows if r.accommodation],
        "No accommodation in place on the day": [r for r in rows if not r.accommodation],
        f"Treatment started within {days} days of release": [
            r for r in rows if took_up(r.released_on, r.first_treatment, settings)
        ],
        f"Treatment not started within {days} days": [
            r for r in rows if not took_up(r.released_on, r.first_treatment, settings)
        ],
    }
    return ReleaseOutcomes(
        suppress(len(counted), minimum),
        suppress(started, minimum),
        rate(started, len(counted), minimum),
        [outcomes(label, (r.followed() for r in group), today, minimum, settings) for label, group in groups.items()],
    )


# --- The IOM cohort before and after ----------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One entry to the cohort, with the dates of the person's DA records and proven offences (any time)."""

    entered_on: dt.date
    da_dates: tuple[dt.date, ...]
    offence_dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class BeforeAfter:
    entries: Shown  # entries whose 12 months after have passed
    in_follow_up: Shown
    da_before: Shown
    da_after: Shown
    offences_before: Shown
    offences_after: Shown
    offending_before: Shown  # entries with any DA record or proven offence in the 12 months before
    offending_after: Shown


def before_after(
    entries: Iterable[Entry],
    today: dt.date,
    minimum: int | None = None,
    settings: Mapping[str, int] | None = None,
) -> BeforeAfter:
    """The cohort's DA records and proven offences in the 12 months before entry and the 12 months from it."""
    months = _setting(settings, "follow_up_months")
    counted = waiting = 0
    totals = dict.fromkeys(("da_before", "da_after", "offences_before", "offences_after"), 0)
    offending_before = offending_after = 0
    for entry in entries:
        if not followed_up(entry.entered_on, today, settings):
            waiting += 1
            continue
        counted += 1
        begins, ends = add_months(entry.entered_on, -months), window_end(entry.entered_on, settings)
        before = [d for d in (*entry.da_dates, *entry.offence_dates) if begins <= d < entry.entered_on]
        after = [d for d in (*entry.da_dates, *entry.offence_dates) if entry.entered_on <= d < ends]
        totals["da_before"] += sum(begins <= d < entry.entered_on for d in entry.da_dates)
        totals["da_after"] += sum(entry.entered_on <= d < ends for d in entry.da_dates)
        totals["offences_before"] += sum(begins <= d < entry.entered_on for d in entry.offence_dates)
        totals["offences_after"] += sum(entry.entered_on <= d < ends for d in entry.offence_dates)
        offending_before += bool(before)
        offending_after += bool(after)
    return BeforeAfter(
        entries=suppress(counted, minimum),
        in_follow_up=suppress(waiting, minimum),
        **{name: suppress(value, minimum) for name, value in totals.items()},
        offending_before=suppress(offending_before, minimum),
        offending_after=suppress(offending_after, minimum),
    )
