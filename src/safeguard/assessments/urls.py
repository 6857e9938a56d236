from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("people/<int:pk>/assessments/<slug:code>/new/", views.new, name="new"),
    path("assessments/<int:pk>/", views.detail, name="detail"),
]
