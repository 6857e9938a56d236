"""A record's change list (record_history.record_changes) is the same as simple-history's own instances give, with
fewer queries: each version made into a record once, without simple-history's query for the fields it does not
keep, and related records the page has loaded not read again."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguard.offenders.history import HIDDEN_FIELDS, nominal_changes
from safeguard.offenders.models import Nominal
from safeguard.record_history import Change, FieldChange, _label, display

PAGE_RELATED = ("person", "person__area", "offender_manager", "offender_manager__team", "lead_agency", "local_area")


def _as_simple_history_shows(nominal: Nominal, limit: int | None = None) -> list[Change]:
    """The change list as it was written before: every value read through simple-history's ``instance``."""
    history = nominal.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(history[: limit + 1] if limit else history)
    has_more = bool(limit) and len(records) > limit
    changes = []
    for index, newer in enumerate(records[:limit] if has_more else records):
        older = records[index + 1] if index + 1 < len(records) else None
        who = str(newer.history_user) if newer.history_user else "System"
        why = newer.history_change_reason or ""
        if older is None:
            kept = {f.name for f in newer._meta.fields}
            first = [
                FieldChange(f.name, _label(Nominal, {}, f.name), None, display(Nominal, newer.instance, f.name))
                for f in Nominal._meta.concrete_fields
                if f.name in kept
                and not f.primary_key
                and f.name not in HIDDEN_FIELDS
                and display(Nominal, newer.instance, f.name) != "none"
            ]
            changes.append(Change(newer.history_date, who, why, "Opened", first))
            continue
        fields = [
            FieldChange(
                c.field,
                _label(Nominal, {}, c.field),
                display(Nominal, older.instance, c.field),
                display(Nominal, newer.instance, c.field),
            )
            for c in newer.diff_against(older).changes
            if c.field not in HIDDEN_FIELDS
        ]
        if fields:
            changes.append(Change(newer.history_date, who, why, "Changed", fields))
    return changes[:limit] if limit else changes


def _changed(nominal: Nominal, world) -> None:
    nominal.management_level = 3
    nominal._change_reason = "to level 3"
    nominal.save()
    nominal.offender_manager = None
    nominal.location_detail = "HMP Example"
    nominal._change_reason = "handed back"
    nominal.save()
    nominal.offender_manager = world.users.om
    nominal.save()


def test_the_change_list_is_the_one_simple_history_instances_give(world):
    nominal = world.nominals.mine
    _changed(nominal, world)
    loaded = Nominal.objects.select_related(*PAGE_RELATED).get(pk=nominal.pk)
    assert nominal_changes(loaded) == _as_simple_history_shows(loaded)
    assert nominal_changes(loaded, limit=2) == _as_simple_history_shows(loaded, limit=2)
    assert any(c.kind == "Opened" and c.fields for c in nominal_changes(loaded))


def test_a_first_version_only_is_one_query_with_the_page_s_related_records(world):
    nominal = Nominal.objects.select_related(*PAGE_RELATED).get(pk=world.nominals.mine.pk)
    versions = nominal.history.count()
    assert versions == 1  # as opened: the list shows the values it began with, its related records by name
    expected = _as_simple_history_shows(nominal, limit=5)
    with CaptureQueriesContext(connection) as queries:
        shown = nominal_changes(nominal, limit=5)
    assert shown == expected and shown[0].kind == "Opened"
    assert len(queries.captured_queries) == 1
