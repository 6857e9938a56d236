"""CPD events and attendance; attendance at an event that counts is a completion of its course in competence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safeguard.access.gate import AccessRefused
from safeguard.pathways.services import cpd
from safeguard.workforce.competence import completions_by_staff
from safeguard.workforce.models import Course
from tests.helpers import ctx_for
from tests.pathways.records import records

pytestmark = pytest.mark.django_db


def test_attendance_counts_in_competence_only_where_the_event_says_so(world):
    r = records(world)
    users = world.users
    counted = completions_by_staff([users.chair.pk])[users.chair.pk]
    assert any(c.course == "mappa_chair" and c.completed_on == r.cpd.held_on for c in counted)
    event = cpd.record_event(
        ctx_for(users.coordinator),
        course=Course.objects.get(code="standing_panel_cpd"),
        title="The four pillars",
        audience="panel",
        held_on=timezone.localdate() - dt.timedelta(days=1),
        hours=Decimal("1.5"),
        delivered_by="Coordinators",
        counts_in_competence=False,
    )
    cpd.record_attendance(ctx_for(users.coordinator), event, staff=users.om)
    assert not any(c.course == "standing_panel_cpd" for c in completions_by_staff([users.om.pk])[users.om.pk])


def test_attendance_is_once_of_the_areas_staff_after_the_day(world):
    r = records(world)
    users = world.users
    with pytest.raises(ValidationError, match="already recorded"):
        cpd.record_attendance(ctx_for(users.coordinator), r.cpd, staff=users.chair)
    with pytest.raises(ValidationError, match="event's area"):
        cpd.record_attendance(ctx_for(users.coordinator), r.cpd, staff=users.away_om)
    with pytest.raises(AccessRefused):
        cpd.record_attendance(ctx_for(users.om), r.cpd, staff=users.om2)


def test_the_event_form_says_what_to_enter(world, sign_in):
    response = sign_in(world.users.coordinator).post(reverse("pathways:cpd-new"), {"hours": "two"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose the course the CPD continues." in page
    assert "Enter the length of the session in hours, like 2.5." in page
