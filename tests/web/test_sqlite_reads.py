"""On SQLite, reads run outside a request-wide transaction (no write lock held while a page is read and
rendered); changes keep theirs. PostgreSQL keeps one transaction per request for every method."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from safeguard.handlers import SafeguardWSGIHandler


def _in_transaction_by_method(methods=("get", "head", "options", "post", "put", "delete")) -> dict[str, bool]:
    seen = {}

    def view(request):
        seen[request.method] = connection.in_atomic_block
        return HttpResponse()

    wrapped = SafeguardWSGIHandler().make_view_atomic(view)
    factory = RequestFactory()
    for method in methods:
        wrapped(getattr(factory, method)("/"))
    return seen


@pytest.mark.django_db(transaction=True)
def test_reads_outside_a_transaction_on_sqlite_changes_inside(settings):
    seen = _in_transaction_by_method()
    if connection.vendor == "sqlite":
        assert seen == {"GET": False, "HEAD": False, "OPTIONS": False, "POST": True, "PUT": True, "DELETE": True}
    else:
        assert all(seen.values()) and len(seen) == 6


@pytest.mark.django_db(transaction=True)
def test_switched_off_every_request_is_one_transaction(settings):
    settings.SAFEGUARD_SQLITE_READS_OUTSIDE_TRANSACTIONS = False
    assert all(_in_transaction_by_method().values())


@pytest.mark.django_db(transaction=True)
def test_a_view_marked_non_atomic_stays_so():
    from django.db import transaction

    seen = {}

    @transaction.non_atomic_requests
    def view(request):
        seen[request.method] = connection.in_atomic_block
        return HttpResponse()

    wrapped = SafeguardWSGIHandler().make_view_atomic(view)
    wrapped(RequestFactory().post("/"))
    assert seen == {"POST": False}


def test_the_wsgi_application_uses_safeguards_handler():
    from safeguard import wsgi

    assert isinstance(wsgi.application, SafeguardWSGIHandler)
