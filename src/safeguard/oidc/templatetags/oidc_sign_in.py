"""The sign-in page's link to the organisation's identity provider, shown only when it is configured."""

from django import template

from safeguard.oidc import config

register = template.Library()


@register.inclusion_tag("oidc/sign_in_link.html")
def organisation_sign_in():
    return {"enabled": config.enabled()}
