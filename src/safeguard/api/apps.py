from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safeguard.api"
    verbose_name = "API"
