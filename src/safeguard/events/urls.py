from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("people/<int:person_pk>/convictions/new/", views.record_conviction, name="record-conviction"),
    path("incidents/new/", views.record_incident, name="record-incident"),
    path("incidents/<int:pk>/", views.incident, name="incident"),
]
