"""The tour's relationship network and Right to Know prompt: the tour nominal has a former partner (before
their management) and a new intimate partner recorded today, through the same use case a user would use, so
the offender manager (and any coordinator of a forum holding the nominal) find "consider a Clare's Law Right
to Know disclosure" on their work, and the person page draws the network."""

from __future__ import annotations

import datetime as dt

from safeguard.access.gate import AccessContext
from safeguard.access.purposes import default_purpose
from safeguard.actions.models import Prompt
from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal
from safeguard.people import services
from safeguard.people.models import Person, Relationship


def build(tour_person_id: int | None, today: dt.date) -> int:
    """Returns the number of Right to Know prompts raised (0 where there is no tour nominal to manage)."""
    nominal = Nominal.objects.filter(person_id=tour_person_id, offender_manager__isnull=False).first()
    if nominal is None:
        return 0
    tour = Person.objects.get(pk=tour_person_id)
    officer = nominal.offender_manager
    ctx = AccessContext(user=officer, purpose=default_purpose(officer.roles))
    former = f.person(tour.area, "Demelza", "Testwood", dt.date(1986, 3, 12))
    partner = f.person(tour.area, "Rosalind", "Examplefield", dt.date(1991, 8, 23))
    services.add_relationship(
        ctx,
        Relationship(
            person=tour,
            other=former,
            kind="spouse_or_civil_partner",
            former=True,
            from_date=dt.date(2009, 6, 1),
            to_date=dt.date(2016, 2, 1),
            personal_connection="married_or_civil_partners",
        ),
    )
    services.add_relationship(
        ctx,
        Relationship(
            person=tour,
            other=partner,
            kind="intimate_partner",
            from_date=today - dt.timedelta(days=14),
            personal_connection="intimate_relationship",
        ),
    )
    return Prompt.objects.filter(kind=Prompt.Kind.RIGHT_TO_KNOW, person=tour).count()
