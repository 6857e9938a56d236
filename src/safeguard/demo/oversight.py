"""Demo records for the oversight figures: the area's oversight settings and, over the last two years to
31 March, orders (SHPO, SRO, notification orders) with breaches, and outcomes (returns to custody, serious
further offences, breaches of notification, lifetime notification revoked) on a few nominals, so that the
MAPPA annual tables of the tour have something in every row. Fictional, written directly (no history, as
the rest of the generated world)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from safeguard.offenders.models import Nominal
from safeguard.orders.models import Order, OrderBreach, Outcome
from safeguard.oversight.models import LocalAreaSettings, OversightSettings

# A fictional population (aged 10 and over) for registered sex offenders per 100,000.
DEMO_POPULATION = 2_400_000
# Fictional women aged 16 and over (first area, step per area) and full-time IDVA posts per local area, for the
# SafeLives capacity guides on the forum volumes page.
DEMO_LOCAL_WOMEN = (60_000, 12_000)
DEMO_IDVA_POSTS = ("3.0", "2.5", "4.0", "2.0")


def _day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def build(org, rng: random.Random, system_user, today: dt.date) -> int:
    OversightSettings.objects.create(
        area=org.mappa, population=DEMO_POPULATION, population_source="Fictional: the demo's own figure"
    )
    for i, local in enumerate(org.local_areas):  # no random draw: every other draw of the world stays as it was
        LocalAreaSettings.objects.create(
            area=local,
            adult_women=DEMO_LOCAL_WOMEN[0] + DEMO_LOCAL_WOMEN[1] * i,
            adult_women_source="Fictional: the demo's own figure",
            idva_posts=Decimal(DEMO_IDVA_POSTS[i % len(DEMO_IDVA_POSTS)]),
            idva_posts_source="Fictional: the demo's own figure",
        )
    last_end = dt.date(today.year if today > dt.date(today.year, 3, 31) else today.year - 1, 3, 31)
    start = dt.date(last_end.year - 2, 4, 1)
    nominals = list(
        Nominal.objects.filter(local_area__parent=org.mappa, status=Nominal.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "mappa_category", "management_level")
    )
    if not nominals:
        return 0
    rsos = [n for n in nominals if n[1] == "1"] or nominals
    high = [n for n in nominals if n[2] >= 2] or nominals
    written = 0
    orders = []
    for kind, share in (("shpo", 0.06), ("sro", 0.01), ("notification_order", 0.01)):
        for pk, _, _ in rng.sample(rsos, max(3, int(len(rsos) * share))):
            orders.append(
                Order.objects.create(
                    nominal_id=pk,
                    kind=kind,
                    made_on=_day_in(rng, start, last_end),
                    conditions="" if kind == "notification_order" else "Not to have unsupervised contact with children",
                    foreign_travel_restriction=kind == "shpo" and rng.random() < 0.2,
                    recorded_by=system_user,
                )
            )
    written += len(orders)
    for order in rng.sample(orders, max(2, len(orders) // 8)):
        convicted = rng.random() < 0.6
        OrderBreach.objects.create(
            order=order,
            occurred_on=_day_in(rng, order.made_on, max(order.made_on, last_end)),
            disposal="convicted" if convicted else "cautioned",
            made_subject_to_notification=order.kind == "sro" and convicted,
            recorded_by=system_user,
        )
        written += 1
    plan = [
        ("custody", "licence", high, 12),
        ("custody", "offence", high, 4),
        ("sfo", "", nominals, 3),
        ("notification_breach", "", rsos, 9),
        ("lifetime_revoked", "", rsos, 6),
    ]
    for kind, reason, pool, count in plan:
        for pk, category, level in rng.sample(pool, min(count, len(pool))):
            Outcome.objects.create(
                nominal_id=pk,
                kind=kind,
                custody_reason=reason,
                disposal=("convicted" if rng.random() < 0.5 else "cautioned") if kind == "notification_breach" else "",
                occurred_on=_day_in(rng, start, last_end),
                level_then=level,
                category_then=category,
                recorded_by=system_user,
            )
            written += 1
    return written


# --- MARAC meetings held over the last year, for the SafeLives return -------------------------------

DEMO_ADULT_WOMEN = 120_000  # fictional: women aged 16 and over in each MARAC's area
MEETINGS_BACK = 26  # fortnightly, a year
CASES_PER_MEETING = (8, 16)


def build_marac_returns(org, rng: random.Random, system_user, today: dt.date) -> int:
    """Held MARAC meetings every fortnight for the past year, each hearing new referrals of victims who have
    an open MARAC case and no referral of their own (so that no tour referral's repeat flag moves), and some
    victims' protected characteristics."""
    from simple_history.utils import bulk_create_with_history

    from safeguard.meetings.models import AgendaItem, Forum, ForumCase, Meeting
    from safeguard.oversight.models import MaracSettings, ProtectedCharacteristics
    from safeguard.referrals.models import Referral
    from safeguard.workforce.models import Agency

    agencies = list(Agency.objects.filter(area__in=[org.mappa, *org.local_areas]).order_by("pk"))
    weights = {Agency.Kind.POLICE: 6, Agency.Kind.IDVA_SERVICE: 2, Agency.Kind.CHILDRENS_SERVICES: 1}
    # Written in bulk (a year of a MARAC is hundreds of referrals; one INSERT each took most of a demo world's
    # time on PostgreSQL), in the order one at a time would have written them; the characteristics with their
    # history rows, as a create would have left them.
    written = 0
    referrals: list = []
    items: list = []
    characteristics: list = []
    with_characteristics = set(ProtectedCharacteristics.objects.values_list("person_id", flat=True))
    for forum in Forum.objects.filter(kind=Forum.Kind.MARAC, area=org.mappa).order_by("pk"):
        MaracSettings.objects.create(forum=forum, adult_women=DEMO_ADULT_WOMEN, adult_women_source="Fictional")
        cases = list(
            ForumCase.objects.filter(forum=forum)
            .exclude(person__referrals__isnull=False)
            .select_related("person")
            .order_by("pk")
        )
        rng.shuffle(cases)
        heard: dict = {}  # the forum's cases heard so far, by id, in the order first heard
        for back in range(1, MEETINGS_BACK + 1):  # the newest first: the last quarter is always full
            day = today - dt.timedelta(days=14 * back)
            starts = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
            meeting = Meeting.objects.create(
                forum=forum, starts_at=starts, ends_at=starts + dt.timedelta(hours=4), status=Meeting.Status.HELD
            )
            here: set[int] = set()
            for position in range(1, rng.randint(*CASES_PER_MEETING) + 1):
                again = [c for pk, c in heard.items() if pk not in here]
                if not cases and not again:
                    break
                # Once every victim without a referral has one, a victim heard before comes back (a repeat).
                case = cases.pop() if cases else rng.choice(again)
                here.add(case.pk)
                heard_before = case.pk in heard
                heard.setdefault(case.pk, case)
                children = rng.choice([0, 0, 1, 2, 3])
                agency = rng.choices(agencies, [weights.get(a.kind, 1) for a in agencies])[0]
                referral = Referral(
                    kind=Referral.Kind.MARAC,
                    forum=forum,
                    person=case.person,
                    status=Referral.Status.LISTED,
                    referring_agency=agency,
                    referred_by=system_user,
                    created_at=starts - dt.timedelta(days=7),
                    submitted_at=starts - dt.timedelta(days=7),
                    is_repeat=heard_before or rng.random() < 0.1,
                    children=[
                        {"date_of_birth": (day - dt.timedelta(days=365 * (2 + n))).isoformat()} for n in range(children)
                    ],
                    forum_case=case,
                )
                referrals.append(referral)
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        section=AgendaItem.Section.NEW_WITH_CHILDREN if children else AgendaItem.Section.NEW,
                        why="A new referral",
                        forum_case=case,
                        person=case.person,
                        referral=referral,
                        has_children=bool(children),
                        outcome=AgendaItem.Outcome.HEARD,
                    )
                )
                if rng.random() < 0.5:
                    answers = {
                        "disabled": rng.choice(["yes", "no", "no", "no", "not_known", "prefer_not"]),
                        "lgbt_plus": rng.choice(["yes", "no", "no", "no", "no", "not_known", "prefer_not"]),
                    }
                    if case.person_id not in with_characteristics:
                        with_characteristics.add(case.person_id)
                        characteristics.append(
                            ProtectedCharacteristics(person=case.person, recorded_by=system_user, **answers)
                        )
        # Written before the next forum's victims are chosen (a victim with a referral is not chosen again).
        written += len(Referral.objects.bulk_create(referrals, batch_size=1000))
        AgendaItem.objects.bulk_create(items, batch_size=1000)  # each item's referral has its id now
        bulk_create_with_history(characteristics, ProtectedCharacteristics, batch_size=1000)
        referrals, items, characteristics = [], [], []
    return written


def take_month_end_snapshots(today: dt.date) -> int:
    """Last month's month-end snapshots of the published figures, as the monthly job keeps them on the 1st (so
    the PCC dashboard of the tour shows a month "as recorded at month end"). How many were written."""
    from safeguard.oversight.services import snapshots

    return snapshots.take_all(snapshots.month_just_ended(today), today=today)["written"]
