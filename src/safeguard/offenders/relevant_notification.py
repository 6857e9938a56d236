"""The s.91B "relevant notification": the first notification after release from the custody the requirement follows.

The review of indefinite notification (SOA 2003 ss.91A-91F) can be asked for
from the day after the end of 15 years (8 if under 18 on the relevant date)
beginning with that notification. Safeguard never guesses it from the
earliest notification ever recorded: it finds, for the conviction that makes
the period indefinite, the first release after that conviction (a recorded
"release from custody" change, or the nominal's release date once it has
passed and the nominal is out), then the first notification (not foreign
travel) on or after that day. Where the record cannot tell, the answer is
"cannot be worked out: record the first notification after release", and the
daily run puts that on the offender manager's "my work" as a data task.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from safeguard.access.gate import AccessContext
from safeguard.actions.models import Prompt
from safeguard.actions.prompts import PromptFor, raise_prompts
from safeguard.audit.models import Operation
from safeguard.events.models import Notification
from safeguard.rules import notification

from . import due_dates
from .models import Nominal

CHUNK = 5_000


@dataclass(frozen=True)
class ReviewFacts:
    """What the s.91B rule needs from the record for one nominal."""

    indefinite_since: dt.date | None  # relevant date of the conviction that makes the period indefinite
    date_of_birth: dt.date | None
    released_on: dt.date | None  # first release after that conviction, where the record shows it
    relevant_notification: dt.date | None


def first_release_after(
    conviction_on: dt.date, release_events: list[dt.date], nominal_release: dt.date | None, out: bool, today: dt.date
) -> dt.date | None:
    """The first release on or after the conviction the record shows (a release change, or a past release date)."""
    candidates = [d for d in release_events if d >= conviction_on]
    if out and nominal_release is not None and conviction_on <= nominal_release <= today:
        candidates.append(nominal_release)
    return min(candidates, default=None)


def first_notification_on_or_after(day: dt.date | None, notified: list[dt.date]) -> dt.date | None:
    if day is None:
        return None
    return min((d for d in notified if d >= day), default=None)


def qualifying_date(facts: ReviewFacts, nominal: Nominal, shpo_in_force: bool = False) -> notification.QualifyingDate:
    """The rule on these facts, with the chief officer's determination and further date from the nominal."""
    under_18 = False
    steps: tuple = ()
    if facts.indefinite_since is not None and facts.date_of_birth is not None:
        under_18, steps = notification.under_18_on(facts.date_of_birth, facts.indefinite_since)
    answer = notification.indefinite_review_qualifying_date(
        facts.relevant_notification,
        under_18,
        last_refusal_on=nominal.review_refused_on,
        shpo_in_force=shpo_in_force,
        further_qualifying_date=nominal.further_qualifying_date,
        further_reason=nominal.further_qualifying_reason,
    )
    if facts.released_on is not None and facts.relevant_notification is not None:
        release = notification.Step(
            f"Released on {facts.released_on.isoformat()} from the custody the requirement follows; the first "
            f"notification after it was on {facts.relevant_notification.isoformat()}",
            notification.S91B,
        )
        steps = (*steps, release)
    return notification.QualifyingDate(
        answer.eligible, answer.qualifying_date, answer.further, answer.reason, (*steps, *answer.working), answer.known
    )


def review_facts(nominal_ids: list[int], today: dt.date) -> dict[int, ReviewFacts]:
    """The review facts of these nominals (those on indefinite notification), a few queries per chunk."""
    found: dict[int, ReviewFacts] = {}
    for start in range(0, len(nominal_ids), CHUNK):
        ids = nominal_ids[start : start + CHUNK]
        rows = list(Nominal.objects.filter(pk__in=ids).values(*due_dates.NOMINAL_COLUMNS))
        facts = due_dates._facts(rows, today)
        people = [row["person_id"] for row in rows]
        releases: dict[int, list[dt.date]] = defaultdict(list)
        notified: dict[int, list[dt.date]] = defaultdict(list)
        notices = Notification.objects.filter(person_id__in=people).exclude(kind=Notification.Kind.TRAVEL)
        for person_id, day, change, event_on in notices.values_list("person_id", "notified_on", "change", "event_on"):
            notified[person_id].append(day)
            if change == Notification.Change.RELEASE and event_on is not None:
                releases[person_id].append(event_on)
        for row, fact in zip(rows, facts, strict=True):
            person = row["person_id"]
            review = review_facts_of(row, fact, releases[person], notified[person], today)
            if review is not None:
                found[row["id"]] = review
    return found


def review_facts_of(
    row: dict, fact: due_dates.NominalFacts, releases: list[dt.date], notified: list[dt.date], today: dt.date
) -> ReviewFacts | None:
    """One nominal's review facts from its row, its facts and its person's notifications (not foreign travel):
    their days, and the days of the releases they record. None where the period is not indefinite."""
    period = due_dates._longest_period(fact)
    if period is None or not period.indefinite:
        return None
    out = row["location"] not in due_dates.DETAINED
    released = first_release_after(period.starts_on, releases, row["release_date"], out, today)
    return ReviewFacts(
        period.starts_on, fact.date_of_birth, released, first_notification_on_or_after(released, notified)
    )


def raise_data_tasks(today: dt.date, ctx: AccessContext | None = None) -> dict:
    """Ask each offender manager to record the first notification after release where the record cannot tell."""
    from safeguard.access import gate

    ctx = ctx or gate.system_context()
    nominals = Nominal.objects.filter(
        status=Nominal.Status.ACTIVE, registered_sex_offender=True, notification_indefinite=True
    ).exclude(offender_manager=None)
    owners = dict(nominals.values_list("pk", "offender_manager_id"))
    people = dict(nominals.values_list("pk", "person_id"))
    facts = review_facts(sorted(owners), today)
    wanted = [
        PromptFor(
            owners[pk],
            people[pk],
            (
                notification.CANNOT_WORK_OUT_RELEVANT,
                "The date a review of indefinite notification may be asked for (SOA 2003 s.91B) runs from it; "
                "record the release from custody and the notification that followed.",
            ),
            pk,
        )
        for pk, fact in sorted(facts.items())
        if fact.relevant_notification is None
    ]
    still_needed = {(w.assigned_to_id, w.person_id) for w in wanted}
    with transaction.atomic():
        raised, refreshed = raise_prompts(ctx, Prompt.Kind.RELEVANT_NOTIFICATION, wanted)
        closed = _close_done(ctx, still_needed, today)
    return {
        "relevant_notification_tasks_raised": raised,
        "relevant_notification_tasks_refreshed": refreshed,
        "relevant_notification_tasks_closed": closed,
    }


def _close_done(ctx: AccessContext, still_needed: set[tuple[int, int]], today: dt.date) -> int:
    """Close the open data tasks no longer needed (the notification recorded, or the period no longer indefinite)."""
    from safeguard.access import gate

    closed = 0
    open_tasks = Prompt.objects.filter(kind=Prompt.Kind.RELEVANT_NOTIFICATION, closed_on=None)
    for task in open_tasks.select_for_update():
        if (task.assigned_to_id, task.person_id) in still_needed:
            continue
        task.decision = Prompt.Decision.NOTED
        task.decision_rationale = "Closed by the daily run: the review qualifying date can now be worked out."
        task.closed_on = today
        task.save(update_fields=["decision", "decision_rationale", "closed_on"])
        gate.audit_allowed(ctx, Operation.CHANGE, task, "closed by the daily run", {"decision": task.decision})
        closed += 1
    return closed
