"""Forums as configuration of an area: their settings, where each default comes from, and their page.

A forum's settings are edited by an administrator (``/admin/``, reference
data); its page shows them read-only, each with the source of its default and
whether the forum has changed it, so a coordinator can see which rules the
forum runs by. Values the guidance does not set say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from safeguard.access import gate, policy
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.rules import actions as action_rules
from safeguard.rules import dash, marac, reopening, triage
from safeguard.rules import mappa as mappa_rules
from safeguard.rules.competence import COURSES, DEFAULT_COMPETENCE_SETTINGS, POLICE_RANKS
from safeguard.rules.working import Status
from safeguard.workforce.models import AreaSettings

from ..models import Forum, ForumCase, Meeting

MAPPA_KINDS = frozenset({Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MAPPA_LEVEL_3})
DA_KINDS = frozenset({Forum.Kind.MARAC})
LEVEL_OF_KIND = {Forum.Kind.MAPPA_LEVEL_2: 2, Forum.Kind.MAPPA_LEVEL_3: 3}
UPCOMING_SHOWN = 12
STATUS_WORDS = {
    Status.CONFIRMED: "confirmed in a named source",
    Status.UNCONFIRMED: "widely quoted, not confirmed in the guidance",
    Status.LOCAL: "one area's local practice",
    Status.SAFEGUARD: "Safeguard's choice: no guidance sets it",
}
CADENCE_GUIDANCE = (
    "Set by the forum. SafeLives: MARACs meet fortnightly or monthly (some weekly); MATAC every four weeks "
    "(Northumbria model); the daily triage every weekday (Kirklees DRAMM pattern), or every day where the area's "
    "triage sits at weekends too; MAPPA Level 2/3 as the area sets"
)


@dataclass(frozen=True)
class SettingRow:
    """One setting as the forum page shows it: its value and where the value comes from."""

    label: str
    value: str
    source: str
    changed: bool = False  # the forum (or its area) changed the shipped default


def _default(defaults, name: str):
    return next(d for d in defaults if d.name == name)


def _from_default(label: str, value, default, shown: str | None = None, unit: str = "") -> SettingRow:
    text = shown if shown is not None else f"{value}{unit}"
    where = f"{default.source} ({STATUS_WORDS[default.status]})"
    if default.note:
        where += f". {default.note}"
    if value == default.value:
        return SettingRow(label, text, f"Default: {where}")
    return SettingRow(label, text, f"Changed from the default {default.value}{unit}: {where}", changed=True)


def chair_level_for(forum: Forum) -> int | None:
    """The MAPPA level whose chair rank the forum's chair must hold: the forum's setting, else its type's level."""
    return forum.chair_level or LEVEL_OF_KIND.get(forum.kind)


def forum_settings(forum: Forum) -> list[SettingRow]:
    """Every setting of the forum, read-only, with the source of its default."""
    area = AreaSettings.for_area(forum.area_id)
    competence = area.competence_settings()
    rows = [
        SettingRow("Type", forum.get_kind_display(), "Set by the administrator"),
        SettingRow("MAPPA area", str(forum.area), "Set by the administrator"),
        SettingRow(
            "Member agencies",
            ", ".join(a.name for a in forum.member_agencies.all()) or "None yet",
            "Set by the administrator; partners see only the cases of forums their agency sits on",
        ),
        SettingRow(
            "Local areas heard",
            ", ".join(a.name for a in forum.covers.all()) or "The whole MAPPA area",
            "Set by the administrator",
        ),
        SettingRow(
            "Coordinators",
            ", ".join(str(s) for s in forum.coordinators.all()) or "The area's coordinator for this type of forum",
            "Set by the administrator; the area's MAPPA (or MARAC) coordinator coordinates it as well",
        ),
        SettingRow("Cadence", forum.get_cadence_display() or "Not set: meetings cannot be scheduled", CADENCE_GUIDANCE),
        SettingRow(
            "Cadence counted from",
            _day(forum.first_meeting_on) if forum.first_meeting_on else "Not set: meetings cannot be scheduled",
            "Set by the forum",
        ),
        SettingRow(
            "Meetings start at",
            forum.meeting_time.strftime("%H:%M") if forum.meeting_time else "Not set: meetings cannot be scheduled",
            "Set by the forum (no guidance sets a time)",
        ),
        SettingRow(
            "Meetings last",
            f"{forum.meeting_minutes} minutes" if forum.meeting_minutes else "Not set",
            "Set by the forum. SafeLives: about 16 cases of 12 to 15 minutes each at a MARAC",
        ),
        SettingRow("Meeting place", forum.meeting_place or "Not set", "Set by the forum"),
    ]
    rows += _chair_rows(forum, area, competence)
    rows.append(
        SettingRow(
            "Confidentiality statement",
            "Set" if forum.confidentiality_statement else "Not set: it must be set before a meeting can record it read",
            "Set by the forum (MAPPA document set: the minutes template; SafeLives: read and signed at the start "
            "of every MARAC)",
        )
    )
    rows.append(
        _from_default(
            "Remind action owners",
            forum.action_reminder_days_before,
            _default(action_rules.DEFAULTS, "remind_days_before"),
            unit=" days before the due date",
        )
    )
    rows.append(
        _from_default(
            "Escalate an open action to the chair",
            forum.action_escalate_days_overdue,
            _default(action_rules.DEFAULTS, "escalate_days_overdue"),
            unit=" days after the due date",
        )
    )
    rows.append(
        SettingRow(
            "Screen referrals within",
            f"{forum.screening_target_days} days" if forum.screening_target_days else "No target",
            "No national screening time exists: the forum sets its own, or none",
            changed=forum.screening_target_days is not None,
        )
    )
    rows.append(
        _from_default(
            "A held meeting may be reopened within",
            forum.reopen_hours(),
            _default(reopening.DEFAULTS, "reopen_within_hours"),
            unit=" hours (not once its minutes are issued)",
        )
    )
    if forum.kind in MAPPA_KINDS:
        rows += _review_rows(forum, area)
    if forum.kind == Forum.Kind.MARAC:
        rows += _marac_rows(forum)
    if forum.kind == Forum.Kind.DAILY_TRIAGE:
        rows += _triage_rows(forum)
    return rows


def _chair_rows(forum: Forum, area: AreaSettings, competence) -> list[SettingRow]:
    level = chair_level_for(forum)
    rows = []
    if level is None:
        rows.append(
            SettingRow(
                "Chair",
                "Any chair of the area's police, probation or prison agencies (and the course below, if any)",
                "This forum sets no MAPPA chair level; no guidance sets a chair's rank for it",
            )
        )
    else:
        minimum = competence.chair_min_rank(level)
        default_minimum = DEFAULT_COMPETENCE_SETTINGS.chair_min_rank(level)
        source = (
            "the forum's setting"
            if forum.chair_level
            else f"the forum's type ({forum.get_kind_display()}), as the forum sets no chair level"
        )
        rank_source = (
            "Area setting, the default: West Midlands practice (Inspectors chair Level 1/2, Chief Inspectors "
            "Level 3) [one area's local practice]; HMICFRS: 'an inspector (or equivalent)'"
        )
        changed = minimum != default_minimum
        if changed:
            rank_source = f"Area setting, changed from the default {POLICE_RANKS[default_minimum]}"
        rows.append(SettingRow("Chair eligible for", f"MAPPA Level {level} meetings", f"From {source}"))
        rows.append(SettingRow("Chair's rank", f"{POLICE_RANKS[minimum]} or above", rank_source, changed=changed))
        equivalents = dict(competence.probation_equivalents)
        rows.append(
            SettingRow(
                "Probation grades treated as police ranks",
                ", ".join(f"{g.upper()} as {POLICE_RANKS[r]}" for g, r in sorted(equivalents.items())) or "None",
                "Area setting. No published equivalence exists; the default (SPO as Inspector) is unconfirmed",
                changed=equivalents != dict(DEFAULT_COMPETENCE_SETTINGS.probation_equivalents),
            )
        )
    if level is not None:
        rows.append(
            SettingRow(
                "Chair training",
                ", ".join(COURSES[c] for c in sorted(competence.chair_courses)),
                "Safeguard's default from the seed (chairs must be MAPPA trained) [one area's local practice]",
            )
        )
    extra = [c for c in forum.chair_courses or [] if c not in competence.chair_courses]
    rows.append(
        SettingRow(
            "This forum's chair must also hold",
            ", ".join(COURSES.get(c, c) for c in extra) or "No further course",
            "Set by the forum",
            changed=bool(extra),
        )
    )
    return rows


def _review_rows(forum: Forum, area: AreaSettings) -> list[SettingRow]:
    level = LEVEL_OF_KIND[forum.kind]
    name = f"level{level}_review_weeks"
    return [
        _from_default(
            f"Level {level} review at least every",
            getattr(area, name),
            _default(mappa_rules.DEFAULTS, name),
            unit=" weeks",
        )
    ]


def _marac_rows(forum: Forum) -> list[SettingRow]:
    repeat_labels = dict(Forum.RepeatDefinition.choices)
    return [
        _from_default(
            "Potential escalation: events", forum.escalation_events, _default(marac.DEFAULTS, "escalation_events")
        ),
        _from_default(
            "Potential escalation: within",
            forum.escalation_months,
            _default(marac.DEFAULTS, "escalation_months"),
            unit=" months",
        ),
        _from_default(
            "Repeat: within",
            forum.repeat_window_months,
            _default(marac.DEFAULTS, "repeat_window_months"),
            unit=" months of the last referral",
        ),
        _from_default(
            "Repeat definition",
            forum.repeat_definition,
            _default(marac.DEFAULTS, "repeat_definition"),
            shown=repeat_labels.get(forum.repeat_definition, forum.repeat_definition),
        ),
        _from_default(
            "DASH graded medium from",
            forum.dash_medium_from,
            _default(dash.DEFAULTS, "medium_from"),
            unit=" yes answers",
        ),
    ]


def _triage_rows(forum: Forum) -> list[SettingRow]:
    default = _default(triage.DEFAULTS, "school_day_starts_at")
    starts = forum.school_day_starts_at.strftime("%H:%M") if forum.school_day_starts_at else default.value
    return [
        _from_default("Operation Encompass: school day starts at", starts, default),
        SettingRow(
            "Operation Encompass: non-school days",
            ", ".join(str(d) for d in forum.non_school_days or []) or "None recorded",
            "Set by the forum (holidays and INSET days of the area's schools)",
        ),
    ]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# The forum page and the forums a user may see -------------------------------------------------------------


@dataclass(frozen=True)
class ForumPage:
    forum: Forum
    settings: list[SettingRow]
    upcoming: list[Meeting]
    recent: list[Meeting]
    open_cases: int
    may_coordinate: bool


def forum_page(ctx: AccessContext, forum: Forum, now: dt.datetime | None = None) -> ForumPage:
    """The forum's settings, its upcoming meetings and its open cases count (no names), audited."""
    gate.authorise(ctx, Operation.VIEW, forum, {"page": "forum"})
    now = now or timezone.now()
    start_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    meetings = Meeting.objects.filter(forum=forum).select_related("chair")
    upcoming = list(
        meetings.filter(starts_at__gte=start_of_today)
        .exclude(status=Meeting.Status.HELD)
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    recent = list(
        meetings.filter(Q(starts_at__lt=start_of_today) | Q(status=Meeting.Status.HELD))
        .exclude(pk__in=[m.pk for m in upcoming])
        .order_by("-starts_at")[:UPCOMING_SHOWN]
    )
    return ForumPage(
        forum=forum,
        settings=forum_settings(forum),
        upcoming=upcoming,
        recent=recent,
        open_cases=ForumCase.objects.filter(forum=forum, closed_on=None).count(),
        may_coordinate=policy.may_coordinate_forum(ctx.user, forum).allowed,
    )


def visible_forums(ctx: AccessContext) -> list[Forum]:
    """The forums the user may see (the forum's policy), audited as a list; empty for anyone else.

    The candidates are the forums of the user's MAPPA area, those their agency sits on and those they
    coordinate; the gate's predicate then decides each (a few dozen forums at most).
    """
    user = ctx.user
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency_id is None:
        return []
    candidates = (
        Forum.objects.filter(
            Q(area_id=user.mappa_area_id) | Q(member_agencies=user.agency_id) | Q(coordinators=user.pk)
        )
        .distinct()
        .select_related("area")
        .order_by("name")
    )
    shown = [f for f in candidates if gate.decide(user, Operation.VIEW, f).allowed]
    if shown:
        gate.audit_list(ctx, Operation.VIEW, Forum, [f.pk for f in shown], {"page": "forums"})
    return shown
