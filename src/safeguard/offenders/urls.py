from django.urls import path

from . import views

app_name = "offenders"

urlpatterns = [
    path("nominals/<int:pk>/", views.nominal, name="nominal"),
]
