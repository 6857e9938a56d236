"""The person page's identity, addresses, nominals and timeline cards, written in Python.

The person page is the heaviest read page of the load mix per view, and these cards' template lookups, filters,
URL tags and includes cost more than the rest of its rendering. Each function here writes the HTML its template
(people/includes/card_*.html, with the card's top from people/includes/card.html) drew, byte for byte, the
whitespace included: tests/people/test_person_cards.py compares the two. Every value is escaped as the template
escaped it (``{{ value }}``: localised, then escaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeData, SafeString, mark_safe

from safeguard.web import dates, html_text
from safeguard.web.templatetags.govuk import category_words

if TYPE_CHECKING:
    from safeguard.events.models import Notification
    from safeguard.events.notification_checks import Timeliness
    from safeguard.offenders.models import Nominal
    from safeguard.rules.retention import RetentionSchedule
    from safeguard.rules.working import Step

    from .models import Address, Alias, LegalHold, Person, WarningMarker

_text = html_text.text
_href = html_text.href


def _date(value: Any) -> str:
    """``{{ value|govuk_date }}``."""
    return escape(dates.long_date(value))


def _pluralize(value: int) -> str:
    """``{{ value|pluralize }}`` for a number."""
    return "" if value == 1 else "s"


def card_top(title: str, name: str, may_change: bool, action_url: str = "", action_text: str = "") -> str:
    """people/includes/card.html: the card's title and, when the user may change the record, its action."""
    action = (
        f'\n  <ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action"><a class="govuk-link" '
        f'href="{escape(action_url)}">{action_text}<span class="govuk-visually-hidden"> for {name}</span></a></li></ul>'
        "\n  "
        if may_change and action_url
        else ""
    )
    return (
        '\n<div class="govuk-summary-card__title-wrapper">\n'
        f'  <h2 class="govuk-summary-card__title">{title}</h2>\n'
        f"  {action}\n"
        "</div>\n"
    )


def _card(url: str, top: str, content: str, card_id: str = "") -> str:
    """A card whose template sets an action URL, includes the card's top, then its content."""
    attributes = f' id="{card_id}"' if card_id else ""
    return (
        f'<div class="govuk-summary-card"{attributes}>\n  {url}\n  {top}\n'
        f'  <div class="govuk-summary-card__content">\n{content}'
    )


def _summary_row(key: str, value: str) -> str:
    return (
        f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt>'
        f'<dd class="govuk-summary-list__value">{value}</dd></div>'
    )


def identity_card(
    person: Person,
    age: int | None,
    identifiers: Sequence[tuple[Any, Any]],
    aliases: Sequence[Alias],
    markers: Sequence[WarningMarker],
    may_change: bool,
) -> SafeString:
    """people/includes/card_identity.html: the identity, the other names and the warning markers."""
    pk = person.pk
    name = _text(person.full_name)
    born = f"{_date(person.date_of_birth)} (age {_text(age)})" if person.date_of_birth else "Not known"
    rows = "".join(
        f"      {_summary_row(key, value)}\n"
        for key, value in (
            ("Name", name),
            ("Date of birth", born),
            ("Gender", _text(person.get_gender_display())),
            ("Ethnicity", _text(person.get_ethnicity_display())),
        )
    )
    found = "".join(f"\n      {_summary_row(_text(label), _text(value))}\n      " for label, value in identifiers)
    found = found or f"\n      {_summary_row('Identifiers', 'None recorded')}\n      "
    out = _card(
        "",
        card_top("Identity", name, may_change, reverse("people:edit", args=[pk]), "Change details"),
        f'    <dl class="govuk-summary-list">\n{rows}      {found}\n    </dl>\n  </div>\n</div>\n',
    )
    # Other names.
    if aliases:
        change = _href("people:change-alias", pk) if may_change else None
        items = ""
        for a in aliases:
            alias = _text(a)
            born = f", born {_date(a.date_of_birth)}" if a.date_of_birth else ""
            action = (
                f'<dd class="govuk-summary-list__actions"><a class="govuk-link" href="{change(a.pk)}">Change'
                f'<span class="govuk-visually-hidden"> the name {alias}</span></a></dd>'
                if change
                else ""
            )
            items += (
                f'\n      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
                f"{_text(a.get_kind_display())}</dt>"
                f'<dd class="govuk-summary-list__value">{alias}{born}</dd>{action}</div>\n      '
            )
        content = f'    \n    <dl class="govuk-summary-list">\n      {items}\n    </dl>\n    \n  </div>\n</div>\n'
    else:
        content = '    <p class="govuk-body">None recorded.</p>\n  </div>\n</div>\n'
    out += _card(
        "",
        card_top("Other names", name, may_change, reverse("people:add-alias", args=[pk]), "Add another name"),
        content,
    )
    # Warning markers.
    if markers:
        change = _href("people:change-marker", pk) if may_change else None
        remove = _href("people:remove-marker", pk) if may_change else None
        items = ""
        for m in markers:
            code = _text(m.get_code_display())
            action = (
                '<dd class="govuk-summary-list__actions"><ul class="govuk-summary-list__actions-list">'
                f'<li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="{change(m.pk)}">Change'
                f'<span class="govuk-visually-hidden"> the warning marker {code}</span></a></li>'
                f'<li class="govuk-summary-list__actions-list-item"><a class="govuk-link" href="{remove(m.pk)}">Remove'
                f'<span class="govuk-visually-hidden"> the warning marker {code}</span></a></li></ul></dd>'
                if change and remove
                else ""
            )
            items += (
                '\n      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
                f'<strong class="govuk-tag govuk-tag--red">{code}</strong></dt>'
                f'<dd class="govuk-summary-list__value">{_text(m.note or "No note")}<br>'
                f'<span class="govuk-body-s">From {_date(m.from_date)}</span></dd>{action}</div>\n      '
            )
        content = f'    \n    <dl class="govuk-summary-list">\n      {items}\n    </dl>\n    \n  </div>\n</div>\n'
    else:
        content = '    <p class="govuk-body">None recorded.</p>\n  </div>\n</div>\n'
    out += _card(
        "",
        card_top("Warning markers", name, may_change, reverse("people:add-marker", args=[pk]), "Add a warning marker"),
        content,
    )
    return mark_safe(out)  # noqa: S308 (every value in it escaped above)


def addresses_card(person: Person, addresses: Sequence[Address], may_change: bool) -> SafeString:
    """people/includes/card_addresses.html: the person's addresses, current first."""
    pk = person.pk
    name = _text(person.full_name)
    if addresses:
        end = _href("people:end-address", pk) if may_change else None
        items = ""
        for a in addresses:
            address = _text(a)
            if a.kind == "approved_premises":
                kind = '<br><strong class="govuk-tag govuk-tag--purple">Approved premises</strong>'
            elif a.kind != "home" and a.kind != "nfa":
                kind = f'<br><span class="govuk-body-s">{_text(a.get_kind_display())}</span>'
            else:
                kind = ""
            until = f" to {_date(a.to_date)}" if a.to_date else ""
            status = (
                '<strong class="govuk-tag govuk-tag--green">Current</strong>'
                if a.is_current
                else '<strong class="govuk-tag govuk-tag--grey">Previous</strong>'
            )
            action = ""
            if end:
                link = (
                    f'<a class="govuk-link" href="{end(a.pk)}">End<span class="govuk-visually-hidden"> the address '
                    f"{address}</span></a>"
                    if not a.to_date
                    else ""
                )
                action = f'<td class="govuk-table__cell">{link}</td>'
            items += (
                '\n      <tr class="govuk-table__row">\n'
                f'        <td class="govuk-table__cell">{address}{kind}</td>\n'
                f'        <td class="govuk-table__cell">From {_date(a.from_date)}{until}</td>\n'
                f'        <td class="govuk-table__cell">{status}</td>\n'
                f"        {action}\n"
                "      </tr>\n      "
            )
        head = (
            '<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>'
            if may_change
            else ""
        )
        content = (
            '    \n    <table class="govuk-table">\n'
            '      <caption class="govuk-table__caption govuk-visually-hidden">Addresses, current first</caption>\n'
            '      <thead class="govuk-table__head"><tr class="govuk-table__row">\n'
            '        <th scope="col" class="govuk-table__header">Address</th>\n'
            '        <th scope="col" class="govuk-table__header">Dates</th>\n'
            '        <th scope="col" class="govuk-table__header">Status</th>\n'
            f"        {head}\n"
            "      </tr></thead>\n"
            '      <tbody class="govuk-table__body">\n'
            f"      {items}\n"
            "      </tbody>\n"
            "    </table>\n"
            "    \n  </div>\n</div>\n"
        )
    else:
        content = '    <p class="govuk-body">None recorded.</p>\n  </div>\n</div>\n'
    top = card_top("Addresses", name, may_change, reverse("people:add-address", args=[pk]), "Add an address")
    return mark_safe(_card("", top, content))  # noqa: S308 (every value in it escaped above)


def nominals_card(person: Person, nominals: Sequence[Nominal], may_change: bool) -> SafeString:
    """people/includes/card_nominals.html: the person's nominals that the user may see."""
    name = _text(person.full_name)
    if nominals:
        href = _href("offenders:nominal")
        items = ""
        for n in nominals:
            manager = n.offender_manager
            managed = f", managed by {_text(manager.get_full_name())}" if manager else ""
            items += (
                f'\n      <li><a class="govuk-link" href="{href(n.pk)}">{_text(n.reference)}</a>: '
                f"{_text(category_words(n.mappa_category))}, Level {_text(n.management_level)}, "
                f"{_text(n.get_status_display().lower())}{managed}</li>\n      "
            )
        content = f'    \n    <ul class="govuk-list">\n      {items}\n    </ul>\n    \n  </div>\n</div>\n'
    else:
        content = '    <p class="govuk-body">None that you can see.</p>\n  </div>\n</div>\n'
    top = card_top("Nominals", name, may_change, reverse("offenders:open", args=[person.pk]), "Open a nominal")
    return mark_safe(_card("", top, content))  # noqa: S308 (every value in it escaped above)


def timeline_card(person: Person, timeline: Sequence[dict[str, Any]], may_change: bool) -> SafeString:
    """people/includes/card_timeline.html: the person's incidents (with their roles) and convictions, newest
    first (``views.record._timeline``)."""
    name = _text(person.full_name)
    if timeline:
        incident_href = _href("events:incident")
        change = _href("events:change-conviction") if may_change else None
        items = ""
        for item in timeline:
            if item["kind"] == "incident":
                i = item["incident"]
                roles = ", ".join(_text(role) for role in item["roles"])
                offence = f" {_text(i.offence.description)}." if i.offence else ""
                da = '<strong class="govuk-tag govuk-tag--red">Domestic abuse</strong>' if i.domestic_abuse else ""
                body = (
                    '\n        <h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" '
                    f'href="{incident_href(i.pk)}">Incident {_text(i.reference)}</a></h3>\n'
                    '        <p class="govuk-body govuk-!-margin-bottom-1">'
                    f"{escape(dates.long_datetime(i.occurred_at))}, {_text(i.local_area)}. "
                    f"Role: {roles}.{offence}</p>\n"
                    f"        {da}\n        "
                )
            else:
                c = item["conviction"]
                kind = _text(c.get_kind_display())
                description = _text(c.offence.description)
                court = f", {_text(c.court)}" if c.court else ""
                term = f", {_text(c.term_months)} month{_pluralize(c.term_months)}" if c.term_months else ""
                discharge = (
                    f", discharge {_text(c.discharge_months)} month{_pluralize(c.discharge_months)}"
                    if c.discharge_months
                    else ""
                )
                soa = (
                    '<strong class="govuk-tag govuk-tag--orange">SOA 2003 Schedule 3</strong>'
                    if c.soa_schedule_3
                    else ""
                )
                cja = (
                    '<strong class="govuk-tag govuk-tag--orange">CJA 2003 Schedule 15</strong>'
                    if c.cja_schedule_15
                    else ""
                )
                changing = (
                    '<p class="govuk-body govuk-!-margin-bottom-0"><a class="govuk-link" '
                    f'href="{change(c.pk)}">Change<span class="govuk-visually-hidden"> the '
                    f"{_text(str(c.get_kind_display()).lower())} for {description} on {_date(c.relevant_date)}"
                    "</span></a></p>"
                    if change
                    else ""
                )
                body = (
                    f'\n        <h3 class="govuk-heading-s govuk-!-margin-bottom-1">{kind}: {description}</h3>\n'
                    f'        <p class="govuk-body govuk-!-margin-bottom-1">{_date(c.relevant_date)}{court}. '
                    f"{_text(c.get_disposal_display())}{term}{discharge}.</p>\n"
                    f"        {soa}\n        {cja}\n        {changing}\n        "
                )
            items += f'\n      <li class="govuk-!-margin-bottom-4">\n        {body}\n      </li>\n      '
        content = f'    \n    <ol class="govuk-list sg-timeline">\n      {items}\n    </ol>\n    \n  </div>\n</div>\n'
    else:
        content = '    <p class="govuk-body">None recorded.</p>\n  </div>\n</div>\n'
    top = card_top("Incidents and convictions, newest first", name, may_change)
    card = f'<div class="govuk-summary-card">\n  {top}\n  <div class="govuk-summary-card__content">\n{content}'
    return mark_safe(card)  # noqa: S308 (every value in it escaped above)


def notifications_card(
    person: Person, notifications: Sequence[tuple[Notification, Timeliness]], may_change: bool
) -> SafeString:
    """events/includes/card_notifications.html: the person's latest notifications, each with whether it was made
    in time (``notification_checks.timeliness``): ``notifications`` is a list of (notification, its check)."""
    name = _text(person.full_name)
    if notifications:
        items = ""
        for n, check in notifications:
            change = ""
            if n.change:
                on = f", {_date(n.event_on)}" if n.event_on else ""
                change = f" ({_text(n.get_change_display().lower())}{on})"
            travel = f", travel to {_text(n.destination)} from {_date(n.departure_on)}" if n.departure_on else ""
            if check.on_time is True:
                tag = ' <strong class="govuk-tag govuk-tag--green">In time</strong>'
            elif check.on_time is False:
                tag = f' <strong class="govuk-tag govuk-tag--red">Late: due by {_date(check.due)}</strong>'
            else:
                tag = ""
            items += f"<li>{_date(n.notified_on)}: {_text(n.get_kind_display())}{change}{travel}{tag}</li>"
        content = f'    \n    <ul class="govuk-list">\n      {items}\n    </ul>\n    \n  </div>\n</div>\n'
    else:
        content = '    <p class="govuk-body">No notifications recorded.</p>\n  </div>\n</div>\n'
    top = card_top(
        "Notifications (SOA 2003 Part 2)",
        name,
        may_change,
        reverse("events:record-notification", args=[person.pk]),
        "Record a notification",
    )
    return mark_safe(_card("", top, content, "notifications"))  # noqa: S308


def _steps(steps: Sequence[Step]) -> str:
    """includes/working_steps.html: a rule's working, each step with its source."""
    items = ""
    for step in steps:
        text = "" if step.text is None else dates.dates_in_words(step.text)
        # ``dates_in_words`` keeps its value's escaping: a safe text stays unescaped, any other is escaped.
        text = text if isinstance(step.text, SafeData) else escape(text)
        source = f' <span class="govuk-body-s">({_text(step.source)})</span>' if step.source else ""
        items += f"<li>{text}{source}</li>"
    return f"\n{items}\n"


def retention_card(
    person: Person, schedule: RetentionSchedule | None, holds: Sequence[LegalHold], may_change: bool
) -> SafeString:
    """people/includes/card_retention.html: the person's retention schedule, how it was worked out, and their
    legal holds."""
    name = _text(person.full_name)
    if schedule:
        if schedule.blocked_by_legal_hold:
            disposal = "Blocked by a legal hold"
        else:
            disposal = _date(schedule.earliest_disposal_on) or "Not before the subject is reviewed"
        content = (
            "    \n"
            '    <dl class="govuk-summary-list">\n'
            f"      {_summary_row('Review group', f'Group {_text(schedule.group)}')}\n"
            f"      {_summary_row('Next review', _date(schedule.next_review_on) or 'Not set')}\n"
            f"      {_summary_row('Earliest disposal', disposal)}\n"
            "    </dl>\n"
            '    <details class="govuk-details"><summary class="govuk-details__summary">'
            '<span class="govuk-details__summary-text">How these dates were worked out</span></summary>\n'
            '      <div class="govuk-details__text"><ol class="govuk-list govuk-list--number">'
            f"{_steps(schedule.working)}</ol></div>\n"
            "    </details>\n"
            "    "
        )
    else:
        content = (
            '    <p class="govuk-body">Retention follows the records this person appears in (a victim, witness or '
            "child present).</p>"
        )
    content += "\n    "
    if holds:
        lift = _href("people:lift-legal-hold") if may_change else None
        items = ""
        for h in holds:
            placed = _date(h.placed_on)
            if h.lifted_on:
                state = f" (lifted {_date(h.lifted_on)}: {_text(h.lift_reason)})"
            elif lift:
                state = (
                    f' <a class="govuk-link" href="{lift(h.pk)}">Lift<span class="govuk-visually-hidden"> the legal '
                    f"hold of {placed}</span></a>"
                )
            else:
                state = ""
            items += f"<li>{placed}: {_text(h.reason)}{state}</li>"
        content += f'\n    <h3 class="govuk-heading-s">Legal holds</h3>\n    <ul class="govuk-list">{items}</ul>\n    '
    content += "\n  </div>\n</div>\n"
    top = card_top(
        "Retention and legal holds",
        name,
        may_change,
        reverse("people:place-legal-hold", args=[person.pk]),
        "Place a legal hold",
    )
    return mark_safe(_card("", top, content, "retention"))  # noqa: S308
