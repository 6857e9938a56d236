"""A large allocation batch for the jobs' tests: ``size`` waiting recommendations, every one acceptable.

Built straight as records (no solver): unallocated low-risk nominals of Northtown, each recommended to one
of a few MOSOVO-trained officers of the supervisor's team, none of them near the caseload ratio.
"""

from __future__ import annotations

from safeguard.jobs.models import Job
from safeguard.workforce.models import AllocationBatch, AllocationRecommendation
from tests.workforce.roles_allocation import add_nominal, add_officer, team_of

PER_OFFICER = 20


def big_batch(world, size: int) -> AllocationBatch:
    officers = [add_officer(world, f"bulk{i}", trained=True, last=f"Bulk{i}") for i in range(size // PER_OFFICER + 1)]
    batch = AllocationBatch.objects.create(
        area=world.home["mappa"],
        team=team_of(world),
        description=f"{size} nominals with no offender manager",
        created_by=world.users.supervisor,
        method="highs",
        proven_optimal=True,
        gap=0.0,
        figures={},
    )
    AllocationRecommendation.objects.bulk_create(
        AllocationRecommendation(
            batch=batch,
            nominal=add_nominal(world, rosh="low"),
            recommended_officer=officers[n % len(officers)],
            reasons=["Lowest caseload"],
        )
        for n in range(size)
    )
    return batch


def queued_job(world, batch: AllocationBatch, *, version: int | None = None, user=None) -> Job:
    """An "accept all" job of this batch, queued as the supervisor (not run)."""
    user = user or world.users.supervisor
    waiting = batch.recommendations.count()
    return Job.objects.create(
        kind=Job.Kind.ACCEPT_ALL,
        started_by=user,
        team_id=user.team_id,
        area_id=user.mappa_area_id,
        purpose="supervision",
        params={"batch": batch.pk, "version": batch.version if version is None else version},
        unit="decisions",
        total=waiting,
    )
