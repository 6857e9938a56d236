from django.urls import path

from .views import parts, record

app_name = "people"

urlpatterns = [
    path("people/new/", record.create, name="create"),
    path("people/<int:pk>/", record.person, name="person"),
    path("people/<int:pk>/edit/", record.edit, name="edit"),
    path("people/<int:pk>/history/", record.history, name="history"),
    path("people/<int:pk>/names/new/", parts.add_part, {"part": "alias"}, name="add-alias"),
    path("people/<int:pk>/names/<int:alias_pk>/edit/", parts.change_part, {"part": "alias"}, name="change-alias"),
    path("people/<int:pk>/addresses/new/", parts.add_part, {"part": "address"}, name="add-address"),
    path("people/<int:pk>/addresses/<int:address_pk>/end/", parts.end_address, name="end-address"),
    path("people/<int:pk>/warning-markers/new/", parts.add_part, {"part": "marker"}, name="add-marker"),
    path(
        "people/<int:pk>/warning-markers/<int:marker_pk>/edit/",
        parts.change_part,
        {"part": "marker"},
        name="change-marker",
    ),
    path("people/<int:pk>/warning-markers/<int:marker_pk>/remove/", parts.remove_marker, name="remove-marker"),
    path("people/<int:pk>/relationships/new/", parts.add_relationship, name="add-relationship"),
    path(
        "people/<int:pk>/relationships/<int:relationship_pk>/edit/",
        parts.change_part,
        {"part": "relationship"},
        name="change-relationship",
    ),
    path(
        "people/<int:pk>/relationships/<int:relationship_pk>/end/",
        parts.change_part,
        {"part": "relationship-end"},
        name="end-relationship",
    ),
    path("people/<int:pk>/legal-holds/new/", parts.add_part, {"part": "legal-hold"}, name="place-legal-hold"),
    path("legal-holds/<int:pk>/lift/", parts.lift_legal_hold, name="lift-legal-hold"),
]
