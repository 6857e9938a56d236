"""Every referrals page, as roles that may use it and roles that may not.

Referral pages follow access.policy: a referral is seen by its forum's
coordinators, its referrer and those who may see the person; it is made by
Responsible Authority and Duty-to-Co-operate staff who may see the person;
screening decisions are the forum's coordinator's. Each case builds what it
needs on the shared world (tests/referrals/builders.py), once per test.
"""

import datetime as dt

from django.utils import timezone

from safeguard.referrals.models import Referral
from tests.assessments.url_roles import dash_assessment
from tests.referrals import builders as b
from tests.url_matrix import RoleCase

EVERY_SIGNED_IN = ("om", "coordinator", "supervisor", "chair", "marac", "idva", "partner", "analyst", "admin", "norole")


def _once(world, name: str, make) -> Referral:
    """One referral per test, kept on the world so that the case's record check finds the same one after a move."""
    made = world.__dict__.setdefault("_referrals", {})
    if name not in made:
        made[name] = make()
    return Referral.objects.get(pk=made[name].pk)


def _submitted(world) -> Referral:
    return _once(world, "submitted", lambda: b.advance(world, b.mappa_referral(world), "submitted"))


def _draft(world) -> Referral:
    return _once(world, "draft", lambda: b.mappa_referral(world))


def _serial(world):
    """The other offender as a serial perpetrator (two victims this month), for the MATAC ranking."""
    if not world.people.other_offender.incident_roles.exists():
        today = timezone.localdate()
        for n, name in enumerate(("One", "Two"), start=1):
            victim = b.person(world, "Vic", name)
            b.incident(world, perpetrator=world.people.other_offender, victim=victim, on=today - dt.timedelta(days=n))
    return world.people.other_offender


def _mappa_post(world):
    b.forums(world)
    return {"mappa_category": "2", "level_sought": "2", "reason": "Threats.", "risk_summary": "High risk of harm."}


CASES = [
    RoleCase("referrals:list", allowed=EVERY_SIGNED_IN, refused=("inactive",), refused_status=(302,)),
    RoleCase(
        "referrals:referral",
        allowed=("om", "om2", "coordinator", "supervisor", "chair", "marac"),
        refused=("partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"pk": _submitted(w).pk},
        record=lambda w: ("referrals.referral", _submitted(w).pk),
    ),
    RoleCase(
        "referrals:move",
        label="screen",
        method="post",
        kwargs=lambda w: {"pk": _submitted(w).pk},
        data=lambda w: {"form": "screen", "screen-version": str(_submitted(w).version)},
        ok_status=(302,),
        allowed=("coordinator",),
        refused=("om", "om2", "chair", "marac", "partner", "analyst", "away_om"),
        record=lambda w: ("referrals.referral", _submitted(w).pk),
    ),
    RoleCase(
        "referrals:move",
        label="submit",
        method="post",
        kwargs=lambda w: {"pk": _draft(w).pk},
        data=lambda w: {"form": "submit", "submit-version": str(_draft(w).version)},
        ok_status=(302,),
        allowed=("om", "coordinator"),
        refused=("om2", "supervisor", "partner", "analyst", "away_om"),
        record=lambda w: ("referrals.referral", _draft(w).pk),
    ),
    RoleCase(
        "referrals:new-mappa",
        allowed=("om", "om2", "coordinator", "supervisor", "chair", "marac"),
        refused=("partner", "idva", "analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"person_pk": w.people.offender.pk},
    ),
    RoleCase(
        "referrals:new-mappa",
        label="post",
        method="post",
        kwargs=lambda w: {"person_pk": w.people.offender.pk},
        data=_mappa_post,
        ok_status=(302,),
        allowed=("om", "coordinator"),
        refused=("partner", "analyst", "away_om"),
    ),
    RoleCase(
        "referrals:new-marac",
        allowed=("om", "coordinator", "marac", "idva", "partner", "chair"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"person_pk": w.people.victim.pk},
    ),
    RoleCase(
        "referrals:new-marac-from-dash",
        allowed=("om", "marac", "idva", "partner"),
        refused=("analyst", "admin", "away_om", "norole"),
        kwargs=lambda w: {"assessment_pk": dash_assessment(w).pk},
    ),
    RoleCase(
        "referrals:new-matac",
        allowed=("om", "marac", "coordinator"),
        refused=("partner", "idva", "analyst", "away_om"),
        kwargs=lambda w: {"person_pk": w.people.other_offender.pk},
    ),
    RoleCase(
        "referrals:new-iom",
        allowed=("om", "coordinator", "supervisor"),
        refused=("partner", "idva", "analyst", "away_om"),
        kwargs=lambda w: {"person_pk": w.people.offender.pk},
    ),
    RoleCase(
        "referrals:matac-ranking",
        allowed=("marac",),
        refused=("coordinator", "om", "partner", "idva", "analyst", "admin", "away_om"),
        kwargs=lambda w: {"forum_pk": b.forums(w).matac.pk},
        record=lambda w: ("meetings.forum", b.forums(w).matac.pk),
    ),
    RoleCase(
        "referrals:matac-ranking",
        label="nominate",
        method="post",
        kwargs=lambda w: {"forum_pk": b.forums(w).matac.pk},
        data=lambda w: {"person": str(_serial(w).pk)},
        ok_status=(302,),
        allowed=("marac",),
        refused=("coordinator", "om", "partner", "analyst"),
    ),
]
