"""Build a whole fictional force area for a seed: the entry point of `manage.py generate_world`.

The same seed and sizes give the same people, identifiers and records (dates
are relative to the day it runs, so that reviews fall due around "today").
Everything is written in one transaction, with one audit event for the run
recorded against a system user: generated records have no per-record audit
or history, as no person created them. The workforce (training records,
waiting lists, buddies, caseload history, the demo team journey 9 walks
through) comes from ``workforce``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from faker import Faker

from safeguard.access import gate
from safeguard.access.system import SYSTEM_USERNAME  # noqa: F401  (the demo names its system user)
from safeguard.access.system import system_staff as system_user
from safeguard.audit.models import AuditEvent, Operation
from safeguard.events.models import Incident
from safeguard.offenders import due_dates
from safeguard.offenders.models import Nominal
from safeguard.people import retention
from safeguard.people.models import Person
from safeguard.workforce.models import CoursePlace

from . import (
    bulk,
    duplicates,
    forums,
    incidents,
    network,
    nominals,
    notifications,
    organisation,
    oversight,
    pathways,
    workforce,
)
from .people import PeopleRows

RECORD_TYPE = "demo.world"
INCIDENTS_PER_NOMINAL = 10
# People entered a second time by another agency, with slips (demo.duplicates): for the matching review queue.
DUPLICATE_SHARE = 0.01

Progress = Callable[[str, int, int], None]


def existing_world(seed: int, nominal_count: int, incident_count: int) -> AuditEvent | None:
    """The audit event of an earlier run with this seed and these sizes, if there was one."""
    for event in AuditEvent.objects.filter(record_type=RECORD_TYPE, operation=Operation.CREATE):
        d = event.detail or {}
        if (d.get("seed"), d.get("nominals"), d.get("incidents")) == (seed, nominal_count, incident_count):
            return event
    return None


def made_on() -> dt.date | None:
    """The day the newest world in this database was generated (its dates are relative to it), if any was."""
    event = AuditEvent.objects.filter(record_type=RECORD_TYPE, operation=Operation.CREATE).order_by("-at").first()
    return timezone.localdate(event.at) if event is not None else None


def generate(seed: int, nominal_count: int, incident_count: int | None = None, progress: Progress | None = None):
    """Generate the world and return the counts written (the detail of its audit event)."""
    if incident_count is None:
        incident_count = nominal_count * INCIDENTS_PER_NOMINAL
    say = progress or (lambda stage, done, total: None)
    started = time.monotonic()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    today = timezone.localdate()
    with transaction.atomic():
        org = organisation.build_areas_and_agencies(seed)
        area_settings = workforce.area_settings(org)
        organisation.build_forums(org, today)
        organisation.build_staff(org, nominal_count, rng, fake, today)
        say("staff", org.staff_count, org.staff_count)
        book = nominals.OffenceBook()
        people = PeopleRows(rng=rng, area_id=org.mappa.pk, first_id=bulk.next_id(Person), today=today)
        noms = nominals.build(rng, org, people, book, nominal_count, bulk.next_id(Nominal), today)
        say("nominals", nominal_count, nominal_count)
        events = incidents.build(
            rng, org, people, book, noms, incident_count, bulk.next_id(Incident), today, progress=say
        )
        events.forum_cases += incidents.mappa_forum_cases(org, noms, today)
        say("incidents", len(events.incidents), incident_count)
        counts = {"seed": seed, "nominals": nominal_count, "incidents": incident_count}
        counts["entered_twice"] = duplicates.plant(people, random.Random(f"{seed}:duplicates"), DUPLICATE_SHARE)
        staff = workforce.build(
            random.Random(f"{seed}:workforce"), org, today, system_user().pk, bulk.next_id(CoursePlace)
        )
        staff.snapshots = workforce.snapshot_rows(
            noms.rows,
            nominals.NOMINAL_FIELDS,
            {pk: (org.teams[p.team_key].pk, p.joined_on) for pk, p in org.officers.items()},
            org.mappa.pk,
            area_settings.caseload_settings(),
            today,
        )
        say("training records and caseload history", len(staff.completions), len(staff.completions))
        for model, fields, rows in (*people.tables(), *noms.tables(), *events.tables(), *staff.tables()):
            label = model._meta.label_lower
            written = bulk.insert(model, fields, rows)
            counts[label] = written
            say(f"wrote {label}", written, written)
        bulk.reset_sequences([Person, Nominal, Incident, CoursePlace])
        bulk.refresh_statistics()
        counts["notifications"] = notifications.build(rng, system_user().pk, today)
        counts["due_dates"] = due_dates.recompute_all(today, force=True)
        counts["retention"] = retention.recompute_all()
        say("due dates and retention worked out", counts["due_dates"], counts["due_dates"])
        counts["forums"] = forums.build(org, today, system_user())
        counts["right_to_know"] = network.build(noms.tour_person_id, today)
        say("forums, referrals, actions and prompts", 1, 1)
        counts["oversight"] = oversight.build(org, random.Random(f"{seed}:oversight"), system_user(), today)
        counts["marac_returns"] = oversight.build_marac_returns(
            org, random.Random(f"{seed}:marac-returns"), system_user(), today
        )
        counts["pathways"] = pathways.build(org, today)
        say("programmes, a release checklist and a peer observation", 1, 1)
        bulk.refresh_statistics()  # the forums, returns and pathways filled tables that were empty before
        counts["figure_snapshots"] = oversight.take_month_end_snapshots(today)
        say("last month's figures kept as at its end", counts["figure_snapshots"], counts["figure_snapshots"])
        counts.update(
            {
                "people": people.count,
                "perpetrators": events.perpetrators,
                "serial_perpetrators": events.serial_perpetrators,
                "victims": events.victims,
                "children": events.children,
                "staff": org.staff_count,
                "tour_person_id": noms.tour_person_id,
                "seconds": round(time.monotonic() - started, 1),
            }
        )
        gate.audit_system(Operation.CREATE, RECORD_TYPE, None, "synthetic world generated", counts)
    return counts
