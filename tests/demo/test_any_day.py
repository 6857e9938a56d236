"""A small world made on a Sunday: its forums meet that day, and `generate_world --if-empty` on a later day says
the world's dates are relative to the day it was made (the browser tour runs the full steps on such days)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.utils import timezone

from safeguard.demo import world
from safeguard.meetings.models import Forum, Meeting

SUNDAY = dt.datetime(2026, 12, 13, 7, 45, tzinfo=ZoneInfo("Europe/London"))


def test_a_world_made_on_a_sunday_meets_that_day_and_says_so_later(db):
    with time_machine.travel(SUNDAY, tick=False):
        world.generate(seed=5, nominal_count=60, incident_count=150)
        today = timezone.localdate()
        assert today.weekday() == 6 and world.made_on() == today
        for forum in Forum.objects.all():
            assert Meeting.objects.filter(forum=forum, scheduled_for=today).exists(), forum.name
        out = StringIO()
        call_command("generate_world", "--if-empty", stdout=out)
        assert "no world generated" in out.getvalue() and "made on" not in out.getvalue()
    with time_machine.travel(SUNDAY + dt.timedelta(days=3), tick=False):
        out = StringIO()
        call_command("generate_world", "--if-empty", stdout=out)
        assert "The world was made on Sunday 13 December 2026" in out.getvalue()
