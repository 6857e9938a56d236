"""The one background task of the jobs app: run a job. Run by ``manage.py db_worker`` (docs/operations.md)."""

from __future__ import annotations

from django_tasks import task

from . import runner


@task()
def run_job(job_id: int) -> str:
    return runner.run(job_id)
