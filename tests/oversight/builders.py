"""A hand-counted MAPPA area for the annual tables of the year to 31 March 2026 (1 April 2025 to 31 March 2026).

Nominals in the world's home area (tests/conftest.py), their history written at chosen times:

| who | history | 31 March 2026 | Level 2/3 in the year |
|---|---|---|---|
| a | cat 1 L1 since June 2024 | cat 1 L1 | no |
| b | cat 2 L2 from 1 May 2025 | cat 2 L2 | cat 2 L2 |
| c | cat 1 L3 from 2024; cat 3 L2 from 1 Sept 2025 | cat 3 L2 | once: cat 3 L2 (its last) |
| d | cat 1 L1 written 23:30 on 31 March 2026 | cat 1 L1 | no |
| e | cat 1 L1 written 00:00:30 on 1 April 2026 | not yet recorded | no |
| f | cat 2 L2 from 2024; L1 from 2 April 2026 | cat 2 L2 | cat 2 L2 |
| g | no history (bulk), cat 4 L1, managed from 2020 | cat 4 L1 | no |
| h | no history, cat 1 L1, closed, managed until 30 March 2026 | ended | no |
| i | cat 1 L2 from 2024; closed 1 June 2025 | closed | cat 1 L2 |
| j1, j2 | one person: cat 2 L1 and cat 3 L1 | once: cat 2 L1 | no |
| k | "to be determined", L1, from 2024 | apart | no |
| away | another MAPPA area, cat 1 L2 | not here | not here |

On 31 March 2026: cat 1 L1 2 (a, d); cat 2 L1 1 (j), L2 2 (b, f); cat 3 L2 1 (c); cat 4 L1 1 (g); 7 in all;
1 to be determined. Level 2/3 over the year: cat 1 L2 1 (i), cat 2 L2 2 (b, f), cat 3 L2 1 (c); 4 in all.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings

from safeguard.demo import factories as f
from safeguard.offenders.models import Nominal

HISTORY = Nominal.history.model
LONDON = ZoneInfo(settings.TIME_ZONE)


def at(year, month, day, hour=12, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def _written(nominal: Nominal, when: dt.datetime) -> None:
    """The nominal's newest version was written at ``when``."""
    newest = HISTORY.objects.filter(id=nominal.pk).order_by("-history_id").first()
    HISTORY.objects.filter(pk=newest.pk).update(history_date=when)


def _nominal(world, given: str, when: dt.datetime | None, person=None, local=0, **fields) -> Nominal:
    person = person or f.person(world.home["mappa"], given, "Handcount", dt.date(1970, 1, 1))
    fields.setdefault("managed_from", dt.date(2020, 1, 1))
    n = f.nominal(person, world.home["local"][local], world.police, None, **fields)
    if when is None:
        HISTORY.objects.filter(id=n.pk).delete()
    else:
        _written(n, when)
    return n


def _change(nominal: Nominal, when: dt.datetime, **fields) -> None:
    for name, value in fields.items():
        setattr(nominal, name, value)
    nominal.save()
    _written(nominal, when)


def annual_world(world) -> SimpleNamespace:
    n = SimpleNamespace()
    n.a = _nominal(world, "Ann", at(2024, 6, 1), mappa_category="1")
    n.b = _nominal(world, "Ben", at(2025, 5, 1), mappa_category="2", management_level=2, local=1)
    n.c = _nominal(world, "Cal", at(2024, 1, 1), mappa_category="1", management_level=3)
    _change(n.c, at(2025, 9, 1), mappa_category="3", management_level=2)
    n.d = _nominal(world, "Dee", at(2026, 3, 31, 23, 30), mappa_category="1")
    n.e = _nominal(world, "Eve", at(2026, 4, 1, 0, 0, 30), mappa_category="1")
    n.f = _nominal(world, "Fay", at(2024, 2, 1), mappa_category="2", management_level=2)
    _change(n.f, at(2026, 4, 2), management_level=1)
    n.g = _nominal(world, "Gus", None, mappa_category="4")
    n.h = _nominal(world, "Hal", None, mappa_category="1", status="closed", managed_until=dt.date(2026, 3, 30))
    n.i = _nominal(world, "Ivy", at(2024, 3, 1), mappa_category="1", management_level=2)
    _change(n.i, at(2025, 6, 1), status="closed", managed_until=dt.date(2025, 6, 1))
    jay = f.person(world.home["mappa"], "Jay", "Handcount", dt.date(1970, 1, 1))
    n.j1 = _nominal(world, "Jay", at(2024, 1, 1), person=jay, mappa_category="2")
    n.j2 = _nominal(world, "Jay", at(2024, 1, 1), person=jay, mappa_category="3")
    n.k = _nominal(world, "Kit", at(2024, 1, 1), mappa_category="tbd")
    away = f.person(world.away["mappa"], "Away", "Handcount", dt.date(1970, 1, 1))
    n.away = f.nominal(away, world.away["local"][0], world.police, None, mappa_category="1", management_level=2)
    _written(n.away, at(2024, 1, 1))
    return n
