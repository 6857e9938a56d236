"""What the record says about a nominal's MAPPA category, eligibility and review of indefinite notification.

The rules are ``safeguard.rules.mappa.supported_category`` and
``safeguard.rules.notification.indefinite_review_qualifying_date``; this module
gathers the facts for one nominal. The category found is a finding for the
coordinator to compare with the category recorded, never a change to it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.events.models import Disposal
from safeguard.rules import mappa, notification
from safeguard.rules.working import RuleInputError

from . import relevant_notification
from .models import Nominal

HOSPITAL_ORDERS = frozenset({Disposal.HOSPITAL_ORDER, Disposal.HOSPITAL_ORDER_WITH_RESTRICTION})
INDETERMINATE = frozenset({Disposal.LIFE, Disposal.IPP})


def category_finding(nominal: Nominal, today: dt.date) -> mappa.CategoryFinding:
    convictions = tuple(
        mappa.ConvictionFacts(
            is_murder=c.offence.is_murder,
            schedule_15=c.cja_schedule_15,
            custody_months=c.term_months if c.is_custodial else None,
            hospital_order=c.disposal in HOSPITAL_ORDERS,
            licence_or_order_end=c.licence_or_order_end,
            relevant_date=c.relevant_date,
            indeterminate=c.disposal in INDETERMINATE,
        )
        for c in nominal.person.convictions.select_related("offence")
    )
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
    facts = relevant_notification.review_facts([nominal.pk], today).get(nominal.pk)
    if facts is None:
        return None
    try:
        return relevant_notification.qualifying_date(facts, nominal)
    except RuleInputError as exc:
        step = notification.Step(exc.message, notification.S91B)
        return notification.QualifyingDate(False, None, False, exc.message, (step,), known=False)
