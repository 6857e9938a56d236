from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "safeguard.orders"
    verbose_name = "Orders, breaches and outcomes of nominals"
