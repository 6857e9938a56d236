"""What the record says about a nominal's MAPPA category, eligibility and review of indefinite notification.

The rules are ``safeguard.rules.mappa.supported_category`` and
``safeguard.rules.notification.indefinite_review_qualifying_date``; this module
gathers the facts for one nominal. The category found is a finding for the
coordinator to compare with the category recorded, never a change to it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguard.events.models import Disposal, Notification
from safeguard.rules import mappa, notification

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


def review_qualifying_date(nominal: Nominal) -> notification.QualifyingDate | None:
    """For indefinite notification: when the person may first ask for a review (ss.91A-91F); None otherwise."""
    if not nominal.notification_indefinite:
        return None
    person = nominal.person
    notices = Notification.objects.filter(person=person).exclude(kind=Notification.Kind.TRAVEL)
    if nominal.release_date and nominal.release_date <= timezone.localdate():
        notices = notices.filter(notified_on__gte=nominal.release_date)
    first = notices.order_by("notified_on").values_list("notified_on", flat=True).first()
    latest = person.convictions.filter(soa_schedule_3=True).order_by("-relevant_date").first()
    if first is None or latest is None or person.date_of_birth is None:
        return None
    under_18 = person.age_on(latest.relevant_date) < 18
    return notification.indefinite_review_qualifying_date(first, under_18)
