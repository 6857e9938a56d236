from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/download/", views.download, name="download"),
]
