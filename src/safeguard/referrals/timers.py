"""How long a referral has waited: days in its state, and against the forum's screening target where one is set.

The rule is ``safeguard.rules.referrals.screening_timer``. Safeguard's reading
(no guidance sets a screening time): the target is counted from submission,
for as long as the referral waits for a decision (submitted or in screening),
so that starting screening does not restart the clock; days in the state are
counted from entering it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguard.rules import referrals as rules

from .models import Referral

WAITING = (Referral.Status.SUBMITTED, Referral.Status.SCREENING)


@dataclass(frozen=True)
class ReferralTimer:
    days_in_state: int
    waiting_days: int | None  # since submission, while waiting for a decision
    target_days: int | None
    over_target: bool

    @property
    def summary(self) -> str:
        if self.waiting_days is None:
            return f"{self.days_in_state} days in this state"
        target = (
            "the forum sets no screening target"
            if self.target_days is None
            else f"target {self.target_days} days{': over it' if self.over_target else ''}"
        )
        return f"{self.waiting_days} days since submission ({target})"


def timer_for(referral: Referral, today: dt.date | None = None) -> ReferralTimer:
    today = today or timezone.localdate()
    since = min(timezone.localdate(referral.status_since), today)
    in_state = rules.screening_timer(referral.status, since, today, None).days_in_state
    if referral.status not in WAITING or referral.submitted_at is None:
        return ReferralTimer(in_state, None, referral.forum.screening_target_days, False)
    submitted = min(timezone.localdate(referral.submitted_at), today)
    waiting = rules.screening_timer(referral.status, submitted, today, referral.forum.screening_target_days)
    return ReferralTimer(in_state, waiting.days_in_state, waiting.target_days, waiting.over_target)
