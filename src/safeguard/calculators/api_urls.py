"""The calculators' API routes; the lead includes them under /api/rules/. Names start "api-rules-"."""

from django.urls import path

from . import api

urlpatterns = [
    path("notification/", api.NotificationCalculator.as_view(), name="api-rules-notification"),
    path("dash/", api.DashCalculator.as_view(), name="api-rules-dash"),
    path("rm2000/", api.Rm2000Calculator.as_view(), name="api-rules-rm2000"),
    path("rfg/", api.RfgCalculator.as_view(), name="api-rules-rfg"),
    path("workload-capacity/", api.WorkloadCapacityCalculator.as_view(), name="api-rules-workload-capacity"),
]
