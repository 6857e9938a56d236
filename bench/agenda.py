"""Benchmark: building one meeting's agenda (target: at most 500 ms on a national-size world).

A national-size set of forum records of its own, on PostgreSQL: 250,000
nominals (2.5% at Level 2, 0.5% at Level 3) across ten MAPPA areas of five
local areas each, and 50 forums (in each area a MAPPA Level 2 and a Level 3
forum, two MARACs and a MATAC). Level 2 and 3 nominals have cases on their
area's MAPPA forum with their review dates; each MARAC holds 2,000 open
victim cases with three domestic-abuse incidents each (a child present at
four in ten); each MATAC 200 perpetrator cases. 10,000 open actions and
20,000 completed ones, accepted referrals waiting to be listed, and two years
of past meetings whose heard items set a next review. Rows are written with
COPY (``safeguard.demo.bulk``), once: a second run finds them again.

Measured: ``meetings.services.agenda.build_agenda`` for one meeting of each
kind of forum, as the forum's coordinator (the gate, the candidates, the
rule, the writes, the referrals listed, the audit), each run inside a
transaction rolled back afterwards so every run builds from the same state;
and ``gather`` alone, with its query count. The time spent listing the
referrals (``referrals.services.list_referral``, one call per referral, the
referrals part's code) is shown apart. Importable (``measure_agenda``)
and runnable alone:

    .venv/bin/python bench/agenda.py --database-url postgres://postgres@127.0.0.1:5432/sg_meetings_bench

Figures are printed (and returned); benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sg_meetings_bench"
TARGET_MS = 500.0
MARKER = "bench.agenda"
SIZES = {
    "areas": 10,
    "locals_per_area": 5,
    "nominals": 250_000,
    "marac_cases_per_forum": 2_000,
    "matac_cases_per_forum": 200,
    "open_actions": 10_000,
    "complete_actions": 20_000,
    "past_meetings_per_forum": 26,
    "items_per_past_meeting": 16,
    "accepted_referrals_per_forum": 12,
}
RUNS = 15
WARM_UP = 2


class Ids:
    """Consecutive ids for one table, starting after whatever it holds."""

    def __init__(self, model):
        from safeguard.demo import bulk

        self.next = bulk.next_id(model)

    def take(self, n: int = 1) -> range:
        start = self.next
        self.next += n
        return range(start, start + n)


def insert(model, fields: list[str], rows: list[tuple]) -> int:
    """``demo.bulk.insert``, with every other NOT NULL column given its default ("" for text, JSON as JSONB)."""
    from django.db import models
    from psycopg.types.json import Jsonb

    from safeguard.demo import bulk

    extra_fields, extra_values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.name in fields or field.attname in fields:
            continue
        if field.has_default():
            value = field.default() if callable(field.default) else field.default
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            continue
        extra_fields.append(field.name)
        extra_values.append(value)

    def adapt(value):
        return Jsonb(value) if isinstance(value, dict | list) else value

    completed = (tuple(adapt(v) for v in (*row, *extra_values)) for row in rows)
    return bulk.insert(model, [*fields, *extra_fields], completed)


def existing() -> bool:
    from safeguard.audit.models import AuditEvent

    return AuditEvent.objects.filter(record_type=MARKER).exists()


def _organisation(seed: int):
    """The areas, their local areas, agencies, coordinators and forums of the synthetic world."""
    from django.contrib.auth.hashers import make_password

    from safeguard.meetings.models import Forum
    from safeguard.workforce.models import Agency, Area, Role, Staff

    areas, locals_by_area, agencies, coordinators = [], {}, {}, {}
    for a in range(SIZES["areas"]):
        mappa = Area.objects.create(name=f"Bench MAPPA area {a}", code=f"bench-mappa-{a}-{seed}", kind="mappa")
        areas.append(mappa)
        locals_by_area[mappa.pk] = [
            Area.objects.create(
                name=f"Bench local {a}.{k}",
                code=f"bench-local-{a}-{k}-{seed}",
                kind="local_authority",
                parent=mappa,
            )
            for k in range(SIZES["locals_per_area"])
        ]
        agencies[mappa.pk] = {
            kind: Agency.objects.create(
                name=f"Bench {kind} {a}", code=f"bench-{kind}-{a}-{seed}", kind=kind, area=mappa
            )
            for kind in ("police", "probation", "housing", "idva_service")
        }
        for role in (Role.MAPPA_COORDINATOR, Role.MARAC_COORDINATOR):
            coordinators[(mappa.pk, role)] = Staff.objects.create(
                username=f"bench-{role}-{a}-{seed}",
                agency=agencies[mappa.pk]["police"],
                roles=[role],
                password=make_password(None),
            )
    forums: dict[int, dict[str, list]] = {}
    for mappa in areas:
        kinds = {"mappa_l2": 1, "mappa_l3": 1, "marac": 2, "matac": 1}
        forums[mappa.pk] = {}
        for kind, n in kinds.items():
            for k in range(n):
                forum = Forum.objects.create(name=f"Bench {kind} {mappa.pk}.{k}", kind=kind, area=mappa)
                forum.member_agencies.set(agencies[mappa.pk].values())
                forums[mappa.pk].setdefault(kind, []).append(forum)
    return areas, locals_by_area, agencies, coordinators, forums


def _past_meetings(rng, all_forums, cases_by_forum: dict, now) -> tuple[list, list]:
    """Past meetings of every forum, each with heard items that set a next review, and next week's meeting."""
    from django.utils import timezone

    from safeguard.meetings.models import AgendaItem, Meeting

    meeting_ids, item_ids = Ids(Meeting), Ids(AgendaItem)
    meeting_rows, item_rows = [], []
    for forum in all_forums:
        cases = cases_by_forum[forum.pk]
        for m in range(SIZES["past_meetings_per_forum"]):
            (mid,) = meeting_ids.take()
            held_on = now - dt.timedelta(days=28 * (m + 1))
            meeting_rows.append((mid, forum.pk, held_on, "held", "", None))
            for position, (case_id, person_id) in enumerate(
                rng.sample(cases, min(len(cases), SIZES["items_per_past_meeting"])), start=1
            ):
                (iid,) = item_ids.take()
                review = timezone.localdate(held_on) + dt.timedelta(weeks=rng.choice((4, 8, 12)))
                item_rows.append((iid, mid, position, "review", "Review due", case_id, person_id, "heard", review))
        (mid,) = meeting_ids.take()  # the meeting measured: next week
        meeting_rows.append((mid, forum.pk, now + dt.timedelta(days=7), "scheduled", "", None))
    return meeting_rows, item_rows


def generate(seed: int = 2026) -> dict:
    """Write the synthetic forum world (see the module docstring); returns its counts."""
    from django.db import transaction
    from django.utils import timezone

    from safeguard.access.gate import AccessContext
    from safeguard.access.gate import _write_event as write_event  # seeding past events, as the gate wrote them
    from safeguard.actions.models import Action
    from safeguard.audit.models import Operation, Outcome
    from safeguard.demo import bulk
    from safeguard.events.models import Incident, IncidentPerson
    from safeguard.meetings.models import AgendaItem, ForumCase, Meeting
    from safeguard.offenders.models import Nominal
    from safeguard.people.models import Person
    from safeguard.referrals.models import Referral
    from safeguard.workforce.models import Role, Staff

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    started = time.monotonic()
    counts: dict[str, int] = {}
    with transaction.atomic():
        areas, locals_by_area, agencies, coordinators, forums = _organisation(seed)
        counts["forums"] = sum(len(v) for f in forums.values() for v in f.values())

        person_ids, nominal_ids = Ids(Person), Ids(Nominal)
        case_ids, incident_ids, link_ids = Ids(ForumCase), Ids(Incident), Ids(IncidentPerson)
        person_rows, nominal_rows, case_rows, incident_rows, link_rows = [], [], [], [], []
        cases_by_forum: dict[int, list[tuple[int, int]]] = {}

        def person(area_id: int, dob: dt.date | None) -> int:
            (pk,) = person_ids.take()
            person_rows.append((pk, "Bench", f"Person{pk}", dob, area_id, now, now))
            return pk

        def open_case(forum, person_id: int, opened_on: dt.date) -> int:
            (pk,) = case_ids.take()
            case_rows.append((pk, forum.pk, person_id, opened_on, None))
            cases_by_forum.setdefault(forum.pk, []).append((pk, person_id))
            return pk

        per_area = SIZES["nominals"] // SIZES["areas"]
        for mappa in areas:
            police = agencies[mappa.pk]["police"]
            for _ in range(per_area):
                draw = rng.random()
                level = 3 if draw < 0.005 else 2 if draw < 0.03 else 1
                pid = person(mappa.pk, dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(15_000)))
                (nid,) = nominal_ids.take()
                review = today + dt.timedelta(days=rng.randrange(-30, 112)) if level > 1 else None
                nominal_rows.append(
                    (
                        nid,
                        f"BEN-{nid:07d}",
                        pid,
                        "2",
                        level,
                        "active",
                        "community",
                        "high" if level > 1 else "medium",
                        False,
                        police.pk,
                        rng.choice(locals_by_area[mappa.pk]).pk,
                        today - dt.timedelta(days=400),
                        review,
                    )
                )
                if level > 1:
                    forum = forums[mappa.pk]["mappa_l2" if level == 2 else "mappa_l3"][0]
                    open_case(forum, pid, today - dt.timedelta(days=rng.randrange(20, 700)))
            for marac in forums[mappa.pk]["marac"]:
                for _ in range(SIZES["marac_cases_per_forum"]):
                    victim = person(mappa.pk, dt.date(1975, 1, 1) + dt.timedelta(days=rng.randrange(12_000)))
                    open_case(marac, victim, today - dt.timedelta(days=rng.randrange(0, 400)))
                    for _ in range(3):
                        (iid,) = incident_ids.take()
                        incident_rows.append(
                            (
                                iid,
                                f"BEN/{iid:08d}",
                                now - dt.timedelta(days=rng.randrange(1, 700)),
                                locals_by_area[mappa.pk][0].pk,
                                True,
                                police.pk,
                                now,
                            )
                        )
                        (lid,) = link_ids.take()
                        link_rows.append((lid, iid, victim, "victim"))
                        if rng.random() < 0.4:
                            child = person(mappa.pk, today - dt.timedelta(days=rng.randrange(365, 6_500)))
                            (lid,) = link_ids.take()
                            link_rows.append((lid, iid, child, "child_present"))
            matac = forums[mappa.pk]["matac"][0]
            for _ in range(SIZES["matac_cases_per_forum"]):
                perpetrator = person(mappa.pk, dt.date(1980, 1, 1))
                open_case(matac, perpetrator, today - dt.timedelta(days=rng.randrange(0, 400)))

        counts["people"] = insert(
            Person,
            ["id", "given_name", "family_name", "date_of_birth", "area", "created_at", "updated_at"],
            person_rows,
        )
        counts["nominals"] = insert(
            Nominal,
            [
                "id",
                "reference",
                "person",
                "mappa_category",
                "management_level",
                "status",
                "location",
                "rosh",
                "registered_sex_offender",
                "lead_agency",
                "local_area",
                "managed_from",
                "mappa_review_due",
            ],
            nominal_rows,
        )
        counts["forum_cases"] = insert(ForumCase, ["id", "forum", "person", "opened_on", "closed_on"], case_rows)
        counts["incidents"] = insert(
            Incident,
            ["id", "reference", "occurred_at", "local_area", "domestic_abuse", "recorded_by", "created_at"],
            incident_rows,
        )
        counts["incident_people"] = insert(IncidentPerson, ["id", "incident", "person", "role"], link_rows)

        all_forums = [forum for by_kind in forums.values() for group in by_kind.values() for forum in group]
        coordinator_of = {
            forum.pk: coordinators[
                (forum.area_id, Role.MAPPA_COORDINATOR if forum.kind.startswith("mappa") else Role.MARAC_COORDINATOR)
            ]
            for forum in all_forums
        }

        # Past meetings, each with heard items that set a next review.
        meeting_rows, item_rows = _past_meetings(rng, all_forums, cases_by_forum, now)
        counts["meetings"] = insert(
            Meeting, ["id", "forum", "starts_at", "status", "status_reason", "scheduled_for"], meeting_rows
        )
        counts["agenda_items"] = insert(
            AgendaItem,
            ["id", "meeting", "position", "section", "why", "forum_case", "person", "outcome", "next_review_on"],
            item_rows,
        )

        action_ids = Ids(Action)
        action_rows = []
        flat_cases = [(forum, case) for forum in all_forums for case in cases_by_forum[forum.pk]]
        for status, n in (("open", SIZES["open_actions"]), ("complete", SIZES["complete_actions"])):
            for forum, (case_id, person_id) in rng.choices(flat_cases, k=n):
                (aid,) = action_ids.take()
                due = today + dt.timedelta(days=rng.randrange(-60, 30))
                action_rows.append(
                    (
                        aid,
                        forum.pk,
                        case_id,
                        person_id,
                        "Bench action",
                        agencies[forum.area_id]["housing"].pk,
                        due,
                        status,
                        coordinator_of[forum.pk].pk,
                        now,
                    )
                )
        counts["actions"] = insert(
            Action,
            [
                "id",
                "forum",
                "forum_case",
                "person",
                "description",
                "owner_agency",
                "due_on",
                "status",
                "created_by",
                "created_at",
            ],
            action_rows,
        )

        referral_ids = Ids(Referral)
        referral_rows = []
        for forum in all_forums:
            kind = "mappa" if forum.kind.startswith("mappa") else forum.kind
            for case_id, person_id in rng.sample(cases_by_forum[forum.pk], SIZES["accepted_referrals_per_forum"]):
                (rid,) = referral_ids.take()
                referral_rows.append(
                    (
                        rid,
                        kind,
                        forum.pk,
                        person_id,
                        "accepted",
                        agencies[forum.area_id]["police"].pk,
                        coordinator_of[forum.pk].pk,
                        now,
                        now,
                        now - dt.timedelta(days=2),
                        case_id,
                        [{"date_of_birth": "2018-01-01"}] if rng.random() < 0.5 and kind == "marac" else [],
                    )
                )
        counts["referrals"] = insert(
            Referral,
            [
                "id",
                "kind",
                "forum",
                "person",
                "status",
                "referring_agency",
                "referred_by",
                "created_at",
                "status_since",
                "decided_at",
                "forum_case",
                "children",
            ],
            referral_rows,
        )
        bulk.reset_sequences(
            [Person, Nominal, ForumCase, Incident, IncidentPerson, Meeting, AgendaItem, Action, Referral]
        )
        counts["seconds"] = round(time.monotonic() - started, 1)
        write_event(
            AccessContext.system(Staff(username="bench")),
            Operation.CREATE,
            MARKER,
            None,
            Outcome.ALLOWED,
            "synthetic forum world generated",
            counts,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 1),
        "p95": round(p95, 1),
        "max": round(max(ordered), 1),
    }


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def _timing(module, name: str, spent: list[float]):
    """Time every call of ``module.name`` into ``spent[0]`` (ms) while inside; restored after."""
    original = getattr(module, name)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += (time.perf_counter() - start) * 1000

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, original)


def measure_agenda(runs: int = RUNS) -> dict:
    """Build one meeting's agenda of each kind of forum, ``runs`` times each, every run rolled back."""
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from safeguard.access.gate import AccessContext
    from safeguard.meetings.models import Forum, Meeting
    from safeguard.meetings.services import agenda
    from safeguard.workforce.models import Role, Staff

    if not existing():
        print("Generating the forum world (once)", file=sys.stderr, flush=True)
        generation = generate()
    else:
        generation = {"found": True}
    results: dict = {"target_ms": TARGET_MS, "generation": generation}
    for kind in ("mappa_l2", "mappa_l3", "marac", "matac"):
        forum = (
            Forum.objects.filter(kind=kind, name__startswith="Bench ")
            .annotate(n=Count("cases"))
            .order_by("-n", "pk")
            .first()
        )
        meeting = Meeting.objects.select_related("forum").get(forum=forum, status="scheduled")
        role = Role.MAPPA_COORDINATOR if kind.startswith("mappa") else Role.MARAC_COORDINATOR
        user = Staff.objects.select_related("agency__area").get(
            agency__area_id=forum.area_id, roles__icontains=f'"{role.value}"', username__startswith="bench-"
        )
        ctx = AccessContext(user=user, purpose="forum")
        builds, gathers, listings, listed, referrals = [], [], [], 0, 0
        for n in range(runs + WARM_UP):
            spent = [0.0]
            try:
                with transaction.atomic():
                    fresh = Meeting.objects.select_related("forum").get(pk=meeting.pk)
                    with _timing(agenda, "list_referral", spent):
                        start = time.perf_counter()
                        result = agenda.build_agenda(ctx, fresh, expected_version=fresh.version)
                        elapsed = (time.perf_counter() - start) * 1000
                    raise _Rollback
            except _Rollback:
                pass
            if n >= WARM_UP:
                builds.append(elapsed)
                listings.append(spent[0])
                listed, referrals = result.listed, result.referrals_listed
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                gathered = agenda.gather(meeting)
            if n >= WARM_UP:
                gathers.append((time.perf_counter() - start) * 1000)
        results[kind] = {
            "open_cases": forum.n,
            "agenda_items": listed,
            "referrals_listed": referrals,
            "build_ms": _percentiles(builds),
            "of_which_listing_referrals_ms": _percentiles(listings),
            "build_less_listing_ms": _percentiles([b - li for b, li in zip(builds, listings, strict=True)]),
            "gather_ms": _percentiles(gathers),
            "gather_queries": len(captured.captured_queries),
            "kinds_gathered": gathered.queries,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    run.ensure_database(args.database_url, fresh=False)
    run.setup_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import json

    print(json.dumps(measure_agenda(args.runs), indent=2, default=str))


if __name__ == "__main__":
    main()
