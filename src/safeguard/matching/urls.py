from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.pair, name="pair"),
    path("<int:pk>/merge/", views.merge_pair, name="merge-pair"),
    path("merges/<int:pk>/", views.merge_record, name="merge"),
]
