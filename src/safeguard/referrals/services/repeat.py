"""Repeat MARAC referrals, found automatically when a referral is submitted.

The rule is ``safeguard.rules.marac``: a repeat is any instance of abuse
within the MARAC's repeat window of the last referral to MARAC
(``repeat_window_end``: the anniversary is inside, the day after is not), and
under the older crime-based definition only a further crime counts. A repeat
is re-referred whatever its score.

Safeguard's readings, where the guidance is silent (shown in the working):
- "The last referral to MARAC" is the victim's latest MARAC referral that was
  submitted, to any MARAC (victims move between areas), in any status but
  withdrawn (a declined referral was still a referral to MARAC; a withdrawn
  one was never made). Its date is the day it was submitted.
- The repeat is counted for the victim: SafeLives' data return counts repeat
  cases per victim. The domain note speaks of "the same victim and
  perpetrator(s)"; where the perpetrators named differ from the last
  referral's, the working says so for the coordinator to weigh.
- The instance of abuse is the incident behind the referral
  (``Referral.incident_date``); whether it was a crime comes from the records
  (``facts.incident_is_crime``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.rules import marac
from safeguard.rules.working import Step

from ..models import Referral
from . import facts

SOURCE = f"{marac.SOURCE}: repeat"


@dataclass(frozen=True)
class RepeatFinding:
    is_repeat: bool
    repeat_of: Referral | None
    working: tuple[Step, ...]


def find_repeat(referral: Referral, incident_is_crime: bool | None = None) -> RepeatFinding:
    """Whether a MARAC referral repeats the victim's last MARAC referral, under its forum's definition."""
    settings = referral.forum.marac_settings()
    incident_date = referral.incident_date or timezone.localdate()
    source = f"{SOURCE} ({settings.repeat_definition.replace('_', ' ')} definition, {referral.forum.name})"
    last = facts.last_marac_referral(referral.person, incident_date, exclude_pk=referral.pk)
    if last is None:
        return RepeatFinding(
            False, None, (Step("No earlier MARAC referral of this victim is recorded: not a repeat", source),)
        )
    last_on = timezone.localdate(last.submitted_at)
    end = marac.repeat_window_end(last_on, settings)
    steps = [
        Step(
            f"The last MARAC referral of this victim (referral {last.pk}, {last.forum.name}) was submitted on "
            f"{last_on.isoformat()}; the repeat window ends on {end.isoformat()} (the anniversary is inside it)",
            f"{source}; corresponding date rule (Dodds v Walker [1981])",
        )
    ]
    if incident_date > end:
        steps.append(Step(f"The incident on {incident_date.isoformat()} is after the window: a new referral", source))
        return RepeatFinding(False, None, tuple(steps))
    if settings.repeat_definition == marac.REPEAT_CRIME:
        crime = (
            incident_is_crime
            if incident_is_crime is not None
            else facts.incident_is_crime(
                referral.person, incident_date, referral.dash.incident if referral.dash else None
            )
        )
        if not crime:
            steps.append(
                Step(
                    f"The incident on {incident_date.isoformat()} is within the window but no crime is recorded "
                    "for it: not a repeat under this MARAC's crime-based definition",
                    source,
                )
            )
            return RepeatFinding(False, None, tuple(steps))
        steps.append(Step("The incident is recorded as a crime, as this MARAC's definition requires", source))
    steps.append(
        Step(
            f"The incident on {incident_date.isoformat()} is within the window: a repeat, re-referred "
            "whatever the score",
            source,
        )
    )
    if referral.pk and last.pk:
        before = set(last.perpetrators.values_list("pk", flat=True))
        now = set(referral.perpetrators.values_list("pk", flat=True))
        if before != now:
            steps.append(
                Step(
                    "The perpetrators named differ from the last referral's: the repeat is counted for the victim "
                    "(Safeguard's reading); the coordinator may weigh it",
                    "Safeguard's reading (the guidance is silent)",
                )
            )
    return RepeatFinding(True, last, tuple(steps))


def last_referral_date(person, on_or_before: dt.date) -> dt.date | None:
    """The date of the victim's last MARAC referral on or before a day (for the DASH's MARAC criteria)."""
    last = facts.last_marac_referral(person, on_or_before)
    return timezone.localdate(last.submitted_at) if last else None
