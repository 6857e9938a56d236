"""The Category 3 prompt scan (2022 joint MAPPA inspection, Recommendation 14), in the database.

Every night (``tasks.category3_scan``; ``manage.py category3_scan --now`` to run
it at once) Safeguard asks, of every domestic-abuse perpetrator, the question
``safeguard.rules.category3.category3_prompt`` answers: a high DASH against
any victim, a repeat MARAC or a MATAC selection in the last 12 months, and no
MAPPA management? When the answer is yes, the area's MAPPA coordinators (those
named on its MAPPA Level 2 and 3 forums; where none is named, every holder of
the role in the area) and the perpetrator's offender manager (when they have
a nominal) each get "consider a Category 3 referral" on their "my work", with
the reasons.

How the facts are found (each one SQL statement over the fact's own table,
never a loop over incidents; a perpetrator with none of these facts in the
window cannot raise a prompt, so the facts are the candidates):

- **High DASH against a victim**: a DASH (adult or young people's version)
  graded high, assessed in the window, not replaced by a correction, joined
  to the perpetrator in one of two ways: (a) the DASH was completed for a
  domestic-abuse incident (``Assessment.incident``) on which the person is
  recorded as perpetrator (and is not the person assessed); (b) the DASH is
  the one a MARAC referral was made from (``Referral.dash``) and the referral
  names the person among its perpetrators (the referral not a draft nor
  withdrawn). A DASH of a victim with no incident and no referral names no
  perpetrator: Safeguard does not guess one from the victim's relationships.
- **MARAC referrals as perpetrator**: MARAC referrals naming the person,
  made (submitted; the record's creation when no submission time is kept) in
  the window, and not a draft, withdrawn or declined; a repeat is the
  referral's ``is_repeat`` flag (set by the referrals app from the MARAC's own
  repeat definition).
- **MATAC selection**: a MATAC nomination of the person accepted or listed,
  whose forum case (if any) is still open.
- **MAPPA management**: the highest level of the person's active nominals;
  an open MAPPA referral is one not declined or withdrawn whose forum case
  (if any) is still open.

The pure rule is then applied to each candidate in Python (thousands, not a
million), and the prompts raised or refreshed in bulk.

A decision either way closes the prompt (``services.decide_prompt``, which
closes the person's other Category 3 prompts with it). It is not raised again
for the same triggers: ``safeguard.rules.category3_decisions.after_decision``
raises it again only when a trigger rests on evidence dated after the day of
the latest decision (a later high DASH, a later MARAC referral, a later MATAC
selection). An open prompt whose person has since come under MAPPA
management (an open MAPPA referral, or an active Level 2 or 3 nominal) is
closed by the scan, saying why. An open prompt whose triggers have aged out
of the window is left for a person to decide: the scan does not close what
someone was asked to consider.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from safeguard.access import gate
from safeguard.access.gate import AccessContext
from safeguard.access.policy import COORDINATOR_ROLE_FOR_FORUM
from safeguard.assessments.models import Assessment, InstrumentCode
from safeguard.audit.models import Operation
from safeguard.events.models import IncidentRole
from safeguard.offenders.models import Nominal
from safeguard.people.models import Person
from safeguard.referrals.models import Referral
from safeguard.rules import category3 as rule
from safeguard.rules import dash
from safeguard.rules.category3_decisions import after_decision
from safeguard.rules.dates import add_months
from safeguard.workforce.models import Agency, Area, Role, Staff

from .models import Prompt
from .prompts import PromptFor, raise_prompts
from .sql import filter_in

DASH_CODES = (InstrumentCode.DASH, InstrumentCode.DASH_YP)
NOT_NAMING = (Referral.Status.DRAFT, Referral.Status.WITHDRAWN)  # a referral in these names no one yet
NOT_COUNTED = (*NOT_NAMING, Referral.Status.DECLINED)  # MARAC referrals that do not count towards a repeat
MATAC_SELECTED = (Referral.Status.ACCEPTED, Referral.Status.LISTED)
MAPPA_CLOSED = (Referral.Status.DECLINED, Referral.Status.WITHDRAWN)


@dataclass
class Gathered:
    """The facts of one perpetrator as the database holds them (all dates in the window)."""

    high_dash_dates: set[dt.date] = field(default_factory=set)
    marac_referrals: dict[int, dt.date] = field(default_factory=dict)  # referral id -> date made
    repeat_dates: set[dt.date] = field(default_factory=set)
    matac_dates: set[dt.date] = field(default_factory=set)
    mappa_level: int | None = None
    open_mappa_referral: bool = False

    def facts(self) -> rule.PerpetratorFacts:
        return rule.PerpetratorFacts(
            high_dash_dates=tuple(sorted(self.high_dash_dates)),
            marac_referral_dates=tuple(sorted(self.marac_referrals.values())),
            repeat_marac_dates=tuple(sorted(self.repeat_dates)),
            matac_selected=bool(self.matac_dates),
            mappa_level=self.mappa_level,
            open_mappa_referral=self.open_mappa_referral,
        )

    def latest_evidence(self) -> dict[str, dt.date | None]:
        referral_dates = [*self.marac_referrals.values(), *self.repeat_dates]
        return {
            "high_dash": max(self.high_dash_dates, default=None),
            "repeat_marac": max(referral_dates, default=None),
            "matac": max(self.matac_dates, default=None),
        }


def _high_dash():
    return Q(
        instrument__code__in=DASH_CODES,
        grade=dash.HIGH,
        superseded_by__isnull=True,
    )


def gather(today: dt.date, window_months: int = rule.WINDOW_MONTHS) -> dict[int, Gathered]:
    """The facts of every perpetrator with a trigger fact in the window, keyed by person id (SQL only)."""
    start = add_months(today, -window_months)
    people: dict[int, Gathered] = defaultdict(Gathered)

    # (a) A high DASH completed for a DA incident that names the person as perpetrator.
    by_incident = (
        Assessment.objects.filter(
            _high_dash(),
            assessed_on__gte=start,
            assessed_on__lte=today,
            incident__domestic_abuse=True,
        )
        .annotate(perpetrator=F("incident__people__person_id"), role=F("incident__people__role"))
        .filter(role=IncidentRole.PERPETRATOR)
        .exclude(perpetrator=F("person_id"))
        .order_by()
        .values_list("perpetrator", "assessed_on")
    )
    # (b) A high DASH a MARAC referral was made from, and the perpetrators the referral names.
    by_referral = (
        Referral.objects.filter(
            kind=Referral.Kind.MARAC,
            dash__instrument__code__in=DASH_CODES,
            dash__grade=dash.HIGH,
            dash__superseded_by__isnull=True,
            dash__assessed_on__gte=start,
            dash__assessed_on__lte=today,
        )
        .exclude(status__in=NOT_NAMING)
        .annotate(perpetrator=F("perpetrators"))
        .filter(perpetrator__isnull=False)
        .exclude(perpetrator=F("dash__person_id"))
        .order_by()
        .values_list("perpetrator", "dash__assessed_on")
    )
    for query in (by_incident, by_referral):
        for person_id, assessed_on in query:
            people[person_id].high_dash_dates.add(assessed_on)

    made = TruncDate(Coalesce("submitted_at", "created_at"))
    marac = (
        Referral.objects.filter(kind=Referral.Kind.MARAC)
        .exclude(status__in=NOT_COUNTED)
        .annotate(made_on=made, perpetrator=F("perpetrators"))
        .filter(made_on__gte=start, made_on__lte=today, perpetrator__isnull=False)
        .order_by()
        .values_list("perpetrator", "pk", "made_on", "is_repeat")
    )
    for person_id, referral_id, made_on, is_repeat in marac:
        facts = people[person_id]
        facts.marac_referrals[referral_id] = made_on
        if is_repeat:
            facts.repeat_dates.add(made_on)

    matac = (
        Referral.objects.filter(kind=Referral.Kind.MATAC, status__in=MATAC_SELECTED)
        .filter(Q(forum_case=None) | Q(forum_case__closed_on=None))
        .annotate(selected_on=TruncDate(Coalesce("decided_at", "status_since")))
        .order_by()
        .values_list("person_id", "selected_on")
    )
    for person_id, selected_on in matac:
        people[person_id].matac_dates.add(selected_on)

    candidates = sorted(people)
    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE).order_by()
    for levels in filter_in(active, "person_id", candidates):
        for person_id, level in (
            levels.values("person_id").annotate(level=Max("management_level")).values_list("person_id", "level")
        ):
            people[person_id].mappa_level = level
    for referred in filter_in(_open_mappa_referrals().order_by(), "person_id", candidates):
        for person_id in referred.values_list("person_id", flat=True).distinct():
            people[person_id].open_mappa_referral = True
    return dict(people)


# Who is asked ---------------------------------------------------------------------


def mappa_coordinators(area_id: int) -> set[int]:
    """Who coordinates MAPPA for the area: those named as coordinators of its MAPPA Level 2 and 3 forums; where
    none is named, everyone with the MAPPA coordinator role in a Responsible Authority of the area (the rule the
    referrals app tells coordinators by, referrals.services.facts.coordinators_of)."""
    mappa_kinds = [k for k, r in COORDINATOR_ROLE_FOR_FORUM.items() if r == Role.MAPPA_COORDINATOR and "mappa" in k]
    named = set(
        Staff.objects.filter(
            is_active=True, coordinated_forums__area_id=area_id, coordinated_forums__kind__in=mappa_kinds
        ).values_list("pk", flat=True)
    )
    if named:
        return named
    return set(
        Staff.objects.filter(
            Q(agency__area_id=area_id) | Q(agency__area__parent_id=area_id),
            is_active=True,
            agency__kind__in=list(Agency.RESPONSIBLE_AUTHORITY),
            roles__icontains=f'"{Role.MAPPA_COORDINATOR.value}"',
        ).values_list("pk", flat=True)
    )


def _offender_managers(ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """person id -> [(nominal id, offender manager id)] of their active nominals with an active officer."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE, offender_manager__is_active=True).order_by("pk")
    for rows in filter_in(active, "person_id", ids):
        for person_id, nominal_id, om_id in rows.values_list("person_id", "pk", "offender_manager_id"):
            found[person_id].append((nominal_id, om_id))
    return found


def _areas(ids: list[int]) -> dict[int, int]:
    """person id -> their MAPPA area's id (a person recorded in a local area belongs to its MAPPA area)."""
    areas = {}
    for rows in filter_in(Person.objects.order_by(), "id", ids):
        for pk, area_id, kind, parent_id in rows.values_list("pk", "area_id", "area__kind", "area__parent_id"):
            areas[pk] = area_id if kind == Area.Kind.MAPPA or parent_id is None else parent_id
    return areas


def _last_decisions(ids: list[int]) -> dict[int, dt.date]:
    decided = {}
    closed = Prompt.objects.filter(kind=Prompt.Kind.CATEGORY_3).exclude(closed_on=None).order_by()
    for rows in filter_in(closed, "person_id", ids):
        decided.update(rows.values("person_id").annotate(last=Max("closed_on")).values_list("person_id", "last"))
    return decided


# The scan ------------------------------------------------------------------------------


def _open_mappa_referrals():
    return (
        Referral.objects.filter(kind=Referral.Kind.MAPPA)
        .exclude(status__in=MAPPA_CLOSED)
        .filter(Q(forum_case=None) | Q(forum_case__closed_on=None))
    )


def _managed_nominals():
    return Nominal.objects.filter(status=Nominal.Status.ACTIVE, management_level__gte=2)


def _close_managed(ctx: AccessContext, today: dt.date) -> int:
    """Close the open Category 3 prompts of people now under MAPPA management, saying why."""
    from safeguard.access import gate

    closing = Prompt.objects.filter(kind=Prompt.Kind.CATEGORY_3, closed_on=None).filter(
        Exists(_managed_nominals().filter(person_id=OuterRef("person_id")))
        | Exists(_open_mappa_referrals().filter(person_id=OuterRef("person_id")))
    )
    closed = 0
    for prompt in closing.select_for_update():
        made = _open_mappa_referrals().filter(person_id=prompt.person_id).order_by("-created_at", "-pk").first()
        if made is not None:
            prompt.decision, prompt.referral = Prompt.Decision.REFERRED, made
            prompt.decision_rationale = f"Closed by the daily scan: MAPPA referral {made.pk} has been made."
        else:
            level = _managed_nominals().filter(person_id=prompt.person_id).aggregate(m=Max("management_level"))["m"]
            prompt.decision = Prompt.Decision.NOTED
            prompt.decision_rationale = f"Closed by the daily scan: now managed under MAPPA at Level {level}."
        prompt.closed_on = today
        prompt.save(update_fields=["decision", "decision_rationale", "closed_on", "referral"])
        gate.audit_allowed(ctx, Operation.CHANGE, prompt, "closed by the daily scan", {"decision": prompt.decision})
        closed += 1
    return closed


def _no_progress(done: int, total: int) -> None:
    return None


SCAN_STEPS = 4  # gather the facts, apply the rule, find whom to ask, write the prompts


def scan(
    today: dt.date | None = None,
    window_months: int = rule.WINDOW_MONTHS,
    ctx: AccessContext | None = None,
    progress=_no_progress,
):
    """Raise or refresh every Category 3 prompt due today; close those whose person is now managed. Idempotent.

    ``progress(done, SCAN_STEPS)`` is told after each of its steps (a scan started from a page is a job)."""

    started = time.monotonic()
    today = today or timezone.localdate()
    ctx = ctx or gate.system_context()
    progress(0, SCAN_STEPS)
    gathered = gather(today, window_months)
    progress(1, SCAN_STEPS)
    ids = sorted(gathered)
    decided = _last_decisions(ids)
    to_raise: dict[int, tuple[str, ...]] = {}
    suppressed = 0
    for person_id in ids:
        facts = gathered[person_id]
        answer = rule.category3_prompt(facts.facts(), today, window_months)
        if not answer.raise_prompt:
            continue
        last = decided.get(person_id)
        again = after_decision(answer.triggers, facts.latest_evidence(), last)
        if not again.raise_prompt:
            suppressed += 1
            continue
        reasons = list(answer.reasons)
        if last is not None:
            reasons.append(again.working[-1].text)
        to_raise[person_id] = tuple(reasons)
    progress(2, SCAN_STEPS)
    raising = sorted(to_raise)
    areas = _areas(raising)
    officers = _offender_managers(raising)
    coordinators = {area: mappa_coordinators(area) for area in set(areas.values())}
    wanted, unassigned = [], 0
    for person_id in raising:
        nominals = officers.get(person_id, [])
        nominal_id = nominals[0][0] if nominals else None
        assignees = set(coordinators.get(areas.get(person_id), set()))
        assignees |= {om for _nominal, om in nominals}
        if not assignees:
            unassigned += 1
        for staff_id in sorted(assignees):
            own = next((n for n, om in nominals if om == staff_id), nominal_id)
            wanted.append(PromptFor(staff_id, person_id, to_raise[person_id], own))
    progress(3, SCAN_STEPS)
    with transaction.atomic():
        closed = _close_managed(ctx, today)
        raised, refreshed = raise_prompts(ctx, Prompt.Kind.CATEGORY_3, wanted)
    progress(SCAN_STEPS, SCAN_STEPS)
    return {
        "perpetrators_with_facts": len(ids),
        "prompt_due": len(to_raise),
        "not_raised_again_after_a_decision": suppressed,
        "prompts_raised": raised,
        "prompts_refreshed": refreshed,
        "closed_as_managed": closed,
        "no_one_to_ask": unassigned,
        "seconds": round(time.monotonic() - started, 2),
    }


def pending_daily_run() -> bool:
    """Whether the nightly scan is already queued (database backend only)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return False
    return DBTaskResult.objects.filter(task_path="safeguard.actions.tasks.category3_scan", status="READY").exists()
