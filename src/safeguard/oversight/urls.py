from django.urls import path

from .views import mappa

app_name = "oversight"

urlpatterns = [
    path("mappa-annual/", mappa.annual, name="mappa-annual"),
    path("mappa-annual/<int:year>.csv", mappa.annual_csv, name="mappa-annual-csv"),
    path("mappa-annual/<int:year>.xlsx", mappa.annual_xlsx, name="mappa-annual-xlsx"),
]
