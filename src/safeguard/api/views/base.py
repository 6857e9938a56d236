"""What every API view shares: the access context, gated record lookups, audited pages of lists.

A record that does not exist and a record the user may not see answer the
same way: both raise AccessRefused, so AccessRefusedMiddleware audits the
attempt and answers the one 404 (a missing record and a hidden one cannot be
told apart by status, body or headers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cached_property

from django.db.models import Model, QuerySet
from rest_framework import exceptions, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from safeguard.access import gate
from safeguard.audit.models import Operation
from safeguard.people.models import Person

from ..query import RefuseUnknownParameters

# Ids fit a 64-bit integer: a longer number, or anything but digits, is simply not found (a JSON 404, not a
# server error nor the site's HTML page for an unknown address).
ID_PATTERN = r"[0-9]{1,18}"
ANY_SEGMENT = r"[^/]+"
NO_SUCH_RECORD = "no such record"


def visible_people(user, ids: Iterable[int]) -> set[int]:
    """Of these people, the ids the user may see (to decide whether to show a name)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    return set(gate.scoped(user, Person.objects.filter(pk__in=wanted)).values_list("pk", flat=True))


class GatedViewSet(RefuseUnknownParameters, viewsets.GenericViewSet):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    metadata_class = None  # no OPTIONS descriptions: the schema documents the API
    lookup_value_regex = ANY_SEGMENT
    # The actions that answer a page of a list (and so accept `page`); the others accept no `page`.
    paged_actions: tuple[str, ...] = ("list",)

    @cached_property
    def ctx(self) -> gate.AccessContext:
        return gate.context_for(self.request)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "ctx": self.ctx}

    def gated_record(self, queryset: QuerySet, operation: str, detail: dict | None = None, pk=None) -> Model:
        """The record named in the URL, if the user may do `operation` to it.

        A read is authorised and audited here. A change is only checked here,
        before the body is validated (so a refused user learns nothing from
        field errors); the service audits it in the change's transaction.
        """
        raw = str(pk if pk is not None else self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if not re.fullmatch(ID_PATTERN, raw):
            raise exceptions.NotFound()
        pk = int(raw)
        record = queryset.filter(pk=pk).first()
        if record is None:
            raise gate.AccessRefused(self.ctx, operation, queryset.model._meta.label_lower, pk, NO_SUCH_RECORD)
        if operation in gate.READS:
            gate.authorise(self.ctx, operation, record, detail)
        else:
            gate.check(self.ctx, operation, record)
        return record

    def parse(self, serializer_class, data, **kwargs) -> dict:
        serializer = serializer_class(data=data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def audited_page(
        self,
        items: QuerySet | Sequence,
        serializer_class,
        model: type[Model],
        *,
        operation: str = Operation.VIEW,
        detail: dict | None = None,
        context: dict | None = None,
        ids=None,
    ) -> Response:
        """One page of a list, with one audit event naming the records shown."""
        page = self.paginate_queryset(items)
        shown = [ids(item) for item in page] if ids else [item.pk for item in page]
        gate.audit_list(self.ctx, operation, model, shown, detail)
        serializer = serializer_class(page, many=True, context={**self.get_serializer_context(), **(context or {})})
        return self.get_paginated_response(serializer.data)


def require_version(data: dict) -> int:
    if data.get("version") is None:
        raise serializers.ValidationError(
            {"version": ["Give the version of the record you read, so that no one else's change is overwritten."]}
        )
    return data["version"]
