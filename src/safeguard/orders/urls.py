from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("nominals/<int:pk>/orders/", views.orders, name="list"),
    path("nominals/<int:pk>/orders/new/", views.record_order, name="record-order"),
    path("nominals/<int:pk>/outcomes/new/", views.record_outcome, name="record-outcome"),
    path("orders/<int:pk>/breaches/new/", views.record_breach, name="record-breach"),
]
