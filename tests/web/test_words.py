"""Words a person reads: dates in GOV.UK style, labels for codes, the access log in words, first changes with their
values, calendar titles, and overdue tags that name their date."""

from __future__ import annotations

import datetime as dt
import re

from django.template import Context, Template
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from safeguard.audit.models import AuditEvent
from safeguard.meetings.services.minutes.invitations import meeting_title
from safeguard.offenders.access_log import access_rows
from safeguard.offenders.history import nominal_changes
from safeguard.web import dates
from safeguard.web.my_work import caseload_rows

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_a_date_in_words():
    assert dates.long_date(dt.date(2026, 12, 6)) == "6 December 2026"
    assert dates.long_date("2026-01-09") == "9 January 2026"
    assert dates.long_date(None) == ""


def test_a_time_in_words():
    assert dates.time_of_day(dt.time(14, 30)) == "2:30pm"
    assert dates.time_of_day(dt.time(9, 0)) == "9am"
    assert dates.time_of_day(dt.time(12, 0)) == "midday"
    assert dates.time_of_day(dt.time(0, 0)) == "midnight"
    moment = timezone.make_aware(dt.datetime(2026, 12, 6, 14, 30))
    assert dates.long_datetime(moment) == "6 December 2026 at 2:30pm"


def test_dates_in_a_working_become_words():
    text = "Due 2026-12-06: overdue; the window 2026-01-01 to 2026-06-30 (s.82); reference 2004/0012345D"
    assert dates.dates_in_words(text) == (
        "Due 6 December 2026: overdue; the window 1 January 2026 to 30 June 2026 (s.82); reference 2004/0012345D"
    )
    assert dates.dates_in_words("Seen 2026-12-06T14:30:00+00:00") == "Seen 6 December 2026 at 2:30pm"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), st.text(max_size=30))
def test_no_iso_date_survives_in_words(day, words):
    said = dates.dates_in_words(f"{words} {day.isoformat()} {words}")
    assert day.isoformat() not in said and dates.long_date(day) in said


def test_the_filters_are_built_in_to_every_template():
    page = Template(
        "{{ day|govuk_date }}|{{ moment|govuk_datetime }}|{{ text|dates_in_words }}|{{ cat|category_words }}"
    ).render(
        Context(
            {
                "day": dt.date(2026, 12, 6),
                "moment": timezone.make_aware(dt.datetime(2026, 12, 6, 9, 5)),
                "text": "due 2026-12-07 <b>",
                "cat": "tbd",
            }
        )
    )
    assert page == "6 December 2026|6 December 2026 at 9:05am|due 7 December 2026 &lt;b&gt;|Category to be determined"


def test_a_calendar_title_says_meeting_once():
    assert meeting_title("Northtown MARAC") == "Northtown MARAC meeting"
    assert meeting_title("Daily triage meeting") == "Daily triage meeting"


def test_the_access_log_in_names_and_words(world):
    nominal = world.nominals.mine
    event = AuditEvent(
        actor_id=world.users.om.pk,
        actor_username="om",
        operation="view",
        record_type="offenders.nominal",
        record_id=nominal.pk,
        purpose="offender_management",
        outcome="allowed",
        detail={"page": "history"},
    )
    refused = AuditEvent(
        actor_id=None, actor_username="gone", operation="change", purpose="supervision", outcome="refused", detail={}
    )
    row, other = access_rows([event, refused])
    assert row.who == "Olivia Mercer, Fictional Shire Police"
    assert row.what == "Looked at the record (the history page)"
    assert row.purpose == "Managing an offender (public protection)"
    assert (other.who, other.what, other.purpose, other.refused) == (
        "gone",
        "Tried to change it",
        "Supervising staff and caseloads",
        True,
    )


def test_a_nominals_first_change_shows_its_values(world):
    nominal = world.nominals.mine
    opened = nominal_changes(nominal)[-1]
    assert opened.kind == "Opened"
    values = {f.label: (f.old, f.new) for f in opened.fields}
    assert values["Management level"] == (None, nominal.get_management_level_display())
    assert values["Lead agency"] == (None, str(nominal.lead_agency))
    assert not any(ISO.search(new) for _, new in values.values())
    assert "Version" not in values


def test_overdue_tags_name_the_date(world):
    today = dt.date(2026, 12, 6)
    nominal = world.nominals.mine
    nominal.next_review_due = today - dt.timedelta(days=1)
    nominal.mappa_review_due = today - dt.timedelta(days=3)
    nominal.management_level = 2
    nominal.notification_due = today + dt.timedelta(days=20)
    nominal.notification_due_kind = "annual"
    (row,) = caseload_rows([nominal], today)
    assert row["overdue"] == ["Level review overdue", "Review overdue"]
    nominal.notification_due = today - dt.timedelta(days=5)
    (row,) = caseload_rows([nominal], today)
    assert row["overdue"][0] == "Notification overdue"
