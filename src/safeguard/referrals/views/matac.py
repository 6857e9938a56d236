"""The MATAC ranking: the force's serial perpetrators by RFG, top N per local area, each with "Nominate".

The ranking is ``assessments.rfg_ranking.rank_force`` (one SQL pass) with the
area's RFG settings; only the MATAC's coordinators see it, and only the people
the gate lets them see are listed (the others are counted, never named).
Nominating re-scores the person with the rule itself and keeps the working.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from safeguard.access import gate
from safeguard.assessments import rfg_ranking
from safeguard.audit.models import Operation
from safeguard.meetings.models import Forum
from safeguard.people.models import Person
from safeguard.workforce.models import Area

from .. import services
from ..forms import NominateForm
from ..models import Referral
from ..services import facts


@login_required
def ranking(request, forum_pk: int):
    forum = get_object_or_404(Forum, pk=forum_pk, kind=Forum.Kind.MATAC)
    ctx = gate.context_for(request)
    gate.check(ctx, Operation.CHANGE, forum)  # the MATAC's coordinators only
    gate.authorise(ctx, Operation.VIEW, forum, {"page": "RFG ranking"})
    error = None
    if request.method == "POST":
        form = NominateForm(request.POST)
        if form.is_valid():
            person = get_object_or_404(Person, pk=form.cleaned_data["person"])
            try:
                referral = services.nominate_for_matac(ctx, person=person, forum=forum)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, f"Referral {referral.pk} is saved as a draft: check it, then submit it.")
                return redirect("referrals:referral", pk=referral.pk)
        else:
            error = "Choose a person to nominate"
    today = timezone.localdate()
    config = facts.rfg_settings(forum)
    area_ids = facts.matac_local_areas(forum)
    ranked = rfg_ranking.rank_force(config, today, area_ids=area_ids)
    people = gate.scoped(request.user, Person.objects.filter(pk__in=[r.person_id for r in ranked])).in_bulk()
    nominated = dict(
        Referral.objects.filter(kind=Referral.Kind.MATAC, forum=forum, person_id__in=list(people))
        .exclude(status__in=[Referral.Status.WITHDRAWN, Referral.Status.DECLINED])
        .values_list("person_id", "pk")
    )
    areas = Area.objects.in_bulk(area_ids)
    by_area: dict[int, dict] = defaultdict(lambda: {"rows": [], "withheld": 0})
    for row in ranked:
        entry = by_area[row.area_id]
        person = people.get(row.person_id)
        if person is None:
            entry["withheld"] += 1
            continue
        entry["rows"].append({"ranked": row, "person": person, "referral_id": nominated.get(row.person_id)})
    sections = [
        {"area": areas.get(area_id), **by_area[area_id]}
        for area_id in sorted(area_ids, key=lambda a: areas[a].name if a in areas else "")
    ]
    gate.audit_list(ctx, Operation.VIEW, Person, sorted(people), {"page": "RFG ranking", "forum": forum.pk})
    return render(
        request,
        "referrals/matac_ranking.html",
        {
            "forum": forum,
            "sections": sections,
            "config": config,
            "today": today,
            "error": error,
            "top_n": config.top_n_per_area,
        },
    )
