"""The nominal page's recent changes, written in Python (offenders/changes_html.py), are the HTML
offenders/changes_list.html draws for the same changes, byte for byte."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.test import RequestFactory

from safeguard.offenders.changes_html import changes_html
from safeguard.offenders.history import nominal_changes
from safeguard.offenders.models import Nominal
from safeguard.record_history import Change, FieldChange


def _as_the_template_draws_them(changes) -> str:
    return render_to_string("offenders/changes_list.html", {"changes": changes}, RequestFactory().get("/"))


def test_no_changes_are_the_templates_words():
    assert changes_html([]) == _as_the_template_draws_them([])


def test_made_up_changes_are_the_html_the_template_draws():
    when = dt.datetime(2026, 12, 6, 14, 30, tzinfo=dt.UTC)
    changes = [
        Change(
            when,
            'Ann & "Bo" <i>',
            "Moved on 2026-11-30 <b>because</b> & so",
            "Changed",
            [
                FieldChange("rosh", "Risk <of> harm", "medium & low", "high"),
                FieldChange("location", "Location", None, "<custody>"),
            ],
        ),
        Change(when - dt.timedelta(days=3), "System", "", "Changed", []),
        Change(when - dt.timedelta(days=9), "Cy", "", "Opened", [FieldChange("reference", "Reference", None, "N1")]),
    ]
    assert changes_html(changes) == _as_the_template_draws_them(changes)


def test_a_nominals_own_changes_are_the_html_the_template_draws(world):
    record = Nominal.objects.get(pk=world.nominals.mine.pk)
    record.location_detail = "Hostel <B> & annex"
    record._change_reason = "Moved on 2026-12-01 & agreed"  # type: ignore[attr-defined]
    record.save()
    nominal = Nominal.objects.select_related("person", "offender_manager", "lead_agency", "local_area").get(
        pk=record.pk
    )
    changes = nominal_changes(nominal, limit=5)
    assert len(changes) >= 2 and changes[0].why and changes[0].fields
    assert changes_html(changes) == _as_the_template_draws_them(changes)
