"""Who may see and record an assessment (access.registry).

An assessment is read with its person. It is recorded by the area's recorders, and a DASH also by an IDVA
completing it with a person they may see (SafeLives: DASH is the IDVA's tool too).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguard.access.policy import Decision, roles_of
from safeguard.access.registry import Policy, register
from safeguard.people.policies import may_change_person, may_view_person, people_recorded_scope, people_scope
from safeguard.workforce.models import Role

from .models import Assessment

# Instruments an IDVA completes with the victim they support.
IDVA_INSTRUMENTS = frozenset({"dash", "dash-yp"})


def may_assess(user: Any, person: Any, instrument_code: str) -> Decision:
    """Record an assessment: an area recorder, or an IDVA completing a DASH with a person they may see."""
    recorder = may_change_person(user, person)
    if recorder:
        return recorder
    if Role.IDVA in roles_of(user) and instrument_code in IDVA_INSTRUMENTS and may_view_person(user, person):
        return Decision(True, "IDVA supporting the person")
    return Decision(False, "may not assess this person")


class AssessmentPolicy(Policy):
    def may_read(self, user: Any, record: Assessment) -> Decision:
        return may_view_person(user, record.person)

    def readable(self, user: Any) -> Q:
        return people_scope(user, "person")

    def may_change(self, user: Any, record: Assessment) -> Decision:
        return may_assess(user, record.person, record.instrument.code)

    def changeable(self, user: Any) -> Q:
        scope = people_recorded_scope(user, "person")
        if Role.IDVA in roles_of(user):
            scope |= Q(instrument__code__in=IDVA_INSTRUMENTS) & people_scope(user, "person")
        return scope


register({Assessment: AssessmentPolicy()})
