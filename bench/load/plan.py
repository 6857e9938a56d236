"""The load test's plan: who signs in and what each of them opens, read from the world in the database.

Run inside a configured Django (bench/load/run.py does it). For each role of the mix it picks real
accounts of the world (offender managers with the largest caseloads, the area's MAPPA coordinators,
the supervisors), gives each a password and a TOTP authenticator for this run only (a new password and
key every run, written to var/load/plan.json, git-ignored), and lists the records each may open: their
own nominals and people (the offender manager), the area's Level 2 and 3 nominals (the coordinator),
their team's (the supervisor); names to search for, with and without a date of birth; a MAPPA
meeting for the agenda; a stock of open actions for each offender manager to complete, and their
own nominals to change with a reason.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from safeguard.demo.factories import DEMO_PASSWORD

ROLES = ("offender_manager", "mappa_coordinator", "supervisor")
RECORDS_EACH = 40
SEARCHES_EACH = 30
ACTIONS_EACH = 40
DEVICE_NAME = "load test"
DEMO = DEMO_PASSWORD


def _account(user, password_hash: str, key: str) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.username.endswith(".demo") and not key:
        return  # a demo sign-in on the demo world, signing in without a second factor: left as it is
    user.password = password_hash
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    # The load test's authenticator is the user's first confirmed one (sign-in uses the first).
    TOTPDevice.objects.filter(user=user).delete()
    if key:
        TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True, key=key)


def release(plan: dict) -> None:
    """After the run: the accounts given a password for it can no longer sign in with it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safeguard.workforce.models import Staff

    names = [a["username"] for accounts in plan["accounts"].values() for a in accounts if a["password"] != DEMO]
    Staff.objects.filter(username__in=names).update(password=make_password(None))
    TOTPDevice.objects.filter(user__username__in=names, name=DEVICE_NAME).delete()


def _searches(rng: random.Random, area_id: int) -> list[dict]:
    from safeguard.people.models import Person

    ids = list(Person.objects.filter(area_id=area_id).order_by("id").values_list("id", flat=True)[:200_000])
    chosen = rng.sample(ids, min(len(ids), SEARCHES_EACH * 4))
    out = []
    for person in Person.objects.filter(pk__in=chosen).only("given_name", "family_name", "date_of_birth"):
        entry = {"name": f"{person.given_name} {person.family_name}"}
        if person.date_of_birth and rng.random() < 0.5:
            entry["date_of_birth"] = [person.date_of_birth.day, person.date_of_birth.month, person.date_of_birth.year]
        else:
            entry["name"] = person.family_name  # a family name alone, no date of birth: the costly search
        out.append(entry)
    return out


def _stock_actions(user, rng: random.Random, system_id: int, count: int) -> list[int]:
    """Open actions owned by the officer, on open MAPPA forum cases of the area: each is completed once."""
    from safeguard.actions.models import Action
    from safeguard.meetings.models import Forum, ForumCase

    cases = list(
        ForumCase.objects.filter(
            closed_on=None,
            forum__area_id=user.mappa_area_id,
            forum__kind__in=[Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MAPPA_LEVEL_3],
        ).values_list("pk", "forum_id", "person_id")[:500]
    )
    if not cases:
        return []
    today = timezone.localdate()
    rows = []
    for n in range(count):
        case_id, forum_id, person_id = rng.choice(cases)
        rows.append(
            Action(
                forum_id=forum_id,
                forum_case_id=case_id,
                person_id=person_id,
                description=f"Load test action {n + 1}: home visit and report back",
                owner_agency_id=user.agency_id,
                owner=user,
                due_on=today + dt.timedelta(days=rng.randint(0, 40)),
                created_by_id=system_id,
            )
        )
    return [a.pk for a in Action.objects.bulk_create(rows)]


def pick_accounts(users_per_role: dict[str, int]) -> dict[str, list]:
    """The accounts of each role the mix signs in as (reads only): the offender managers with the largest
    active caseloads, the MAPPA coordinators, the supervisors of a team."""
    from safeguard.offenders.models import Nominal
    from safeguard.workforce.models import Role, Staff

    oms = (
        list(
            Staff.objects.filter(roles__icontains=f'"{Role.OFFENDER_MANAGER.value}"', is_active=True)
            .annotate(n=Count("caseload", filter=Q(caseload__status=Nominal.Status.ACTIVE)))
            .filter(n__gt=0)
            .order_by("-n", "pk")[: max(1, users_per_role.get("offender_manager", 0))]
        )
        if users_per_role.get("offender_manager")
        else []
    )
    coordinators = list(
        Staff.objects.filter(roles__icontains=f'"{Role.MAPPA_COORDINATOR.value}"', is_active=True).order_by("pk")
    )
    supervisors = list(
        Staff.objects.filter(roles__icontains=f'"{Role.SUPERVISOR.value}"', is_active=True)
        .exclude(team=None)
        .order_by("pk")[: max(1, users_per_role.get("supervisor", 0))]
    )
    return {
        "offender_manager": oms,
        "mappa_coordinator": coordinators[: max(1, users_per_role.get("mappa_coordinator", 0))],
        "supervisor": supervisors,
    }


def records_of(role: str, user):
    """The active nominals a user of this role opens in the mix: their own (the offender manager), their
    team's (the supervisor), the area's Level 2 and 3 (the coordinator)."""
    from safeguard.offenders.models import ManagementLevel, Nominal

    active = Nominal.objects.filter(status=Nominal.Status.ACTIVE)
    if role == "offender_manager":
        return active.filter(offender_manager=user)
    if role == "supervisor":
        return active.filter(offender_manager__team=user.team_id)
    return active.filter(
        Q(local_area__parent_id=user.mappa_area_id) | Q(local_area_id=user.mappa_area_id),
        management_level__gte=ManagementLevel.TWO,
    )


def meetings_of(user) -> list[int]:
    """The first MAPPA meetings of the user's area (the coordinator's agendas)."""
    from safeguard.meetings.models import Forum, Meeting

    return list(
        Meeting.objects.filter(
            forum__area_id=user.mappa_area_id,
            forum__kind__in=[Forum.Kind.MAPPA_LEVEL_2, Forum.Kind.MAPPA_LEVEL_3],
        )
        .order_by("starts_at")
        .values_list("pk", flat=True)[:5]
    )


def build(users_per_role: dict[str, int], seed: int = 2026, with_mfa: bool = True) -> dict:
    """Accounts and their records for the given number of simulated users of each role."""
    from safeguard.actions.models import Action
    from safeguard.demo.world import system_user

    rng = random.Random(seed)
    password = secrets.token_urlsafe(18)
    # The server's own hasher (the benchmark process may run with the test settings' fast one).
    hasher = PBKDF2PasswordHasher()
    password_hash = hasher.encode(password, hasher.salt())
    plan: dict = {"mfa": with_mfa, "accounts": {}}
    with transaction.atomic():
        system_id = system_user().pk
        # Earlier runs' actions that were never completed are closed off, so the stock does not grow.
        Action.objects.filter(description__startswith="Load test action", status=Action.Status.OPEN).delete()
        picked = pick_accounts(users_per_role)
        for role, accounts in picked.items():
            plan["accounts"][role] = []
            for user in accounts[: users_per_role.get(role, 0) or 0] or []:
                key = secrets.token_hex(20) if with_mfa else ""
                _account(user, password_hash, key)
                demo_sign_in = user.username.endswith(".demo") and not with_mfa
                mine = records_of(role, user)
                nominals = list(mine.order_by("?").values_list("pk", "person_id")[:RECORDS_EACH])
                meetings = meetings_of(user)
                entry = {
                    "username": user.username,
                    "password": DEMO if demo_sign_in else password,
                    "totp_key": key,
                    "nominals": [n for n, _ in nominals],
                    "people": [p for _, p in nominals],
                    "searches": _searches(rng, user.mappa_area_id),
                    "meetings": meetings if role == "mappa_coordinator" else [],
                    "actions": _stock_actions(user, rng, system_id, ACTIONS_EACH) if role == "offender_manager" else [],
                }
                plan["accounts"][role].append(entry)
        # One nominal for the ceiling's key lookup: any the first account may see.
        first = next((a for accounts in plan["accounts"].values() for a in accounts if a["nominals"]), None)
        plan["ceiling_nominals"] = first["nominals"][:20] if first else []
    return plan
