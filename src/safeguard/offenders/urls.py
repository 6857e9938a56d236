from django.urls import path

from . import views

app_name = "offenders"

urlpatterns = [
    path("nominals/<int:pk>/", views.nominal, name="nominal"),
    path("nominals/<int:pk>/change/", views.change, name="change"),
    path("nominals/<int:pk>/history/", views.history, name="history"),
    path("nominals/<int:pk>/access-log/", views.access_log, name="access-log"),
    path("people/<int:person_pk>/nominals/new/", views.open_nominal, name="open"),
]
