"""My work's caseload rows, written in Python (web/my_work.row_html), are the HTML the template wrote."""

import datetime as dt
from pathlib import Path

from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from safeguard.offenders.models import Nominal
from safeguard.web import my_work

# web/home.html's row loop as it was, before the rows were written in Python.
TEMPLATE_ROWS = (Path(__file__).parent / "my_work_rows_before.html").read_text()


def _as_the_template_drew_them(rows) -> str:
    return engines["django"].from_string(TEMPLATE_ROWS).render({"section": {"rows": rows}}, RequestFactory().get("/"))


def _as_written_now(rows) -> str:
    return (
        engines["django"]
        .from_string("  {% for row in section.rows %}{{ row.html }}{% endfor %}\n")
        .render({"section": {"rows": rows}})
    )


def test_the_rows_are_the_html_the_template_wrote(world):
    today = timezone.localdate()
    nominals = list(Nominal.objects.select_related("person").order_by("pk"))
    mine = world.nominals.mine
    mine.person.given_name = 'Ann & "Bo" <i>'
    mine.reference = "NOM<1>"
    mine.mappa_category = "tbd"
    mine.notification_due = today - dt.timedelta(days=3)
    mine.notification_due_kind = "periodic"
    mine.mappa_review_due = today + dt.timedelta(days=10)
    mine.management_level = 2
    nominals = [mine, *nominals]
    soon = Nominal.objects.select_related("person").get(pk=world.nominals.other.pk)
    soon.next_review_due = today + dt.timedelta(days=5)
    nominals.append(soon)
    rows = my_work.caseload_rows(nominals, today)
    assert any(r["overdue"] for r in rows) and any(r["soon"] and not r["overdue"] for r in rows)
    assert _as_written_now(rows) == _as_the_template_drew_them(rows)


def test_my_work_shows_the_caseload_rows(world, sign_in):
    page = sign_in(world.users.om).get("/").content.decode()
    assert f'href="/nominals/{world.nominals.mine.pk}/"' in page
    assert world.nominals.mine.reference in page
