"""The REST API under /api/. Route names are un-namespaced and start with "api-" (see tests/api/url_roles.py)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .views.events import IncidentViewSet
from .views.offenders import NominalViewSet
from .views.parts import AliasViewSet, ConvictionViewSet, RelationshipViewSet, WarningMarkerViewSet
from .views.pathways import NominalPathwaysViewSet
from .views.people import PersonViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="api-person")
router.register("incidents", IncidentViewSet, basename="api-incident")
router.register("nominals", NominalViewSet, basename="api-nominal")
router.register("nominals", NominalPathwaysViewSet, basename="api-nominal-pathways")
router.register("convictions", ConvictionViewSet, basename="api-conviction")
router.register("aliases", AliasViewSet, basename="api-alias")
router.register("warning-markers", WarningMarkerViewSet, basename="api-warning-marker")
router.register("relationships", RelationshipViewSet, basename="api-relationship")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Both behind sign-in: the schema through DRF (403 as JSON, SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]),
    # the documentation page through the sign-in page. Its script is served from the same URL (?script), not inline.
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")),
        name="api-docs",
    ),
    path("rules/", include("safeguard.calculators.api_urls")),
    *router.urls,
]
