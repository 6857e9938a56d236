from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("people/<int:person_pk>/convictions/new/", views.record_conviction, name="record-conviction"),
    path("incidents/new/", views.record_incident, name="record-incident"),
    path("people/<int:person_pk>/notifications/new/", views.record_notification, name="record-notification"),
    path("convictions/<int:pk>/edit/", views.change_conviction, name="change-conviction"),
    path("incidents/<int:pk>/", views.incident, name="incident"),
    path("incidents/<int:pk>/edit/", views.change_incident, name="change-incident"),
    path("incidents/<int:pk>/people/", views.incident_people, name="incident-people"),
]
