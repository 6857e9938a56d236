"""The person record: its page, its creation, the change of its details, its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connections, router
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.access import viewer as access_viewer
from safeguard.accounts.rows import Statement
from safeguard.assessments import services as assessment_services
from safeguard.assessments.models import Assessment
from safeguard.audit.models import Operation
from safeguard.events import notification_checks
from safeguard.events.models import Conviction, IncidentPerson, IncidentRole, Notification
from safeguard.offenders.models import Nominal
from safeguard.prepared import PreparedQuery
from safeguard.web import pages
from safeguard.workforce.models import Area

from .. import cards, retention, services
from ..forms import PersonForm
from ..models import Address, Alias, LegalHold, Person, WarningMarker
from ..network import network_of, relationships_of
from .history import person_changes
from .relations import relationship_rows

PEOPLE = Person.objects.select_related("area")


def person_url(person: Person) -> str:
    return reverse("people:person", kwargs={"pk": person.pk})


def _timeline(links: list[IncidentPerson], convictions: list[Conviction]) -> list[dict]:
    """Incidents (with this person's roles) and convictions, newest first."""
    rows: dict[int, dict] = {}
    for link in links:
        row = rows.setdefault(
            link.incident_id,
            {
                "kind": "incident",
                "day": timezone.localtime(link.incident.occurred_at).date(),
                "incident": link.incident,
                "roles": [],
            },
        )
        row["roles"].append(link.get_role_display())
    items = list(rows.values()) + [{"kind": "conviction", "day": c.relevant_date, "conviction": c} for c in convictions]
    items.sort(key=lambda item: item["day"], reverse=True)
    return items


# The person page's person, with their area: SQL written once a process (accounts.rows), not built by the ORM.
PERSON_ROW = Statement(Person, related=("area",))

# The person's incidents (with their offence and local area) and convictions (with their offence), for a person
# the page has passed through the gate: their SQL written once a process (safeguard.prepared).
INCIDENT_LINKS = PreparedQuery(
    "person page: incidents",
    IncidentPerson,
    lambda person_id: IncidentPerson.objects.filter(person_id=person_id).select_related(
        "incident__offence", "incident__local_area"
    ),
)
CONVICTIONS = PreparedQuery(
    "person page: convictions",
    Conviction,
    lambda person_id: Conviction.objects.filter(person_id=person_id).select_related("offence"),
)

# The rest of what the page reads of a person it has passed through the gate, each in the order its model gives
# (what the related managers read, without the ORM building the SQL on every request).
ADDRESSES = PreparedQuery(
    "person page: addresses", Address, lambda person_id: Address.objects.filter(person_id=person_id)
)
ALIASES = PreparedQuery("person page: aliases", Alias, lambda person_id: Alias.objects.filter(person_id=person_id))
MARKERS = PreparedQuery(
    "person page: warning markers", WarningMarker, lambda person_id: WarningMarker.objects.filter(person_id=person_id)
)
# The card names no one who placed or lifted a hold: their staff rows are not read.
HOLDS = PreparedQuery(
    "person page: legal holds",
    LegalHold,
    lambda person_id: LegalHold.objects.filter(person_id=person_id),
)
NOTIFICATIONS = PreparedQuery(
    "person page: notifications",
    Notification,
    lambda person_id: Notification.objects.filter(person_id=person_id)[:10],
)
ASSESSMENTS = PreparedQuery(
    "person page: assessments", Assessment, lambda person: assessment_services.assessments_of(person)
)


def _build_nominals(key, *, person_id: int, **facts) -> QuerySet:
    with access_viewer.standing_in(key, **facts) as user:
        return gate.scoped(user, Nominal.objects.filter(person_id=person_id)).select_related("offender_manager")


# The person's nominals the viewer may see: scoped by the gate for a stand-in of the viewer (access.viewer).
NOMINALS = PreparedQuery("person page: nominals", Nominal, _build_nominals, keyed=True)


def nominals_of(user, person: Person) -> list[Nominal]:
    """The person's nominals that the user may see (the gate's scope), with their offender manager."""
    found = access_viewer.facts(user)
    if found is None:
        return list(gate.scoped(user, Nominal.objects.filter(person=person)).select_related("offender_manager"))
    key, facts = found
    return list(NOMINALS(key=key, person_id=person.pk, **facts))


class _Standing:
    """Whether a person has an active nominal (retention: managed) and the merge that emptied their record, if one
    stands: one statement, its SQL written once per database vendor from the models' tables and columns (as
    accounts.rows does), read afresh on every call; values only ever as parameters."""

    def __init__(self):
        self._sql: dict[str, str] = {}

    def _compile(self, connection) -> str:
        from safeguard.matching.models import PersonMerge  # matching builds on people

        q = connection.ops.quote_name

        def column(model, name: str) -> str:
            return q(model._meta.get_field(name).column)

        nominals, merges = q(Nominal._meta.db_table), q(PersonMerge._meta.db_table)
        # Names from the models' own fields, quoted by the backend; values only ever as parameters.
        return (
            f"SELECT EXISTS(SELECT 1 FROM {nominals} N WHERE N.{column(Nominal, 'person')} = %s"  # noqa: S608
            f" AND N.{column(Nominal, 'status')} = %s),"
            f" (SELECT MAX(M.{q(PersonMerge._meta.pk.column)}) FROM {merges} M"
            f" WHERE M.{column(PersonMerge, 'merged')} = %s AND M.{column(PersonMerge, 'status')} = %s)"
        )

    def of(self, person: Person) -> tuple[bool, int | None]:
        """(has an active nominal, the id of the standing merge or None)."""
        from safeguard.matching.models import PersonMerge

        connection = connections[router.db_for_read(Person)]
        if connection.vendor not in self._sql:
            self._sql[connection.vendor] = self._compile(connection)
        params = [person.pk, Nominal.Status.ACTIVE.value, person.pk, PersonMerge.Status.MERGED.value]
        with connection.cursor() as cursor:
            cursor.execute(self._sql[connection.vendor], params)
            managed, merge_id = cursor.fetchone()
        return bool(managed), merge_id


_STANDING = _Standing()


@login_required
def person(request, pk: int):
    record = pages.gated(request, PERSON_ROW, pk)
    user = request.user
    ctx = gate.context_for(request)
    today = timezone.localdate()
    addresses = sorted(ADDRESSES(person_id=record.pk), key=lambda a: (not a.is_current, -a.from_date.toordinal()))
    # Read once, shown in several places: the person's incidents (the timeline, the network, retention), their
    # convictions (the timeline, retention), their relationships (the table, the network) and their holds.
    links = list(INCIDENT_LINKS(person_id=record.pk))
    convictions = list(CONVICTIONS(person_id=record.pk))
    relationships = relationships_of(record)
    holds = list(HOLDS(person_id=record.pk))
    network = network_of(ctx, record, relationships, {link.incident_id: link.role for link in links})
    managed, merge_id = _STANDING.of(record)
    schedule = retention.schedule_from(
        record,
        managed=managed,
        convictions=convictions,
        perpetrator_on=[
            timezone.localdate(link.incident.occurred_at) for link in links if link.role == IncidentRole.PERPETRATOR
        ],
        held=any(hold.lifted_on is None for hold in holds),
    )
    may_change = gate.decide(user, Operation.CHANGE, record).allowed
    age = record.age_on(today)
    aliases = list(ALIASES(person_id=record.pk))
    markers = list(MARKERS(person_id=record.pk))
    identifiers = [
        (Person._meta.get_field(name).verbose_name, getattr(record, name))
        for name in Person.IDENTIFIER_FIELDS
        if getattr(record, name)
    ]
    nominals = nominals_of(user, record)
    timeline = _timeline(links, convictions)
    notifications = [(n, notification_checks.timeliness(n)) for n in NOTIFICATIONS(person_id=record.pk)]
    context = {
        "person": record,
        "merged_into": merged_into(record) if merge_id is not None else None,
        "markers": markers,
        # The cards written in Python (people.cards), the HTML their templates wrote.
        "identity_card": cards.identity_card(record, age, identifiers, aliases, markers, may_change),
        "addresses_card": cards.addresses_card(record, addresses, may_change),
        "relationships": relationship_rows(user, record, relationships, network.seen),
        "network": network,
        "nominals_card": cards.nominals_card(record, nominals, may_change),
        "timeline_card": cards.timeline_card(record, timeline, may_change),
        "may_change": may_change,
        "assessments": list(ASSESSMENTS(person=record)),
        "assess_links": assessment_services.assessment_links(user, record),
        "notifications_card": cards.notifications_card(record, notifications, may_change),
        "retention_card": cards.retention_card(record, schedule, holds, may_change),
        "retention": schedule,
    }
    return render(request, "people/person.html", context)


def merged_into(person):
    """The merge that emptied this record into another, if it stands (its parts are on the kept record)."""
    from safeguard.matching.models import PersonMerge  # matching builds on people

    return (
        PersonMerge.objects.filter(merged=person, status=PersonMerge.Status.MERGED)
        .select_related("requested_by")
        .order_by("-pk")
        .first()
    )


def review_note(person) -> str:
    """What the user is told of an identifier another record holds: that it waits for review, never whose."""
    waiting = getattr(person, "identifiers_for_review", [])
    if not waiting:
        return ""
    names = " and ".join(str(Person._meta.get_field(field).verbose_name) for field in waiting)
    return (
        f" The {names} needs checking, so it has not been added yet: it has been sent for review and will be "
        "added once a reviewer has checked it."
    )


@login_required
def create(request):
    area = get_object_or_404(Area, pk=request.user.mappa_area_id, kind=Area.Kind.MAPPA)  # reference data
    gate.check(gate.context_for(request), Operation.CREATE, Person(area=area))
    return pages.form_page(
        request,
        PersonForm(pages.posted(request), instance=Person(area=area)),
        pages.saves(services.create_person),
        done=lambda record: f"{record.full_name} has been added.{review_note(record)}",
        then=person_url,
        template="people/person_form.html",
        context={"area": area},
    )


@login_required
def edit(request, pk: int):
    record = pages.gated(request, PEOPLE, pk, Operation.CHANGE)
    form = PersonForm(pages.posted(request), instance=record, editing=True, initial={"version": record.version})
    return pages.form_page(
        request,
        form,
        pages.saves(services.change_person, fields=("version", "reason")),
        done=lambda changed: f"{record.full_name}'s details have been changed.{review_note(changed)}",
        then=person_url(record),
        template="people/person_form.html",
        shows={"person": record},
        page="edit",
    )


@login_required
def history(request, pk: int):
    record = pages.gated(request, PEOPLE, pk, Operation.VIEW, {"page": "history"})
    return render(request, "people/history.html", {"person": record, "changes": person_changes(request.user, record)})
