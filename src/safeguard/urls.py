from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

if settings.SAFEGUARD_REQUIRE_MFA:
    # The admin asks for the second factor too; only the demo relaxes it.
    admin.site.__class__ = OTPAdminSite

admin.site.site_header = "Safeguard administration (OFFICIAL-SENSITIVE)"
admin.site.site_title = "Safeguard administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("safeguard.api.urls")),
    path("rules/", include("safeguard.calculators.urls")),
    path("", include("safeguard.offenders.urls")),
    path("", include("safeguard.people.urls")),
    path("", include("safeguard.events.urls")),
    path("", include("safeguard.assessments.urls")),
    path("workforce/", include("safeguard.workforce.urls")),
    path("referrals/", include("safeguard.referrals.urls")),
    path("matching/", include("safeguard.matching.urls")),
    path("forums/", include("safeguard.meetings.urls")),
    path("actions/", include("safeguard.actions.urls")),
    path("triage/", include("safeguard.triage.urls")),
    path("", include("safeguard.orders.urls")),
    path("oversight/", include("safeguard.oversight.urls")),
    path("pathways/", include("safeguard.pathways.urls")),
    path("oidc/", include("safeguard.oidc.urls")),
    path("jobs/", include("safeguard.jobs.urls")),
    path("", include("safeguard.web.urls")),
]

if settings.SAFEGUARD_LOAD_CEILING:
    urlpatterns.insert(0, path("load-ceiling/", include("safeguard.web.load_ceiling")))

handler404 = "safeguard.web.views.not_found"
handler400 = "safeguard.web.errors.bad_request"
handler403 = "safeguard.web.errors.permission_denied"
handler500 = "safeguard.web.errors.server_error"
