"""The meeting quality audit (old MAPPA L): scoring a held meeting 4 to 1 on each item, and a forum's audits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safeguard.access.gate import AccessRefused
from safeguard.access.services import VersionConflict
from safeguard.audit.models import AuditEvent
from safeguard.meetings.services import minutes
from safeguard.rules import meeting_audit
from tests.conftest import verified_client
from tests.meetings import minutes_fixtures as mf


@pytest.fixture
def records(world):
    return mf.minutes_records(world)


def scores(**changes) -> dict:
    given = dict.fromkeys(meeting_audit.ITEMS, 4)
    given.update(changes)
    return given


def test_an_audit_is_stored_with_who_audited_and_scored_by_the_rule(world, records):
    meeting = records.held.meeting
    result = minutes.record_quality_audit(
        mf.ctx_for(world.users.coordinator),
        meeting,
        scores=scores(dissent_recorded=2, rosh_summarised=2, papers_circulated=3),
        expected_version=meeting.version,
    )
    meeting.refresh_from_db()
    assert meeting.quality_scores["dissent_recorded"] == 2 and meeting.quality_audited_by == world.users.coordinator
    assert result.total == 4 * 4 + 3 + 2 + 2 and result.mean == Decimal("3.3")
    assert result.lowest == ("dissent_recorded", "rosh_summarised")
    event = AuditEvent.objects.filter(record_type="meetings.meeting", record_id=meeting.pk).latest("at", "id")
    assert event.detail["quality_audit"]["dissent_recorded"] == 2 and event.detail["mean"] == "3.3"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (scores(papers_circulated=5), "papers_circulated"),
        (scores(started_on_time=0), "started_on_time"),
        (scores(purpose_stated=True), "purpose_stated"),
        ({k: 4 for k in list(meeting_audit.ITEMS)[1:]}, "papers_circulated"),
        (scores(chair_was_nice=4), "__all__"),
    ],
)
def test_every_item_is_scored_4_to_1(world, records, given, field):
    meeting = records.held.meeting
    with pytest.raises(ValidationError) as error:
        minutes.record_quality_audit(
            mf.ctx_for(world.users.chair), meeting, scores=given, expected_version=meeting.version
        )
    assert field in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.quality_scores == {}


def test_only_a_held_meeting_is_audited_and_a_stale_form_is_refused(world, records):
    upcoming = records.upcoming
    with pytest.raises(ValidationError, match="audit it once it has been held"):
        minutes.record_quality_audit(
            mf.ctx_for(world.users.coordinator), upcoming, scores=scores(), expected_version=upcoming.version
        )
    held = records.held.meeting
    with pytest.raises(VersionConflict):
        minutes.record_quality_audit(
            mf.ctx_for(world.users.coordinator), held, scores=scores(), expected_version=held.version - 1
        )


@pytest.mark.parametrize("who", ["om", "partner", "supervisor", "analyst"])
def test_only_the_coordinator_or_the_chair_audits(world, records, who):
    held = records.held.meeting
    with pytest.raises(AccessRefused):
        minutes.record_quality_audit(
            mf.ctx_for(getattr(world.users, who)), held, scores=scores(), expected_version=held.version
        )


def test_the_audit_form_names_each_item_missing(world, records, client):
    held = records.held.meeting
    verified_client(client, world.users.chair)
    url = reverse("meetings:quality-audit", kwargs={"pk": held.pk})
    data = {"version": held.version, **{k: "4" for k in meeting_audit.ITEMS}}
    del data["victim_and_diversity"]
    data["rosh_summarised"] = "9"
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page
    assert "Score \u201cVictim and diversity issues addressed\u201d from 4 (Excellent) to 1 (Poor)" in page
    assert 'href="#id_victim_and_diversity_0"' in page and 'href="#id_rosh_summarised_0"' in page
    data["victim_and_diversity"] = "1"
    data["rosh_summarised"] = "3"
    done = client.post(url, data)
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "The meeting quality audit has been saved." in page
    assert "24 of 28" in page and "3.4" in page and "Victim and diversity issues addressed" in page


def test_a_forum_lists_its_audited_meetings_with_their_means(world, records, client):
    coordinator = mf.ctx_for(world.users.coordinator)
    held, issued = records.held.meeting, records.issued.meeting
    minutes.record_quality_audit(coordinator, held, scores=scores(started_on_time=1), expected_version=held.version)
    minutes.record_quality_audit(coordinator, issued, scores=scores(started_on_time=2), expected_version=issued.version)
    page = minutes.forum_quality(coordinator, records.forum)
    assert [a.meeting for a in page.meetings] == [held, issued]  # newest first
    means = {row.label: row.mean for row in page.item_means}
    assert means["Meeting started on time"] == Decimal("1.5") and means["Dissent recorded"] == Decimal("4.0")
    assert page.mean == Decimal("3.6")  # (6 * 4 + 1 + 6 * 4 + 2) / 14 = 3.64
    assert page.not_audited == 0
    verified_client(client, world.users.partner)
    shown = client.get(reverse("meetings:forum-quality", kwargs={"pk": records.forum.pk})).content.decode()
    assert "Meeting started on time" in shown and "1.5" in shown and "Jonathan Smith" not in shown


def test_a_forum_with_no_audit_says_so(world, records):
    page = minutes.forum_quality(mf.ctx_for(world.users.om), records.forum)
    assert page.meetings == [] and page.mean is None and page.not_audited == 2
