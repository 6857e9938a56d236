"""Use cases for assessments: one function each, each one transaction through the gate."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Max, Q

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentPerson, IncidentRole
from safeguard.meetings.models import Forum, ForumCase
from safeguard.prepared import PreparedQuery
from safeguard.rules import dash, marac
from safeguard.rules.working import RuleInputError

from . import scoring
from .models import Assessment, InstrumentVersion


def marac_for(person) -> Forum | None:
    """The MARAC of the person's area (its settings decide escalation and repeats); None: national defaults."""
    return (
        Forum.objects.filter(kind=Forum.Kind.MARAC)
        .filter(Q(area_id=person.area_id) | Q(area__parent_id=person.area_id))
        .order_by("pk")
        .first()
    )


def marac_context(person, incident_date: dt.date) -> scoring.MaracContext:
    """Counts the rules need, from the records: DA events against the person in the window, the last MARAC referral.

    The last referral is the person's latest MARAC referral submitted on or before the incident (any status but
    withdrawn: referrals.services.repeat); where none is recorded, the opening date of their latest MARAC case.
    """
    from safeguard.referrals.services.repeat import last_referral_date

    forum = marac_for(person)
    marac_settings = forum.marac_settings() if forum else marac.MaracSettings()
    dash_settings = forum.dash_settings() if forum else dash.DashSettings()
    window = marac.escalation_window(incident_date, marac_settings)
    events = (
        IncidentPerson.objects.filter(
            person=person,
            role=IncidentRole.VICTIM,
            incident__domestic_abuse=True,
            incident__occurred_at__date__gte=window.start,
            incident__occurred_at__date__lte=window.end,
        )
        .values("incident_id")
        .distinct()
        .count()
    )
    last = (
        last_referral_date(person, incident_date)
        or ForumCase.objects.filter(
            person=person, forum__kind=Forum.Kind.MARAC, opened_on__lte=incident_date
        ).aggregate(last=Max("opened_on"))["last"]
    )
    return scoring.MaracContext(events, last, dash_settings, marac_settings)


def record_assessment(
    ctx: AccessContext,
    *,
    person,
    instrument: InstrumentVersion,
    data: dict,
    nominal=None,
    incident=None,
) -> Assessment:
    """Score the answers with the instrument's own version of the rule and keep answers, result and working."""
    context = None
    ages = instrument.definition.get("ages")
    if ages and person.date_of_birth:
        age = person.age_on(data["assessed_on"])
        if not ages["min"] <= age <= ages["max"]:
            raise ValidationError(
                {"assessed_on": f"{instrument.name} is for people aged {ages['min']} to {ages['max']} on the day."}
            )
    if instrument.code in ("dash", "dash-yp"):
        context = marac_context(person, data["incident_date"])
    try:
        scored = scoring.SCORERS[instrument.code](instrument.definition, data, context)
    except RuleInputError as exc:
        raise ValidationError({exc.field: exc.message}) from exc
    assessment = Assessment(
        person=person,
        nominal=nominal,
        incident=incident,
        instrument=instrument,
        answers=scored.answers,
        result=scored.result,
        summary=scored.summary[:120],
        grade=scored.grade,
        refer_to_marac=scored.refer_to_marac,
        assessed_on=data["assessed_on"],
        assessor=ctx.user,
        assessor_agency_id=ctx.user.agency_id,
    )
    assessment.full_clean()
    with transaction.atomic():
        decision = gate.check(ctx, Operation.CREATE, assessment)
        assessment.save()
        gate.audit_allowed(ctx, Operation.CREATE, assessment, decision.reason, {"instrument": instrument.code})
    return assessment


def assessment_links(user, person) -> list[tuple[str, str]]:
    """The instruments this user may complete for this person: (code, link text)."""
    links = []
    for version in _current_instruments():
        if gate.decide(user, Operation.CREATE, Assessment(person=person, instrument=version)).allowed:
            links.append((version.code, f"Complete {version.get_code_display()}"))
    return links


def _current_instruments() -> list[InstrumentVersion]:
    """The current instrument versions by code, each with its pk and code only (all the rule and the link read:
    not each instrument's definition, a JSON document apiece): asked on every nominal and person page, in SQL
    written once a process (as accounts.rows does), read afresh each call."""
    connection = connections[router.db_for_read(InstrumentVersion)]
    if connection.vendor not in _CURRENT_SQL:
        q = connection.ops.quote_name
        pk, code, current = (q(InstrumentVersion._meta.get_field(f).column) for f in ("id", "code", "current"))
        # Names from the model's own fields, quoted by the backend; values only ever as parameters.
        _CURRENT_SQL[connection.vendor] = (
            f"SELECT {pk}, {code} FROM {q(InstrumentVersion._meta.db_table)} WHERE {current} = %s ORDER BY {code}"  # noqa: S608
        )
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_SQL[connection.vendor], [True])
        rows = cursor.fetchall()
    return [InstrumentVersion.from_db(connection.alias, ["id", "code"], row) for row in rows]


_CURRENT_SQL: dict[str, str] = {}


def assessments_of(person):
    """The person's latest assessments, newest first (the caller has passed the gate for the person)."""
    return LATEST_ASSESSMENTS(person_id=person.pk)


# The list shows the date, the instrument's name, the summary and the assessor: not the answers, the result and its
# working, nor the instrument's definition (JSON documents, decoded a row at a time otherwise). Asked on every
# nominal and person page: its SQL is written once a process (safeguard.prepared), not built by the ORM each time.
LATEST_ASSESSMENTS = PreparedQuery(
    "assessments.latest",
    Assessment,
    lambda person_id: (
        Assessment.objects.filter(person_id=person_id)
        .select_related("instrument", "assessor")
        .defer("answers", "result", "instrument__definition")[:20]
    ),
)
