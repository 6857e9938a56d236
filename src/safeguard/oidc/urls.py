from django.urls import path

from . import views

app_name = "oidc"

urlpatterns = [
    path("start/", views.StartSignIn.as_view(), name="start"),
    path("callback/", views.callback, name="callback"),
    path("links/", views.links, name="links"),
    path("links/<int:pk>/remove/", views.unlink, name="unlink"),
]
