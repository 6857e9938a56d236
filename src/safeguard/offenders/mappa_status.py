"""What the record says about a nominal's MAPPA category, eligibility and review of indefinite notification.

The rules are ``safeguard.rules.mappa.supported_category`` and
``safeguard.rules.notification.indefinite_review_qualifying_date``; this module
gathers the facts for one nominal. The category found is a finding for the
coordinator to compare with the category recorded, never a change to it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.events.models import CUSTODIAL, Conviction, Disposal
from safeguard.rules import mappa, notification
from safeguard.rules.working import RuleInputError

from . import relevant_notification
from .models import Nominal

HOSPITAL_ORDERS = frozenset({Disposal.HOSPITAL_ORDER, Disposal.HOSPITAL_ORDER_WITH_RESTRICTION})
INDETERMINATE = frozenset({Disposal.LIFE, Disposal.IPP})


# What the category rule reads of each of the person's convictions (newest first, as the model orders them).
CONVICTION_COLUMNS = (
    "offence__is_murder",
    "cja_schedule_15",
    "term_months",
    "disposal",
    "licence_or_order_end",
    "relevant_date",
)


def conviction_facts(c: dict) -> mappa.ConvictionFacts:
    """One conviction read with (at least) ``CONVICTION_COLUMNS``, as the category rule takes it."""
    return mappa.ConvictionFacts(
        is_murder=c["offence__is_murder"],
        schedule_15=c["cja_schedule_15"],
        custody_months=c["term_months"] if c["disposal"] in CUSTODIAL else None,
        hospital_order=c["disposal"] in HOSPITAL_ORDERS,
        licence_or_order_end=c["licence_or_order_end"],
        relevant_date=c["relevant_date"],
        indeterminate=c["disposal"] in INDETERMINATE,
    )


def category_finding(nominal: Nominal, today: dt.date) -> mappa.CategoryFinding:
    rows = Conviction.objects.filter(person_id=nominal.person_id).values(*CONVICTION_COLUMNS)
    return category_from(nominal, tuple(conviction_facts(c) for c in rows), today)


def category_from(
    nominal: Nominal, convictions: tuple[mappa.ConvictionFacts, ...], today: dt.date
) -> mappa.CategoryFinding:
    """The category the rule finds on the nominal's notification and these convictions (pure)."""
    facts = mappa.MappaFacts(
        notification_end=nominal.notification_ends_on,
        notification_indefinite=nominal.notification_indefinite,
        on_register=nominal.registered_sex_offender,
        convictions=convictions,
    )
    return mappa.supported_category(facts, today)


def review_qualifying_date(nominal: Nominal, today: dt.date | None = None) -> notification.QualifyingDate | None:
    """For indefinite notification: when the person may first ask for a review (ss.91A-91F); None otherwise.

    The date runs from the relevant notification (``relevant_notification``), never the earliest notification
    recorded; where the record cannot show it the answer says so.
    """
    if not nominal.notification_indefinite:
        return None
    today = today or timezone.localdate()
    return qualifying_from(nominal, relevant_notification.review_facts([nominal.pk], today).get(nominal.pk))


def qualifying_from(
    nominal: Nominal, facts: relevant_notification.ReviewFacts | None
) -> notification.QualifyingDate | None:
    """The qualifying date on these review facts (None: the record shows no indefinite period)."""
    if not nominal.notification_indefinite or facts is None:
        return None
    try:
        return relevant_notification.qualifying_date(facts, nominal)
    except RuleInputError as exc:
        step = notification.Step(exc.message, notification.S91B)
        return notification.QualifyingDate(False, None, False, exc.message, (step,), known=False)
