"""The person record: its page, its creation, the change of its details, its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from safeguard.access import gate
from safeguard.assessments import services as assessment_services
from safeguard.audit.models import Operation
from safeguard.events import notification_checks
from safeguard.events.models import Conviction, IncidentPerson, IncidentRole
from safeguard.offenders.models import Nominal
from safeguard.web import pages
from safeguard.workforce.models import Area

from .. import retention, services
from ..forms import PersonForm
from ..models import Person
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


def _person_page_people():
    """The people, each read with whether they have an active nominal (retention: managed) and the merge that
    emptied the record, if one stands: asked in the gate's query, not in two of their own."""
    from safeguard.matching.models import PersonMerge  # matching builds on people

    merges = PersonMerge.objects.filter(merged=OuterRef("pk"), status=PersonMerge.Status.MERGED).order_by("-pk")
    return PEOPLE.annotate(
        has_active_nominal=Exists(Nominal.objects.filter(person=OuterRef("pk"), status=Nominal.Status.ACTIVE)),
        standing_merge_id=Subquery(merges.values("pk")[:1]),
    )


@login_required
def person(request, pk: int):
    record = pages.gated(request, _person_page_people(), pk)
    user = request.user
    ctx = gate.context_for(request)
    today = timezone.localdate()
    addresses = sorted(record.addresses.all(), key=lambda a: (not a.is_current, -a.from_date.toordinal()))
    # Read once, shown in several places: the person's incidents (the timeline, the network, retention), their
    # convictions (the timeline, retention), their relationships (the table, the network) and their holds.
    links = list(
        IncidentPerson.objects.filter(person=record).select_related("incident__offence", "incident__local_area")
    )
    convictions = list(Conviction.objects.filter(person=record).select_related("offence"))
    relationships = relationships_of(record)
    holds = list(record.legal_holds.select_related("placed_by"))
    network = network_of(ctx, record, relationships, {link.incident_id: link.role for link in links})
    schedule = retention.schedule_from(
        record,
        managed=record.has_active_nominal,
        convictions=convictions,
        perpetrator_on=[
            timezone.localdate(link.incident.occurred_at) for link in links if link.role == IncidentRole.PERPETRATOR
        ],
        held=any(hold.lifted_on is None for hold in holds),
    )
    context = {
        "person": record,
        "merged_into": merged_into(record) if record.standing_merge_id is not None else None,
        "age": record.age_on(today),
        "aliases": record.aliases.all(),
        "addresses": addresses,
        "markers": record.warning_markers.all(),
        "relationships": relationship_rows(user, record, relationships, network.seen),
        "network": network,
        "nominals": gate.scoped(user, Nominal.objects.filter(person=record)).select_related("offender_manager"),
        "timeline": _timeline(links, convictions),
        "may_change": gate.decide(user, Operation.CHANGE, record).allowed,
        "assessments": assessment_services.assessments_of(record),
        "assess_links": assessment_services.assessment_links(user, record),
        "notifications": [(n, notification_checks.timeliness(n)) for n in record.notifications.all()[:10]],
        "retention": schedule,
        "holds": holds,
        "identifiers": [
            (Person._meta.get_field(name).verbose_name, getattr(record, name))
            for name in Person.IDENTIFIER_FIELDS
            if getattr(record, name)
        ],
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
