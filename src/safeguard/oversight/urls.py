from django.urls import path

from .views import characteristics, dashboard, forum_volumes, index, mappa, matac, relationships, safelives

app_name = "oversight"

urlpatterns = [
    path("", index.index, name="index"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard.csv", dashboard.dashboard_csv, name="dashboard-csv"),
    path("dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard-xlsx"),
    path("relationships/", relationships.quality, name="relationships"),
    path("relationships/missing/", relationships.missing, name="relationships-missing"),
    path(
        "relationships/incidents/<int:pk>/record/",
        relationships.record_for_incident,
        name="relationships-record-incident",
    ),
    path("relationships/cases/<int:pk>/record/", relationships.record_for_case, name="relationships-record-case"),
    path("forum-volumes/", forum_volumes.volumes, name="forum-volumes"),
    path("forum-volumes.csv", forum_volumes.volumes_csv, name="forum-volumes-csv"),
    path("forum-volumes.xlsx", forum_volumes.volumes_xlsx, name="forum-volumes-xlsx"),
    path("matac-outcomes/", matac.outcomes, name="matac-outcomes"),
    path("mappa-annual/", mappa.annual, name="mappa-annual"),
    path("mappa-annual/<int:year>.csv", mappa.annual_csv, name="mappa-annual-csv"),
    path("mappa-annual/<int:year>.xlsx", mappa.annual_xlsx, name="mappa-annual-xlsx"),
    path("safelives/", safelives.safelives, name="safelives"),
    path("safelives/<int:forum>/<int:year>-q<int:quarter>.csv", safelives.safelives_csv, name="safelives-csv"),
    path("safelives/<int:forum>/<int:year>-q<int:quarter>.xlsx", safelives.safelives_xlsx, name="safelives-xlsx"),
    path("people/<int:pk>/characteristics/", characteristics.characteristics, name="characteristics"),
]
