"""A limit on failed sign-ins from one address across every username.

django-axes locks a username at one address after AXES_FAILURE_LIMIT failures; a spray of a few
passwords over many usernames never reaches that. This counts the failures axes has recorded for the
address (passwords, enrolment codes and TOTP codes alike) over the lock-out period, whatever the
username, and refuses the address once they reach SAFEGUARD_SIGN_IN_FAILURES_PER_ADDRESS. The count
lives in the database, so every application process sees the same one.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def failures_from_address(request) -> int:
    address = get_client_ip_address(request)
    if address is None:
        return 0
    since = timezone.now() - get_cool_off(request)
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def address_blocked(request) -> bool:
    return failures_from_address(request) >= settings.SAFEGUARD_SIGN_IN_FAILURES_PER_ADDRESS
