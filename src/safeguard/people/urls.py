from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/new/", views.create, name="create"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.edit, name="edit"),
    path("people/<int:pk>/history/", views.history, name="history"),
    path("people/<int:pk>/names/new/", views.add_alias, name="add-alias"),
    path("people/<int:pk>/names/<int:alias_pk>/edit/", views.change_alias, name="change-alias"),
    path("people/<int:pk>/addresses/new/", views.add_address, name="add-address"),
    path("people/<int:pk>/addresses/<int:address_pk>/end/", views.end_address, name="end-address"),
    path("people/<int:pk>/warning-markers/new/", views.add_marker, name="add-marker"),
    path("people/<int:pk>/warning-markers/<int:marker_pk>/edit/", views.change_marker, name="change-marker"),
    path("people/<int:pk>/warning-markers/<int:marker_pk>/remove/", views.remove_marker, name="remove-marker"),
    path("people/<int:pk>/relationships/new/", views.add_relationship, name="add-relationship"),
    path(
        "people/<int:pk>/relationships/<int:relationship_pk>/edit/",
        views.change_relationship,
        name="change-relationship",
    ),
    path("people/<int:pk>/relationships/<int:relationship_pk>/end/", views.end_relationship, name="end-relationship"),
    path("people/<int:pk>/legal-holds/new/", views.place_legal_hold, name="place-legal-hold"),
    path("legal-holds/<int:pk>/lift/", views.lift_legal_hold, name="lift-legal-hold"),
]
