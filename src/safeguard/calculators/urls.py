"""The calculator pages, under /rules/."""

from django.urls import path

from . import views

app_name = "calculators"

urlpatterns = [
    path("", views.index, name="index"),
    path("notification/", views.notification, name="notification"),
    path("dash/", views.dash, name="dash"),
    path("rm2000/", views.rm2000, name="rm2000"),
    path("rfg/", views.rfg, name="rfg"),
    path("workload-capacity/", views.workload_capacity, name="workload-capacity"),
]
