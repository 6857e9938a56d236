"""Outcomes: a MARAC referral (through the referrals app), a safeguarding referral, or no further action."""

import pytest
from django.core.exceptions import ValidationError

from safeguard.audit.models import AuditEvent
from safeguard.referrals.models import Referral
from safeguard.triage import services
from safeguard.triage.models import TriageCase


def _details(triage, **answers):
    answers.setdefault("criteria", ["professional_judgement"])
    answers.setdefault("professional_judgement_reason", "Third call-out this month; threats to kill.")
    answers.setdefault("victim_aware", True)
    answers.setdefault("victim_consents", True)
    answers.setdefault("perpetrators", [])
    return services.marac_details(triage.case, **answers)


def _fresh(triage) -> TriageCase:
    return TriageCase.objects.get(pk=triage.case.pk)


def test_a_marac_referral_is_made_submitted_and_linked(world, triage):
    case = triage.case
    details = _details(triage, perpetrators=[world.people.offender])
    referral = services.refer_to_marac(triage.ctx, case, forum=world.marac, details=details, expected_version=1)
    assert referral.kind == Referral.Kind.MARAC and referral.person == triage.victim
    assert referral.status == Referral.Status.SUBMITTED and referral.referred_by == world.users.marac
    assert list(referral.perpetrators.all()) == [world.people.offender]
    assert referral.incident_date == triage.day
    assert [c["date_of_birth"] for c in referral.children] == [triage.child.date_of_birth.isoformat()]
    assert _fresh(triage).marac_referral == referral
    assert AuditEvent.objects.filter(record_type="referrals.referral", record_id=referral.pk).exists()
    with pytest.raises(ValidationError, match="already recorded"):
        services.refer_to_marac(triage.ctx, _fresh(triage), forum=world.marac, details=details, expected_version=2)


def test_the_referrals_own_checks_reach_the_triage(world, triage):
    details = _details(triage, victim_aware=None)
    with pytest.raises(ValidationError) as err:
        services.refer_to_marac(triage.ctx, triage.case, forum=world.marac, details=details, expected_version=1)
    assert "victim_aware" in err.value.message_dict
    assert _fresh(triage).marac_referral is None and not Referral.objects.exists()


def test_a_marac_referral_needs_a_victim_and_a_marac_of_the_area(world, triage):
    case = _fresh(triage)
    with pytest.raises(ValidationError, match="MARAC of this area"):
        services.refer_to_marac(triage.ctx, case, forum=triage.forum, details=_details(triage), expected_version=1)
    case.victim = None
    with pytest.raises(ValidationError, match="no victim"):
        services.refer_to_marac(triage.ctx, case, forum=world.marac, details=_details(triage), expected_version=1)


def test_a_safeguarding_referral(triage, world):
    case = triage.case
    with pytest.raises(ValidationError) as err:
        services.refer_for_safeguarding(triage.ctx, case, agency=world.housing, note="x", expected_version=1)
    assert "children's services or adult social care" in err.value.message_dict["agency"][0]
    with pytest.raises(ValidationError) as err:
        services.refer_for_safeguarding(
            triage.ctx, _fresh(triage), agency=triage.childrens, note=" ", expected_version=1
        )
    assert "note" in err.value.message_dict
    services.refer_for_safeguarding(
        triage.ctx,
        _fresh(triage),
        agency=triage.childrens,
        note="Child present; to the front door.",
        expected_version=1,
    )
    case = _fresh(triage)
    assert case.safeguarding_referral_to == triage.childrens and case.version == 2


def test_no_further_action_needs_a_reason_and_excludes_referrals(triage, world):
    with pytest.raises(ValidationError) as err:
        services.record_no_further_action(triage.ctx, _fresh(triage), reason="no", expected_version=1)
    assert "reason" in err.value.message_dict
    services.record_no_further_action(
        triage.ctx, _fresh(triage), reason="Verbal argument only; both safe.", expected_version=1
    )
    with pytest.raises(ValidationError, match="No further action is recorded"):
        services.refer_for_safeguarding(
            triage.ctx, _fresh(triage), agency=triage.adults, note="Adult at risk.", expected_version=2
        )
    with pytest.raises(ValidationError, match="No further action is recorded"):
        services.refer_to_marac(
            triage.ctx, _fresh(triage), forum=world.marac, details=_details(triage), expected_version=2
        )


def test_no_further_action_after_a_referral_is_refused(triage):
    services.refer_for_safeguarding(
        triage.ctx, _fresh(triage), agency=triage.adults, note="Adult at risk: care needs.", expected_version=1
    )
    with pytest.raises(ValidationError, match="A referral is recorded"):
        services.record_no_further_action(
            triage.ctx, _fresh(triage), reason="Nothing more to do here.", expected_version=2
        )


def test_the_safety_plan(triage):
    with pytest.raises(ValidationError):
        services.record_safety_plan(triage.ctx, _fresh(triage), plan="  ", expected_version=1)
    services.record_safety_plan(triage.ctx, _fresh(triage), plan="Panic alarm; IDVA to call today.", expected_version=1)
    assert _fresh(triage).safety_plan == "Panic alarm; IDVA to call today."
