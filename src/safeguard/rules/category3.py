"""The Category 3 prompt (2022 joint inspection, Recommendation 14): consider a MAPPA Category 3 referral
for a high-risk domestic-abuse perpetrator who is not managed under MAPPA.

Sources:
- HMI Probation, HMICFRS and HMI Prisons, "Twenty years on, is MAPPA achieving
  its objectives?" (July 2022), Recommendation 14: referrals to MAPPA under
  Category 3 for high-risk domestic-abuse perpetrators are rarely made and
  should be considered [C].
- MAPPA Guidance: Category 3 is other dangerous offenders who need Level 2 or
  3 management; "the offender can only fall into one category" [C].
- Safeguard requirements (docs/requirements.md) set the triggers: a DA perpetrator with a high DASH
  against any victim in 12 months, a repeat MARAC, or a MATAC selection, and
  no MAPPA management.

Decisions Safeguard had to make (the sources give no thresholds):
- "In 12 months": within the 12 calendar months ending on the day of the scan
  (the day 12 months before counts, as a period beginning with it would not:
  Safeguard counts from ``add_months(today, -12)`` inclusive). The window is a
  setting (``window_months``) with the issue's 12 as its default.
- "High DASH": a DASH graded high (14+ yes, or professional judgement), as
  recorded with the assessment.
- "A repeat MARAC": a MARAC referral in the window flagged as a repeat, or two
  or more MARAC referrals naming the person as perpetrator in the window.
- "MATAC selection": an accepted or listed MATAC nomination still open.
- "No MAPPA management": no active nominal at Level 2 or 3, and no open MAPPA
  referral. A Level 1 nominal (for example a registered sex offender) is
  managed under MAPPA, but not at the level the inspection asks about; the
  prompt still rises and its reasons say the person is a Level 1 nominal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from safeguard.rules.dates import add_months
from safeguard.rules.working import Default, RuleInputError, Status, Step

SOURCE_REC14 = "2022 MAPPA joint inspection, Recommendation 14"
SOURCE_ISSUE = "Safeguard requirements, forums: the Category 3 prompt"
WINDOW_MONTHS = 12
REPEAT_REFERRALS = 2  # two MARAC referrals as perpetrator in the window is a repeat MARAC

DEFAULTS = (
    Default("window_months", WINDOW_MONTHS, SOURCE_ISSUE, Status.SAFEGUARD, "The issue's 12 months; no guidance."),
)


@dataclass(frozen=True)
class PerpetratorFacts:
    high_dash_dates: tuple[dt.date, ...] = ()
    marac_referral_dates: tuple[dt.date, ...] = ()
    repeat_marac_dates: tuple[dt.date, ...] = ()
    matac_selected: bool = False
    mappa_level: int | None = None  # the highest level of an active nominal, None when none
    open_mappa_referral: bool = False


@dataclass(frozen=True)
class Prompt:
    raise_prompt: bool
    triggers: tuple[str, ...]
    reasons: tuple[str, ...]
    working: tuple[Step, ...]


def _in_window(dates: Iterable[dt.date], start: dt.date, today: dt.date) -> list[dt.date]:
    return sorted(d for d in dates if start <= d <= today)


def category3_prompt(facts: PerpetratorFacts, today: dt.date, window_months: int = WINDOW_MONTHS) -> Prompt:
    if isinstance(window_months, bool) or not isinstance(window_months, int) or not 1 <= window_months <= 120:
        raise RuleInputError("window_months", "Enter the window as whole months from 1 to 120")
    start = add_months(today, -window_months)
    steps = [Step(f"Window: {start.isoformat()} to {today.isoformat()} ({window_months} months)", SOURCE_ISSUE)]
    triggers, reasons = [], []
    high = _in_window(facts.high_dash_dates, start, today)
    if high:
        triggers.append("high_dash")
        reasons.append(f"A DASH graded high on {high[-1].isoformat()} (in the last {window_months} months)")
    referrals = _in_window(facts.marac_referral_dates, start, today)
    repeats = _in_window(facts.repeat_marac_dates, start, today)
    if repeats or len(referrals) >= REPEAT_REFERRALS:
        triggers.append("repeat_marac")
        if repeats:
            reasons.append(f"A repeat MARAC referral on {repeats[-1].isoformat()}")
        else:
            reasons.append(f"{len(referrals)} MARAC referrals as perpetrator in the last {window_months} months")
    if facts.matac_selected:
        triggers.append("matac")
        reasons.append("Selected for MATAC")
    steps.append(
        Step(
            f"Triggers found: {', '.join(triggers) if triggers else 'none'} "
            f"({len(high)} high DASH, {len(referrals)} MARAC referrals, {len(repeats)} repeats in the window)",
            SOURCE_ISSUE,
        )
    )
    managed = facts.mappa_level in (2, 3) or facts.open_mappa_referral
    if facts.mappa_level in (2, 3):
        steps.append(Step(f"Managed under MAPPA at Level {facts.mappa_level}: no prompt", SOURCE_REC14))
    elif facts.open_mappa_referral:
        steps.append(Step("A MAPPA referral is already open: no prompt", SOURCE_REC14))
    elif facts.mappa_level == 1:
        steps.append(Step("A Level 1 nominal: not managed at Level 2 or 3", SOURCE_REC14))
        if triggers:
            reasons.append("Already a Level 1 nominal, not managed at Level 2 or 3")
    else:
        steps.append(Step("Not managed under MAPPA", SOURCE_REC14))
    raise_it = bool(triggers) and not managed
    steps.append(
        Step(
            "Consider a Category 3 referral" if raise_it else "No Category 3 prompt",
            SOURCE_REC14,
        )
    )
    return Prompt(raise_it, tuple(triggers), tuple(reasons) if raise_it else (), tuple(steps))
