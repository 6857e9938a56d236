from django.urls import path

from . import auth_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", auth_views.sign_in, name="sign-in"),
    path("sign-in/code/", auth_views.sign_in_code, name="sign-in-code"),
    path("sign-out/", auth_views.sign_out, name="sign-out"),
    path("account/password/", auth_views.change_password, name="change-password"),
    path("search/", views.search, name="search"),
    path("purpose/", views.purpose, name="purpose"),
]
