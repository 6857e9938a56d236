"""The calculations behind the pages and the API: one function each, calling the pure rules.

Each function takes the inputs by their API names and answers with a
JSON-ready dict (dates as ``datetime.date``): the rule's result fields, its
working as a list of ``{text, source}`` steps and the same working as
sentences (``explanation``). Pages and the API call the same function, so a
person at a meeting and another system get the same answer. Nothing here
reads or writes the database or logs anything: the inputs are not kept.

A rule that cannot answer raises ``RuleInputError(field, message)`` naming the
input at fault; a setting of a supplied RFG config is named ``config.<setting>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from safeguard.rules import marac, notification, rfg, rm2000, workload
from safeguard.rules.dash import DASH_2009, DashSettings
from safeguard.rules.working import RuleInputError, Status, Step, explain

# A typing check on dates, not a rule: far-off years are mistakes, and the
# rules' calendar arithmetic is only meaningful within these.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

CALCULATOR = "Safeguard calculator"

# The s.82 disposals the calculators take (the list); "other" covers community orders and fines.
DISPOSALS = [
    (notification.Disposal.LIFE.value, "Imprisonment for life"),
    (notification.Disposal.IPP.value, "Imprisonment for public protection"),
    (notification.Disposal.IMPRISONMENT.value, "Imprisonment for a term"),
    (notification.Disposal.DETENTION.value, "Detention for a term (young offender)"),
    (notification.Disposal.HOSPITAL_ORDER.value, "Hospital order without a restriction order"),
    (notification.Disposal.HOSPITAL_ORDER_WITH_RESTRICTION.value, "Hospital order with a restriction order"),
    (notification.Disposal.CAUTION.value, "Caution"),
    (notification.Disposal.CONDITIONAL_DISCHARGE.value, "Conditional discharge"),
    (notification.Disposal.OTHER.value, "Any other description (for example a community order or a fine)"),
]


# The changes the calculators take (s.84(1) and the 2012 Regulations).
CHANGE_KINDS = [
    (notification.ChangeKind.NEW_NAME.value, "Using a name not notified"),
    (notification.ChangeKind.NEW_HOME_ADDRESS.value, "A new home address"),
    (notification.ChangeKind.UNNOTIFIED_ADDRESS_STAY.value, "Staying 7 days at an address not notified"),
    (notification.ChangeKind.RELEASE_FROM_CUSTODY.value, "Release from custody or hospital"),
    (notification.ChangeKind.BANK_OR_CARD_ACCOUNT.value, "A bank or card account (2012 Regulations)"),
    (notification.ChangeKind.IDENTITY_DOCUMENT.value, "A passport or identity document (2012 Regulations)"),
    (notification.ChangeKind.CHILD_IN_HOUSEHOLD.value, "Living with a child under 18 (2012 Regulations)"),
]


def date_in_range(day: dt.date) -> bool:
    return EARLIEST_YEAR <= day.year <= LATEST_YEAR


def _answer(fields: dict[str, Any], steps: Iterable[Step]) -> dict[str, Any]:
    steps = tuple(steps)
    return {**fields, "working": [s.as_dict() for s in steps], "explanation": explain(steps)}


# Notification (SOA 2003 Part 2) -----------------------------------------------


def _terms(terms: Sequence[Mapping[str, Any]] | None) -> list[notification.Term] | None:
    if terms is None:
        return None
    return [
        notification.Term(
            term_months=t.get("term_months"),
            consecutive_to=t.get("consecutive_to"),
            overlap_months=t.get("overlap_months") or 0,
        )
        for t in terms
    ]


def _detained(detained: Sequence[Mapping[str, Any]] | None) -> list[notification.Detention]:
    return [notification.Detention(d["start"], d["end"]) for d in detained or ()]


def _deadlines(
    fields: dict[str, Any],
    steps: list[Step],
    *,
    change_kind: str | None,
    change_on: dt.date | None,
    last_notified_on: dt.date | None,
    no_fixed_abode: bool,
    departure_on: dt.date | None,
    detained: list[notification.Detention],
) -> None:
    """The optional deadlines asked for beside the period: a change (s.84), the next periodic (s.85), travel."""
    if (change_kind is None) != (change_on is None):
        field = "change_on" if change_on is None else "change_kind"
        raise RuleInputError(field, "Give both the kind of change and the day it happened")
    if change_kind is not None:
        change = notification.change_notification_due(change_on, change_kind, detained=detained)
        fields["change_notification_due"] = change.due
        steps.extend(change.working)
    if last_notified_on is not None:
        periodic = notification.periodic_notification_due(last_notified_on, no_fixed_abode, detained=detained)
        fields["periodic_notification_due"] = periodic.due
        steps.extend(periodic.working)
    if departure_on is not None:
        travel = notification.foreign_travel_deadlines(departure_on)
        fields["travel_notify_by"] = travel.notify_by
        fields["travel_change_notify_by"] = travel.change_notify_by
        steps.extend(travel.working)


def _review(
    fields: dict[str, Any],
    steps: list[Step],
    period: notification.NotificationPeriod,
    first_notification_after_release: dt.date | None,
    review_refused_on: dt.date | None,
    further_qualifying_date: dt.date | None,
    further_reason: str,
) -> None:
    """The s.91B qualifying date, for an indefinite period only; "cannot be worked out" without the notification."""
    asked = first_notification_after_release or review_refused_on or further_qualifying_date
    if not period.indefinite:
        if asked:
            raise RuleInputError(
                "first_notification_after_release", "A review date applies only to indefinite notification"
            )
        return
    review = notification.indefinite_review_qualifying_date(
        first_notification_after_release,
        period.under_18,
        last_refusal_on=review_refused_on,
        further_qualifying_date=further_qualifying_date,
        further_reason=further_reason,
    )
    fields["review_qualifying_date"] = review.qualifying_date
    fields["review_qualifying_reason"] = review.reason
    steps.extend(review.working)


def notification_answer(
    *,
    relevant_date: dt.date,
    date_of_birth: dt.date,
    disposal_type: str,
    term_months: int | None = None,
    discharge_months: int | None = None,
    released_on: dt.date | None = None,
    terms: Sequence[Mapping[str, Any]] | None = None,
    sentenced_on: dt.date | None = None,
    change_kind: str | None = None,
    change_on: dt.date | None = None,
    last_notified_on: dt.date | None = None,
    no_fixed_abode: bool = False,
    departure_on: dt.date | None = None,
    detained: Sequence[Mapping[str, Any]] | None = None,
    first_notification_after_release: dt.date | None = None,
    review_refused_on: dt.date | None = None,
    further_qualifying_date: dt.date | None = None,
    further_reason: str = "",
) -> dict[str, Any]:
    """The notification period (s.82) and the initial notification deadline (s.83); where asked, the deadline
    of a change (s.84 and the 2012 Regulations), of the next periodic notification (s.85), of notice of travel,
    and the review qualifying date of indefinite notification (s.91B). Each step names the section applied."""
    period = notification.notification_period(
        relevant_date,
        date_of_birth,
        disposal_type,
        term_months=term_months,
        discharge_months=discharge_months,
        terms=_terms(terms),
        sentenced_on=sentenced_on,
    )
    initial = notification.initial_notification_due(relevant_date, released_on=released_on)
    fields: dict[str, Any] = {
        "indefinite": period.indefinite,
        "years": period.years,
        "months": period.months,
        "end_date": period.end_date,
        "starts_on": period.starts_on,
        "term_months_read": period.term_months,
        "under_18": period.under_18,
        "halved": period.halved,
        "table_row": period.table_row,
        "initial_notification_due": initial.due,
        "change_notification_due": None,
        "periodic_notification_due": None,
        "travel_notify_by": None,
        "travel_change_notify_by": None,
        "review_qualifying_date": None,
        "review_qualifying_reason": "",
    }
    steps = [*period.working, *initial.working]
    _deadlines(
        fields,
        steps,
        change_kind=change_kind,
        change_on=change_on,
        last_notified_on=last_notified_on,
        no_fixed_abode=no_fixed_abode,
        departure_on=departure_on,
        detained=_detained(detained),
    )
    _review(
        fields,
        steps,
        period,
        first_notification_after_release,
        review_refused_on,
        further_qualifying_date,
        further_reason,
    )
    sections = sorted({step.source for step in steps if step.source})
    return _answer({**fields, "sections": sections}, steps)


# DASH and the MARAC referral criteria ------------------------------------------


def dash_settings_step(dash_settings: DashSettings, marac_settings: marac.MaracSettings) -> Step:
    return Step(
        "This calculator applies the national MARAC referral criteria (visible high risk at "
        f"{marac_settings.visible_high_risk_from} or more Yes; potential escalation at "
        f"{marac_settings.escalation_events} domestic-abuse events in {marac_settings.escalation_months} months; "
        f"repeat within {marac_settings.repeat_window_months} months of the last referral, "
        f"{marac_settings.repeat_definition.replace('_', ' ')} definition) and the default DASH bands (medium from "
        f"{dash_settings.medium_from} Yes, a local default), not any one MARAC's settings; the events in the last "
        "12 months given are the events counted for potential escalation",
        f"{CALCULATOR}: {marac.SOURCE}, national defaults; DASH local band default",
    )


def dash_answer(
    *,
    answers: Sequence[str],
    professional_judgement: bool,
    reason: str,
    events_last_12_months: int,
    last_marac_referral: dt.date | None,
    incident_date: dt.date,
) -> dict[str, Any]:
    """Score a DASH and apply the MARAC referral criteria with the national defaults."""
    dash_settings, marac_settings = DashSettings(), marac.MaracSettings()
    result = marac.assess_dash_for_marac(
        list(answers),
        professional_judgement=professional_judgement,
        reason=reason,
        events_in_window=events_last_12_months,
        last_marac_referral=last_marac_referral,
        incident_date=incident_date,
        dash_settings=dash_settings,
        marac_settings=marac_settings,
    )
    window = marac.escalation_window(incident_date, marac_settings)
    return _answer(
        {
            "yes_count": result.yes_count,
            "grade": result.grade,
            "grade_after_judgement": result.grade_after_judgement,
            "criteria": list(result.criteria),
            "refer_to_marac": result.refer_to_marac,
            "repeat": result.repeat,
            "definition": f"{DASH_2009['code']}/{DASH_2009['edition']}",
            "status": DASH_2009["status"],
            "escalation_window_start": window.start,
            "escalation_window_end": window.end,
        },
        (dash_settings_step(dash_settings, marac_settings), *window.working, *result.working),
    )


# Risk Matrix 2000 -------------------------------------------------------------


def rm2000_answer(
    *,
    age_at_commencement: int,
    sexual_appearances: int,
    criminal_appearances: int,
    violent_appearances: int,
    any_burglary: bool,
    aggravating_factors: Iterable[str],
) -> dict[str, Any]:
    """Score /S, /V and /C with the shipped (unconfirmed) definition."""
    definition = rm2000.RM2000
    result = rm2000.score_rm2000(
        age_at_commencement=age_at_commencement,
        sexual_appearances=sexual_appearances,
        criminal_appearances=criminal_appearances,
        violent_appearances=violent_appearances,
        any_burglary=any_burglary,
        aggravating_factors=list(aggravating_factors),
        definition=definition,
    )
    return _answer(
        {
            "s_points": result.s_points,
            "s_step1_category": result.s_step1_category,
            "s_category": result.s_category,
            "v_points": result.v_points,
            "v_category": result.v_category,
            "c_points": result.c_points,
            "c_category": result.c_category,
            "definition": f"{definition['code']}/{definition['edition']}",
            "status": definition["status"],
            "notes": definition["notes"],
        },
        result.working,
    )


def rm2000_category_label(key: str) -> str:
    return next((c["label"] for c in rm2000.RM2000["categories"] if c["key"] == key), key)


# RFG (MATAC) ------------------------------------------------------------------


def rfg_config(config: Mapping[str, Any] | None) -> rfg.RfgConfig:
    """The shipped default, or the settings supplied (each refusal names ``config.<setting>``)."""
    if config is None:
        return rfg.RfgConfig()
    try:
        return rfg.RfgConfig.from_dict(config)
    except RuleInputError as exc:
        raise RuleInputError(f"config.{exc.field}", exc.message) from None


def victim_label(label: str) -> str:
    return label.strip().upper()


def rfg_answer(
    *,
    as_of: dt.date,
    records: Sequence[Mapping[str, Any]],
    date_of_birth: dt.date | None = None,
    config: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One perpetrator's RFG score and whether they are a serial perpetrator, from de-identified records."""
    settings = rfg_config(config)
    da_records = [
        rfg.DaRecord(
            occurred_on=r["occurred_on"],
            offence_code=r.get("offence_code") or None,
            victims=frozenset({victim_label(r["victim"])}),
            area="",
            victims_under_16=frozenset({victim_label(r["victim"])}) if r.get("victim_under_16") else frozenset(),
        )
        for r in records
    ]
    score = rfg.score_perpetrator(da_records, as_of=as_of, date_of_birth=date_of_birth, config=settings)
    if config is None:
        status = Status.SAFEGUARD
        settings_step = Step(
            "Settings: Safeguard's default RFG matrix, not any force's (forces keep their own, unpublished)",
            rfg.SOURCE_SAFEGUARD,
        )
    else:
        status = Status.LOCAL
        settings_step = Step("Settings: the RFG settings supplied with the request", f"{CALCULATOR}: supplied config")
    return _answer(
        {
            "recency": score.recency,
            "frequency": score.frequency,
            "gravity": score.gravity,
            "victims": score.victims,
            "total": score.total,
            "serial_perpetrator": score.serial_perpetrator,
            "records_counted": score.records_counted,
            "distinct_victims": score.distinct_victims,
            "age": score.age,
            "age_presumed": score.age_presumed,
            "latest_on": score.latest_on,
            "status": str(status),
            "config": settings.to_dict(),
        },
        (settings_step, *score.working),
    )


# Probation workload measurement (HMPPS "Manage a workforce") -----------------------


def workload_capacity_answer(
    *,
    nominal_target,
    default_contracted_hours,
    contracted_hours,
    reduction_hours,
    total_points: int,
) -> dict[str, Any]:
    found = workload.workload_capacity(
        nominal_target, default_contracted_hours, contracted_hours, reduction_hours, total_points
    )
    return _answer(
        {
            "available_points": found.available_points,
            "capacity_percent": found.capacity_percent,
            "over_capacity": found.over_capacity,
        },
        found.working,
    )
