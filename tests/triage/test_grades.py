"""Grading: the first grade needs no reason, a regrade does; every change kept and audited; versions checked."""

import pytest
from django.core.exceptions import ValidationError

from safeguard.access.services import VersionConflict
from safeguard.audit.models import AuditEvent
from safeguard.triage import services
from safeguard.triage.models import GradeChange


def test_first_grade_needs_no_reason(triage):
    case = triage.case
    check = services.grade_case(triage.ctx, case, grade="amber", reason="", expected_version=case.version)
    assert check.target_hours == 24
    case.refresh_from_db()
    assert case.grade == "amber" and case.graded_by == triage.ctx.user and case.version == 2
    (change,) = GradeChange.objects.filter(case=case)
    assert (change.from_grade, change.to_grade, change.reason) == ("", "amber", "")
    assert AuditEvent.objects.filter(record_type="triage.gradechange", record_id=change.pk).exists()
    assert AuditEvent.objects.filter(
        record_type="triage.triagecase", record_id=case.pk, detail__to_grade="amber"
    ).exists()


def test_a_regrade_needs_a_reason_and_is_kept(triage):
    case = triage.case
    services.grade_case(triage.ctx, case, grade="amber", reason="", expected_version=case.version)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.grade_case(triage.ctx, case, grade="red", reason="  ", expected_version=case.version)
    assert "reason" in err.value.message_dict
    case.refresh_from_db()
    assert case.grade == "amber" and GradeChange.objects.filter(case=case).count() == 1
    reason = "Strangulation disclosed to the IDVA this morning."
    assert services.grade_case(triage.ctx, case, grade="red", reason=reason, expected_version=case.version)
    case.refresh_from_db()
    assert case.grade == "red" and case.grade_reason == reason
    history = [(c.from_grade, c.to_grade, c.reason) for c in GradeChange.objects.filter(case=case)]
    assert history == [("", "amber", ""), ("amber", "red", reason)]


def test_the_same_grade_again_is_not_a_regrade(triage):
    case = triage.case
    services.grade_case(triage.ctx, case, grade="green", reason="", expected_version=case.version)
    case.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        services.grade_case(triage.ctx, case, grade="green", reason="No change at all here.", expected_version=2)
    assert "already graded green" in err.value.message_dict["grade"][0]


def test_a_stale_version_is_refused(triage):
    case = triage.case
    services.grade_case(triage.ctx, case, grade="green", reason="", expected_version=case.version)
    case.refresh_from_db()
    with pytest.raises(VersionConflict):
        services.grade_case(triage.ctx, case, grade="red", reason="Seen by another officer first.", expected_version=1)
    assert GradeChange.objects.filter(case=case).count() == 1


def test_an_unknown_grade_is_refused(triage):
    with pytest.raises(ValidationError) as err:
        services.grade_case(triage.ctx, triage.case, grade="blue", reason="", expected_version=1)
    assert "grade" in err.value.message_dict
