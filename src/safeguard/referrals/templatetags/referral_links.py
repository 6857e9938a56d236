"""Links to make a referral, shown on other apps' pages only to those the gate lets refer the person.

{% load referral_links %}{% refer_links person %}              person page: MARAC, MATAC, IOM
{% load referral_links %}{% refer_links person "mappa" %}      nominal page: MAPPA
{% load referral_links %}{% marac_referral_link assessment %}  DASH result: MARAC, pre-filled
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from safeguard.access import gate
from safeguard.audit.models import Operation

from ..models import Referral
from ..services import facts

register = template.Library()

LINKS = {
    "mappa": ("referrals:new-mappa", "Refer to MAPPA"),
    "marac": ("referrals:new-marac", "Make a MARAC referral"),
    "matac": ("referrals:new-matac", "Make a MATAC referral"),
    "iom": ("referrals:new-iom", "Select for IOM"),
}


def _may_refer(user, person) -> bool:
    return gate.decide(user, Operation.CREATE, Referral(person=person)).allowed


@register.simple_tag(takes_context=True)
def refer_links(context, person, kinds: str = "marac matac iom"):
    user = context.get("user")
    if user is None or not _may_refer(user, person):
        return ""
    wanted = [kind for kind in kinds.split() if kind in LINKS]
    with_forums = facts.kinds_with_forums(wanted, person)
    shown = [
        (reverse(LINKS[kind][0], kwargs={"person_pk": person.pk}), LINKS[kind][1])
        for kind in wanted
        if kind in with_forums
    ]
    if not shown:
        return ""
    links = format_html_join("", '<li><a class="govuk-link" href="{}">{}</a></li>', shown)
    return format_html('<ul class="govuk-list sg-referral-links">{}</ul>', links)


@register.simple_tag(takes_context=True)
def marac_referral_link(context, assessment):
    user = context.get("user")
    if user is None or not assessment.refer_to_marac or not _may_refer(user, assessment.person):
        return ""
    url = reverse("referrals:new-marac-from-dash", kwargs={"assessment_pk": assessment.pk})
    return format_html(
        '<p class="govuk-body"><a class="govuk-button" data-module="govuk-button" href="{}">'
        "Make a MARAC referral</a></p>",
        url,
    )
