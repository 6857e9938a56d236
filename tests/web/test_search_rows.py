"""The search result rows, written in Python (web/search_rows.row_html), are the HTML the template wrote."""

import datetime as dt
from pathlib import Path

from django.template import engines
from django.test import RequestFactory

from safeguard.offenders.models import Nominal
from safeguard.people.models import Person
from safeguard.people.search import Match
from safeguard.web import search_rows

# web/search.html's row loop as it was, before the rows were written in Python.
TEMPLATE_ROWS = (Path(__file__).parent / "search_rows_before.html").read_text()


def _as_the_template_drew_them(results) -> str:
    return engines["django"].from_string(TEMPLATE_ROWS).render({"results": results}, RequestFactory().get("/"))


def _as_written_now(results) -> str:
    for row in results:
        row["html"] = search_rows.row_html(row["match"], row["nominals"])
    return (
        engines["django"]
        .from_string("  {% for row in results %}{{ row.html }}{% endfor %}\n")
        .render({"results": results})
    )


def test_the_rows_are_the_html_the_template_wrote(world):
    offender = world.people.offender
    odd = Person(pk=offender.pk, given_name='Ann & "Bo"', middle_names="<i>", family_name="O'Neil", date_of_birth=None)
    nominals = list(Nominal.objects.filter(person=offender).only(*search_rows.NOMINAL_FIELDS))
    assert nominals, "the world's offender has a nominal"
    tricky = Nominal(pk=nominals[0].pk, reference="NOM<1>&", mappa_category="tbd", management_level=3)
    results = [
        {"match": Match(offender, 1.0, "name"), "nominals": nominals},
        {"match": Match(odd, 0.9, "maiden name <b>"), "nominals": [tricky, *nominals]},
        {"match": Match(world.people.victim, 1.5, "date of birth"), "nominals": []},
        {"match": Match(Person(pk=12345, given_name="A", family_name="B", date_of_birth=dt.date(2001, 2, 3)), 1, "")},
    ]
    results[3]["nominals"] = [Nominal(pk=7, reference="R", mappa_category="", management_level=1)]
    assert _as_written_now(results) == _as_the_template_drew_them(results)


def test_the_search_page_shows_the_rows(world, sign_in):
    page = sign_in(world.users.om).post("/search/", {"name": "Smith"}).content.decode()
    assert f'href="/people/{world.people.offender.pk}/">Jonathan Smith</a>' in page
    assert f'href="/nominals/{world.nominals.mine.pk}/"' in page


def test_the_search_page_reads_no_more_for_more_rows(world, sign_in):
    """Each person is read with only the columns the row shows: a row never reads another (one query each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.demo import factories as f

    client = sign_in(world.users.om)
    counts = []
    for family, count in (("Brackley", 2), ("Corrington", 12)):
        for n in range(count):
            f.person(
                world.home["mappa"], f"Alex{n:02d}", family, dt.date(1980, 1, 1) + dt.timedelta(n), middle_names="M"
            )
        client.post("/search/", {"name": family})  # the first of a shape builds its SQL
        with CaptureQueriesContext(connection) as captured:
            page = client.post("/search/", {"name": family}).content.decode()
        assert f"{count} results" in page and f"Alex00 M {family}" in page and "1 January 1980" in page
        counts.append(len(captured))
    assert counts[0] == counts[1]
