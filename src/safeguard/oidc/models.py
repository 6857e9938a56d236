"""A member of staff's link to their identity at the force's provider, and the provider's second factor."""

from django.conf import settings
from django.db import models
from django_otp.models import Device


class LinkedIdentity(models.Model):
    """The provider's stable subject for one member of staff, set by an administrator.

    `subject` is the canonical form of the configured subject claims (see
    claims.subject_key), e.g. {"iss": ..., "sub": ...} or {"oid": ..., "tid": ...}.
    """

    staff = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="linked_identity")
    subject = models.CharField(max_length=500, unique=True)
    linked_at = models.DateTimeField(auto_now=True)
    linked_by_username = models.CharField(max_length=150)

    class Meta:
        verbose_name = "linked organisation account"
        ordering = ["staff__username"]

    def __str__(self) -> str:
        return f"organisation account of {self.staff.get_username()}"


class ProviderMfaDevice(Device):
    """The identity provider, standing as a member of staff's second factor.

    django-otp marks a session verified by the device it was verified with.
    A sign-in whose ID token asserts multi-factor authentication (amr/acr) is
    verified with this device, so the rest of Safeguard sees the same state as
    after a TOTP code. It verifies no token of its own: it is never a way to
    enter a code.
    """

    def verify_token(self, token) -> bool:
        return False

    def verify_is_allowed(self):
        return False, {"reason": "MFA is asserted by the identity provider at sign-in only"}

    class Meta:
        verbose_name = "second factor asserted by the identity provider"
