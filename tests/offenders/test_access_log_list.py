"""The access log pages through every audit event of the nominal (web/lists.py), sorts by when and by outcome,
filters by outcome and by what was done, and stays with those who manage the nominal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.utils import timezone

from safeguard.audit.models import AuditEvent, Operation, Outcome
from safeguard.offenders import views


def _event(nominal, username: str, minutes_ago: int, **fields) -> AuditEvent:
    return AuditEvent.objects.create(
        at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        actor_username=username,
        operation=fields.pop("operation", Operation.VIEW),
        record_type="offenders.nominal",
        record_id=nominal.pk,
        purpose="offender_management",
        outcome=fields.pop("outcome", Outcome.ALLOWED),
        **fields,
    )


def _who(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in html else ""
    return re.findall(r"(gone\.user\d)", body)


def test_the_access_log_pages_sorts_and_filters(world, sign_in, monkeypatch):
    monkeypatch.setattr(views, "ACCESS_LOG", dataclasses.replace(views.ACCESS_LOG, page_size=2))
    mine = world.nominals.mine
    for n in range(1, 4):  # older than anything the sign-in writes: the last page, oldest last
        _event(mine, f"gone.user{n}", 600 + n)
    _event(mine, "gone.user9", 700, outcome=Outcome.REFUSED)
    _event(mine, "gone.user8", 800, operation=Operation.CHANGE)
    client = sign_in(world.users.om)
    url = f"/nominals/{mine.pk}/access-log/"
    first = client.get(url).content.decode()
    total = int(re.search(r"Showing 1 to 2 of (\d+) entries", first).group(1))
    assert total >= 6  # five made here and this page's own view
    assert _who(first) == ["gone.user1"]  # newest first: this page's own view, then the newest made here
    # Oldest first (each view of the page adds an entry at the newest end, so these pages stay put).
    oldest = {"order": "ascending"}
    assert _who(client.get(url, oldest).content.decode()) == ["gone.user8", "gone.user9"]
    assert _who(client.get(url, {**oldest, "page": 2}).content.decode()) == ["gone.user3", "gone.user2"]
    assert _who(client.get(url, {**oldest, "page": 3}).content.decode()) == ["gone.user1"]
    refused = client.get(url, {"outcome": Outcome.REFUSED}).content.decode()
    assert _who(refused) == ["gone.user9"] and "Showing 1 to 1 of 1 entries" in refused
    changed = client.get(url, {"operation": Operation.CHANGE}).content.decode()
    assert _who(changed) == ["gone.user8"]
    by_outcome = client.get(url, {"sort": "outcome", "order": "descending"}).content.decode()
    assert _who(by_outcome)[:1] == ["gone.user9"]  # "refused" after "allowed": first when descending


def test_the_access_log_of_a_nominal_the_user_does_not_manage_is_refused(world, sign_in):
    mine = world.nominals.mine
    _event(mine, "gone.user1", 5)
    response = sign_in(world.users.om2).get(f"/nominals/{mine.pk}/access-log/", {"outcome": Outcome.ALLOWED})
    assert response.status_code == 404 and "gone.user1" not in response.content.decode()
