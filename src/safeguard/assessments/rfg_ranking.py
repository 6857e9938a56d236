"""MATAC ranking for a whole force: every perpetrator's RFG score in one SQL statement.

The rule is safeguard.rules.rfg (score_perpetrator and rank); this module
computes exactly the same scores and ranking, set-based, so that a force of a
million domestic-abuse records is ranked in seconds. The statement is plain
SQL with common table expressions and window functions and runs on SQLite and
PostgreSQL alike: every date boundary (the look-back, each recency band, the
date of birth for the minimum age) is worked out in Python by
``rules.rfg.boundaries`` and passed in as a parameter, as an aware datetime at
local midnight (Europe/London), so the SQL does no date arithmetic. The
gravity weights become a CASE over the offence codes, every code and weight a
parameter.

What the statement does, in the rule's words:
- records: incidents flagged domestic abuse, occurred in the look-back,
  joined to each person recorded as their perpetrator, where both people were
  16 or over on the day (Domestic Abuse Act 2021 s.1(2)(a)): the perpetrator
  (date of birth not recorded: not excluded), and at least one victim when
  victims are recorded. The age on the day is worked out in SQL from the local
  date of the incident and the date of birth as YYYYMMDD numbers (16 or over
  when the difference is 160000 or more: a 29 February birthday is reached on
  1 March in a common year, as the rule does), through Django's date-part
  functions, the same on SQLite and PostgreSQL;
- frequency and gravity: per perpetrator, the number of records and the sum of
  each record's gravity (no offence: non-crime gravity; an offence not in the
  weights: the default crime gravity);
- victims: different people recorded as victim on those records, never the
  perpetrator themselves (a counter-allegation lists both people as both),
  nor a victim under 16 on the day;
- recency: from the perpetrator's most recent record; their area is that
  record's local area (same instant: the highest incident id);
- serial: 16 or over on the ranking date (date of birth not recorded: presumed,
  as the rule says), more than one record, two or more different victims;
- rank: within each area by total, then most recent record, both highest
  first, then person id.

For one person's working, call :func:`score_person` (the rule, with its steps).

Plans (PostgreSQL 15, 1,000,000 domestic-abuse incidents, all in the look-back):
events_incident and events_incidentperson are read in full with hash joins,
which is right when the look-back holds nearly every record; when it holds a
small part, the (domestic_abuse, occurred_at) index is used (bitmap scan) and
victims are found through the incident index. One person's records
(:func:`records_for`) go through the person index. Areas and people are looked
up by primary key only for the perpetrators left after the serial cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from safeguard.events.models import Incident, IncidentPerson, IncidentRole, Offence
from safeguard.people.models import Person
from safeguard.rules import rfg
from safeguard.rules.working import RuleInputError


@dataclass(frozen=True)
class RankedPerpetrator:
    person_id: int
    area_id: int
    recency: int
    frequency: int
    gravity: int
    victims: int
    total: int
    records: int
    distinct_victims: int
    latest_at: dt.datetime
    rank_in_area: int
    serial: bool


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a day in the project's time zone, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def start_of_day_after(day: dt.date) -> dt.datetime:
    """The first instant whose local date is after ``day``."""
    return local_midnight(day + dt.timedelta(days=1))


def _gravity_case(config: rfg.RfgConfig, params: list) -> str:
    if not config.gravity_weights:
        params.append(config.default_crime_gravity)
        return "%s"
    whens = []
    for code, points in config.gravity_weights:
        whens.append("WHEN %s THEN %s")
        params.extend([code, points])
    params.append(config.default_crime_gravity)
    return f"CASE o.code {' '.join(whens)} ELSE %s END"


def _recency_case(bounds: rfg.RfgBoundaries, params: list) -> str:
    if not bounds.recency_bands:
        return "0"
    whens = []
    for _months, after, points in bounds.recency_bands:
        whens.append("WHEN latest.latest_at >= %s THEN %s")
        params.extend([connection.ops.adapt_datetimefield_value(start_of_day_after(after)), points])
    return f"CASE {' '.join(whens)} ELSE 0 END"


def _frequency_case(config: rfg.RfgConfig, params: list) -> str:
    if config.frequency_cap is None:
        params.append(config.frequency_weight)
        return "latest.records * %s"
    params.extend([config.frequency_weight, config.frequency_cap, config.frequency_cap, config.frequency_weight])
    return "CASE WHEN latest.records * %s > %s THEN %s ELSE latest.records * %s END"


def _day_number(sql: str, *, local_datetime: bool) -> tuple[str, list]:
    """YYYYMMDD of a date column, or of a datetime column's local date, as SQL (vendor date-part functions)."""
    ops = connection.ops
    tzname = timezone.get_current_timezone_name()
    parts, params = [], []
    for lookup, scale in (("year", 10000), ("month", 100), ("day", 1)):
        if local_datetime:
            part, part_params = ops.datetime_extract_sql(lookup, sql, (), tzname)
        else:
            part, part_params = ops.date_extract_sql(lookup, sql, ())
        parts.append(f"({part}) * {scale}")
        params.extend(part_params)
    return "(" + " + ".join(parts) + ")", params


def _aged_16_on_the_day(person_alias: str, incident_alias: str) -> tuple[str, list]:
    """SQL true when the person's date of birth is not recorded or they were 16 or over on the incident's day."""
    day, day_params = _day_number(f"{incident_alias}.occurred_at", local_datetime=True)
    born, born_params = _day_number(f"{person_alias}.date_of_birth", local_datetime=False)
    sql = f"({person_alias}.date_of_birth IS NULL OR {day} - {born} >= %s)"
    return sql, [*day_params, *born_params, rfg.DA_ACT_MIN_AGE * 10000]


def _tables() -> dict[str, str]:
    return {
        "incident": Incident._meta.db_table,
        "incident_person": IncidentPerson._meta.db_table,
        "offence": Offence._meta.db_table,
        "person": Person._meta.db_table,
    }


def ranking_sql(
    config: rfg.RfgConfig,
    as_of: dt.date,
    *,
    area_ids: Sequence[int] | None = None,
    serial_only: bool = True,
    top_n: int | None = None,
) -> tuple[str, list]:
    """The statement and its parameters (kept apart so that EXPLAIN can be run on it).

    Built part by part, each part's parameters appended in the order its
    placeholders appear. Only fixed SQL, placeholders and the models' table
    names go into the text (hence the S608 exemptions); every value, offence
    code and weight is a parameter.
    """
    bounds = rfg.boundaries(as_of, config)
    ops = connection.ops
    t = _tables()
    params: list = []
    parts: list[str] = []

    gravity = _gravity_case(config, params)
    parts.append(f"gw AS (SELECT o.id, {gravity} AS points FROM {t['offence']} o)")  # noqa: S608
    # Every (perpetrator, record) in the look-back: a record is an incident flagged domestic abuse, in which the
    # perpetrator was 16 or over and, where victims are recorded, at least one victim was too.
    perpetrator_16, perpetrator_params = _aged_16_on_the_day("pp", "i")
    victim_16, victim_params = _aged_16_on_the_day("vp", "i")
    parts.append(
        f"""da AS (
    SELECT ip.person_id, i.id AS incident_id, i.occurred_at,
           CASE WHEN i.offence_id IS NULL THEN %s ELSE gw.points END AS gravity
    FROM {t["incident"]} i
    JOIN {t["incident_person"]} ip ON ip.incident_id = i.id AND ip.role = %s
    JOIN {t["person"]} pp ON pp.id = ip.person_id
    LEFT JOIN gw ON gw.id = i.offence_id
    WHERE i.domestic_abuse = %s AND i.occurred_at >= %s AND i.occurred_at < %s
      AND {perpetrator_16}
      AND (
        NOT EXISTS (SELECT 1 FROM {t["incident_person"]} v0
                    WHERE v0.incident_id = i.id AND v0.role = %s AND v0.person_id <> ip.person_id)
        OR EXISTS (SELECT 1 FROM {t["incident_person"]} v1 JOIN {t["person"]} vp ON vp.id = v1.person_id
                   WHERE v1.incident_id = i.id AND v1.role = %s AND v1.person_id <> ip.person_id AND {victim_16})
      )
)"""  # noqa: S608
    )
    params += [
        config.non_crime_gravity,
        IncidentRole.PERPETRATOR.value,
        True,
        ops.adapt_datetimefield_value(start_of_day_after(bounds.counted_after)),
        ops.adapt_datetimefield_value(start_of_day_after(bounds.counted_until)),
        *perpetrator_params,
        IncidentRole.VICTIM.value,
        IncidentRole.VICTIM.value,
        *victim_params,
    ]
    parts.append(
        """per AS (
    SELECT person_id, COUNT(*) AS records, SUM(gravity) AS gravity, MAX(occurred_at) AS latest_at
    FROM da GROUP BY person_id
)"""
    )
    # Serial perpetrators only: victims need counting only for those with more than one record.
    few = ""
    if serial_only:
        few = "JOIN per ON per.person_id = da.person_id AND per.records >= %s"
        params.append(rfg.SERIAL_MIN_RECORDS)
    victim_on_day, victim_day_params = _aged_16_on_the_day("vp", "da")
    parts.append(
        f"""vic AS (
    SELECT person_id, COUNT(*) AS distinct_victims
    FROM (
        SELECT DISTINCT da.person_id, v.person_id AS victim_id
        FROM da
        {few}
        JOIN {t["incident_person"]} v ON v.incident_id = da.incident_id AND v.role = %s AND v.person_id <> da.person_id
        JOIN {t["person"]} vp ON vp.id = v.person_id
        WHERE {victim_on_day}
    ) pairs
    GROUP BY person_id
)"""  # noqa: S608
    )
    params += [IncidentRole.VICTIM.value, *victim_day_params]
    # Serial perpetrators only: drop everyone short of the records or victims before the per-person work.
    cut = ""
    if serial_only:
        cut = "WHERE per.records >= %s AND COALESCE(vic.distinct_victims, 0) >= %s"
        params += [rfg.SERIAL_MIN_RECORDS, rfg.SERIAL_MIN_VICTIMS]
    parts.append(
        f"""cand AS (
    SELECT per.person_id, per.records, per.gravity, per.latest_at, COALESCE(vic.distinct_victims, 0) AS distinct_victims
    FROM per LEFT JOIN vic ON vic.person_id = per.person_id
    {cut}
)"""  # noqa: S608
    )
    # The most recent record (same instant: the highest incident id) gives the area. Every column of cand is
    # carried through the grouping so that nothing joins back to it (a join the planner misjudges).
    parts.append(
        """latest AS (
    SELECT cand.person_id, cand.records, cand.gravity, cand.latest_at, cand.distinct_victims,
           MAX(da.incident_id) AS incident_id
    FROM cand JOIN da ON da.person_id = cand.person_id AND da.occurred_at = cand.latest_at
    GROUP BY cand.person_id, cand.records, cand.gravity, cand.latest_at, cand.distinct_victims
)"""
    )
    recency = _recency_case(bounds, params)
    frequency = _frequency_case(config, params)
    parts.append(
        f"""scored AS (
    SELECT latest.person_id, i.local_area_id AS area_id, latest.records, latest.gravity, latest.latest_at,
           latest.distinct_victims,
           {recency} AS recency,
           {frequency} AS frequency,
           latest.distinct_victims * %s AS victims,
           CASE WHEN pp.date_of_birth IS NULL THEN %s WHEN pp.date_of_birth <= %s THEN 1 ELSE 0 END AS old_enough
    FROM latest
    JOIN {t["incident"]} i ON i.id = latest.incident_id
    JOIN {t["person"]} pp ON pp.id = latest.person_id
)"""  # noqa: S608
    )
    params += [
        config.victim_weight,
        1 if bounds.presume_age_when_unknown else 0,
        ops.adapt_datefield_value(bounds.born_on_or_before),
    ]
    area_filter = ""
    if area_ids is not None:
        area_filter = f"WHERE area_id IN ({', '.join(['%s'] * len(area_ids))})"
    parts.append(
        f"""flagged AS (
    SELECT person_id, area_id, recency, frequency, gravity, victims,
           recency + frequency + gravity + victims AS total,
           records, distinct_victims, latest_at,
           CASE WHEN old_enough = 1 AND records >= %s AND distinct_victims >= %s THEN 1 ELSE 0 END AS serial
    FROM scored
    {area_filter}
)"""  # noqa: S608
    )
    params += [rfg.SERIAL_MIN_RECORDS, rfg.SERIAL_MIN_VICTIMS, *(area_ids or ())]
    parts.append(
        f"""ranked AS (
    SELECT flagged.*,
           ROW_NUMBER() OVER (PARTITION BY area_id ORDER BY total DESC, latest_at DESC, person_id ASC) AS rank_in_area
    FROM flagged
    {"WHERE serial = 1" if serial_only else ""}
)"""  # noqa: S608
    )
    limit = ""
    if top_n is not None:
        limit = "WHERE rank_in_area <= %s"
        params.append(top_n)
    ctes = ",\n".join(parts)
    sql = f"""WITH {ctes}
SELECT person_id, area_id, recency, frequency, gravity, victims, total, records, distinct_victims, latest_at,
       rank_in_area, serial
FROM ranked
{limit}
ORDER BY area_id, rank_in_area"""  # noqa: S608
    return sql, params


def _aware(value) -> dt.datetime:
    """A database timestamp as an aware UTC datetime (SQLite hands back naive UTC text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


def rank_force(
    config: rfg.RfgConfig,
    as_of: dt.date,
    *,
    area_ids: list[int] | None = None,
    serial_only: bool = True,
    top_n: int | None = None,
) -> list[RankedPerpetrator]:
    """Every perpetrator scored on ``as_of``; ranked within their area, best first, area by area.

    A perpetrator's score counts all their records in the force wherever they
    happened; ``area_ids`` keeps the perpetrators whose area (that of their
    most recent record) is one of these. ``serial_only`` ranks serial
    perpetrators only (as MATAC does); otherwise everyone with a record is
    ranked. ``top_n`` keeps that many per area; None takes the settings'
    ``top_n_per_area``, which may itself be None for no limit.
    """
    if not isinstance(config, rfg.RfgConfig):
        raise RuleInputError("rfg_config", "Give the RFG settings as RFG settings")
    if top_n is None:
        top_n = config.top_n_per_area
    elif isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise RuleInputError("top_n", "Enter how many to show in each area as a whole number of at least 1")
    if area_ids is not None:
        if any(isinstance(a, bool) or not isinstance(a, int) for a in area_ids):
            raise RuleInputError("area_ids", "Give the local authority areas by their ids, as whole numbers")
        if not area_ids:
            return []
    sql, params = ranking_sql(config, as_of, area_ids=area_ids, serial_only=serial_only, top_n=top_n)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        RankedPerpetrator(
            person_id=row[0],
            area_id=row[1],
            recency=int(row[2]),
            frequency=int(row[3]),
            gravity=int(row[4]),
            victims=int(row[5]),
            total=int(row[6]),
            records=int(row[7]),
            distinct_victims=int(row[8]),
            latest_at=_aware(row[9]),
            rank_in_area=int(row[10]),
            serial=bool(row[11]),
        )
        for row in rows
    ]


def records_for(person_id: int) -> list[rfg.DaRecord]:
    """Every domestic-abuse record of a person as perpetrator, as the rule reads them (victims by person id)."""
    incidents = (
        Incident.objects.filter(domestic_abuse=True, people__person_id=person_id, people__role=IncidentRole.PERPETRATOR)
        .select_related("offence")
        .order_by("occurred_at", "pk")
    )
    victims: dict[int, set[str]] = {}
    under_16: dict[int, set[str]] = {}
    for incident_id, victim_id, occurred_at, born in (
        IncidentPerson.objects.filter(incident__in=incidents, role=IncidentRole.VICTIM)
        .exclude(person_id=person_id)
        .values_list("incident_id", "person_id", "incident__occurred_at", "person__date_of_birth")
    ):
        victims.setdefault(incident_id, set()).add(str(victim_id))
        if born is not None and rfg.age_on(born, timezone.localdate(occurred_at)) < rfg.DA_ACT_MIN_AGE:
            under_16.setdefault(incident_id, set()).add(str(victim_id))
    return [
        rfg.DaRecord(
            occurred_on=timezone.localdate(i.occurred_at),
            offence_code=i.offence.code if i.offence else None,
            victims=frozenset(victims.get(i.pk, ())),
            area=i.local_area_id,
            occurred_at=i.occurred_at,
            record_id=i.pk,
            victims_under_16=frozenset(under_16.get(i.pk, ())),
        )
        for i in incidents
    ]


def score_person(person_id: int, as_of: dt.date, config: rfg.RfgConfig | None = None) -> rfg.RfgScore:
    """One person's RFG score with its working (the rule itself, on their records)."""
    dob = Person.objects.filter(pk=person_id).values_list("date_of_birth", flat=True).first()
    return rfg.score_perpetrator(records_for(person_id), as_of=as_of, date_of_birth=dob, config=config)
