from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/new/", views.create, name="create"),
    path("people/<int:pk>/", views.person, name="person"),
]
