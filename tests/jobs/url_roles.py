"""Role cases for a background job's pages (collected by tests/access/test_url_matrix.py).

A job is followed by whoever started it, a supervisor of their team and the MAPPA coordinator of their
area (jobs.policies). The matrix's job is the supervisor's monthly pack, done, with its file.
"""

from __future__ import annotations

from django.utils import timezone

from safeguard.jobs.models import Job
from tests.url_matrix import RoleCase

ALLOWED = ("supervisor", "coordinator")
REFUSED = ("om", "om2", "analyst", "chair", "marac", "idva", "partner", "admin", "away_om", "norole")


def matrix_job(world) -> Job:
    supervisor = world.users.supervisor
    job, _ = Job.objects.get_or_create(
        kind=Job.Kind.MONTHLY_PACK,
        started_by=supervisor,
        defaults={
            "team_id": supervisor.team_id,
            "area_id": supervisor.mappa_area_id,
            "purpose": "supervision",
            "status": Job.Status.DONE,
            "unit": "steps",
            "done": 2,
            "total": 2,
            "message": "The monthly pack is ready to download (CSV).",
            "output": b"Team,Nominals\r\n",
            "output_name": "workforce-pack-official-sensitive.csv",
            "output_type": "text/csv; charset=utf-8",
            "started_at": timezone.now(),
            "finished_at": timezone.now(),
        },
    )
    return job


def _kwargs(world) -> dict:
    return {"pk": matrix_job(world).pk}


def _record(world) -> tuple[str, int]:
    return ("jobs.job", matrix_job(world).pk)


CASES = [
    RoleCase("jobs:job", allowed=ALLOWED, refused=REFUSED, kwargs=_kwargs, record=_record),
    # A finished job answers its poll with 286: htmx stops polling.
    RoleCase("jobs:progress", allowed=ALLOWED, refused=REFUSED, kwargs=_kwargs, ok_status=(286,)),
    RoleCase("jobs:download", allowed=ALLOWED, refused=REFUSED, kwargs=_kwargs, record=_record),
]
