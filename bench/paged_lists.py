"""Paged lists at national size (web/lists.py): every page one bounded query and one capped count.

    .venv/bin/python bench/paged_lists.py --database-url postgres://postgres@127.0.0.1:5432/safeguard

Runs on bench/run.py's world (100,000 nominals and 1,000,000 incidents by default, generated once and
found again by its seed and sizes; ``--nominals``/``--incidents`` for a small one) and measures, in one
process with Django's test client (the full middleware stack, the gate and its audit writes included), the
p50 and p95 of:

- my work as the area's MAPPA coordinator (``coordinator.demo``: every Level 2 and 3 nominal of the area,
  and those waiting to be allocated): page 1 nearest due first; a deep page (page 20, or the last);
  sorted by name, last page first; filtered to the overdue;
- the daily triage board (today's, opened once by the MARAC coordinator when it is not open yet): page 1
  and sorted by when, filtered to the ungraded;
- person search by a common family name alone (bounded; says when it stopped);
- a supervisor's team caseloads (``supervisor.demo``);
- the referrals list (coordinator) and our agency's actions (``om.demo``);
- the workforce lists as the MAPPA coordinator (who sees the whole area): the officers of the area's
  largest team on its caseloads page (first page, last page); the training page over the area's officers,
  their waiting lists and places (first page, a deep page); an allocation batch of every nominal of the area
  waiting for an offender manager (the coordinator's latest such batch, worked out once when there is none):
  its recommendations, first page and a deep page sorted by RoSH.

Target (the issue's): p95 at most 150 ms for each paged list. Figures are printed as JSON (and written to
--output when given); bench/run.py adds them to docs/benchmarks.md. Each figure says how the cores spent its
measure (bench/machine.py: at normal priority, at low priority, idle), so a figure taken beside other work can
be told apart. ``--only training`` (names or their beginnings, comma-separated) measures only those lists, and
prepares nothing for the others (no triage opened, no allocation batch worked out). Benchmarks are not tests:
nothing here asserts a time.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150.0
WARM_UP = 5
DEEP_PAGE = 20


def _measure(client, path: str, iterations: int, budget: float, method: str = "get", data=None) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import machine
    from run import measure_calls

    call = (lambda: client.post(path, data)) if method == "post" else (lambda: client.get(path))
    before = machine.cpu_times()
    figures = measure_calls(call, iterations, budget, WARM_UP)
    share = machine.cpu_share(before, machine.cpu_times())
    return {**figures, "path": path, "target_p95_ms": TARGET_P95_MS, "cpu_share": share}


# The names of the measures, by the part of measure_lists that prepares them (for --only).
GROUPS = {
    "coordinator": (
        "my_work_page_1",
        "my_work_deep_page",
        "my_work_by_name_descending",
        "my_work_overdue",
        "referrals",
    ),
    "triage": ("triage_page_1", "triage_by_when_ungraded"),
    "caseloads": ("caseloads", "agency_actions", "team_officers_page_1", "team_officers_last_page"),
    "training": ("training_page_1", "training_deep_page"),
    "batch": ("batch_page_1", "batch_deep_page"),
    "search": ("search_family_name",),
}


def _selected(only: str | None) -> set[str]:
    """The measures ``--only`` names (each a name or its beginning); every measure without it."""
    names = {name for group in GROUPS.values() for name in group}
    if not only:
        return names
    asked = [a.strip() for a in only.split(",") if a.strip()]
    chosen = {name for name in names if any(name.startswith(a) for a in asked)}
    if not chosen:
        raise SystemExit(f"--only {only!r} names no measure: choose from {', '.join(sorted(names))}")
    return chosen


def _coordinator_sections() -> dict:
    """How many rows the coordinator's sections hold (the pages the deep-page figure can reach)."""
    from safeguard.access import gate
    from safeguard.offenders.models import Nominal
    from safeguard.web import my_work
    from safeguard.workforce.models import Staff

    user = Staff.objects.get(username="coordinator.demo")
    visible = gate.scoped(user, Nominal.objects.filter(status=Nominal.Status.ACTIVE))
    return {key: queryset.count() for key, _title, queryset in my_work.section_queries(user, visible)}


def todays_triage() -> int | None:
    """Today's triage meeting of the area, opened once by the MARAC coordinator; on a day the triage does
    not meet, its latest meeting with cases (None when it has none)."""
    from django.core.exceptions import ValidationError
    from django.db.models import Count
    from django.utils import timezone

    from safeguard.access.gate import AccessContext
    from safeguard.meetings.models import Forum, Meeting
    from safeguard.triage import services
    from safeguard.workforce.models import Staff

    marac = Staff.objects.get(username="marac.demo")
    forum = Forum.objects.filter(kind=Forum.Kind.DAILY_TRIAGE, area_id=marac.mappa_area_id).first()
    if forum is None:
        return None
    day = services.day_of(forum, timezone.localdate())
    if day.meeting is not None:
        return day.meeting.pk
    try:
        ctx = AccessContext(user=marac, purpose="victim_safeguarding")
        return services.open_day(ctx, forum, timezone.localdate()).meeting.pk
    except ValidationError:
        latest = (
            Meeting.objects.filter(forum=forum)
            .annotate(n=Count("triage_cases"))
            .filter(n__gt=0)
            .order_by("-starts_at")
            .first()
        )
        return latest.pk if latest else None


def _largest_team() -> tuple[int | None, int]:
    """The coordinator's area's team with the most active offender managers, and how many it has."""
    from django.db.models import Count, Q

    from safeguard.workforce.models import Role, Staff, Team

    area = Staff.objects.get(username="coordinator.demo").mappa_area_id
    officers = Count(
        "staff",
        filter=Q(staff__is_active=True, staff__roles__icontains=f'"{Role.OFFENDER_MANAGER.value}"'),
    )
    team = (
        Team.objects.filter(Q(area_id=area) | Q(area__parent_id=area))
        .annotate(officers=officers)
        .order_by("-officers", "pk")
        .first()
    )
    return (team.pk, team.officers) if team else (None, 0)


def _training_officers() -> int:
    """How many officers the coordinator's training page lists (the deep page's reach)."""
    from safeguard.workforce.models import Staff
    from safeguard.workforce.views.training import _listed

    return _listed(Staff.objects.get(username="coordinator.demo")).count()


def allocation_batch() -> tuple[int | None, int]:
    """The coordinator's latest batch of the area's unallocated nominals, worked out once when there is none
    (seconds at national size); its pk and how many recommendations it holds."""
    from django.db.models import Count

    from safeguard.access.gate import AccessContext
    from safeguard.workforce.models import AllocationBatch, Area, Staff
    from safeguard.workforce.services import allocation

    coordinator = Staff.objects.get(username="coordinator.demo")
    batches = AllocationBatch.objects.filter(created_by=coordinator, team=None).annotate(n=Count("recommendations"))
    found = batches.filter(n__gt=0).order_by("-pk").first()
    if found is None:
        ctx = AccessContext(user=coordinator, purpose="offender_management")
        area = Area.objects.get(pk=coordinator.mappa_area_id)
        try:
            made = allocation.start_batch(ctx, allocation.BatchRequest(kind=allocation.UNALLOCATED, area=area))
        except allocation.NothingToAllocate:
            return None, 0
        found = batches.get(pk=made.pk)
    return found.pk, found.n


def _common_family_name() -> str:
    from django.db.models import Count

    from safeguard.people.models import Person

    row = Person.objects.values("family_name").annotate(n=Count("pk")).order_by("-n").first()
    return row["family_name"] if row else "Smith"


def measure_lists(iterations: int = 100, budget: float = 60.0, only: str | None = None) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import signed_in_client

    chosen = _selected(only)

    def wanted(group: str) -> bool:
        return bool(chosen & set(GROUPS[group]))

    coordinator = signed_in_client("coordinator.demo")
    results: dict = {}
    measures = {}
    if wanted("coordinator"):
        sections = _coordinator_sections()
        results["coordinator_sections"] = sections
        levels = sections.get("levels", 0)
        deep = max(1, min(DEEP_PAGE, -(-levels // 50)))
        measures.update(
            {
                "my_work_page_1": (coordinator, "/"),
                "my_work_deep_page": (coordinator, f"/?levels-page={deep}#levels"),
                "my_work_by_name_descending": (coordinator, "/?levels-sort=name&levels-order=descending&levels-page=2"),
                "my_work_overdue": (coordinator, "/?due=overdue"),
                "referrals": (coordinator, "/referrals/?status=all"),
            }
        )
    meeting = todays_triage() if wanted("triage") else None
    if meeting is not None:
        marac = signed_in_client("marac.demo")
        measures["triage_page_1"] = (marac, f"/triage/meetings/{meeting}/")
        measures["triage_by_when_ungraded"] = (marac, f"/triage/meetings/{meeting}/?sort=when&grade=ungraded")
        from safeguard.triage.models import TriageCase

        results["triage_cases"] = TriageCase.objects.filter(meeting_id=meeting).count()
    if wanted("caseloads"):
        measures["caseloads"] = (signed_in_client("supervisor.demo"), "/workforce/caseloads/")
        measures["agency_actions"] = (signed_in_client("om.demo"), "/actions/agency/?sort=about")
        team, team_officers = _largest_team()
        results["largest_team_officers"] = team_officers
        if team is not None:
            last = max(1, -(-team_officers // 50))
            measures["team_officers_page_1"] = (coordinator, f"/workforce/caseloads/?team={team}")
            measures["team_officers_last_page"] = (
                coordinator,
                f"/workforce/caseloads/?team={team}&sort=officer&page={last}",
            )
    if wanted("training"):
        trained = _training_officers()
        results["training_officers"] = trained
        measures["training_page_1"] = (coordinator, "/workforce/training/")
        deep_training = max(1, min(DEEP_PAGE, -(-trained // 50)))
        measures["training_deep_page"] = (coordinator, f"/workforce/training/?sort=team&page={deep_training}")
    if wanted("batch"):
        print("  an allocation batch of the area's unallocated nominals (worked out once)", file=sys.stderr, flush=True)
        batch, recommendations = allocation_batch()
        results["batch_recommendations"] = recommendations
        if batch is not None:
            deep_batch = max(1, min(DEEP_PAGE, -(-recommendations // 50)))
            measures["batch_page_1"] = (coordinator, f"/workforce/allocation/{batch}/")
            measures["batch_deep_page"] = (
                coordinator,
                f"/workforce/allocation/{batch}/?sort=rosh&order=descending&page={deep_batch}",
            )
    for name, (client, path) in measures.items():
        if name not in chosen:
            continue
        print(f"  {name}: {path}", file=sys.stderr, flush=True)
        results[name] = _measure(client, path, iterations, budget)
    if wanted("search"):
        family = _common_family_name()
        om = signed_in_client("om.demo")
        print(f"  search by a family name alone ({family})", file=sys.stderr, flush=True)
        results["search_family_name"] = _measure(om, "/search/", iterations, budget, "post", {"q": family})
    return results


def main(argv=None) -> None:
    import argparse
    import functools

    sys.path.insert(0, str(ROOT / "bench"))
    import run

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--only", default=None, help="Measure only these lists (names or their beginnings).")
    known, rest = parser.parse_known_args(argv)
    if known.only:
        _selected(known.only)  # an unknown name stops here, before the world is opened
    measure = functools.partial(measure_lists, only=known.only)
    run.main_on_world(__doc__.splitlines()[0], measure, nominals=100_000, iterations=100, budget=60.0, argv=rest)


if __name__ == "__main__":
    main()
