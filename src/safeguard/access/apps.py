from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    verbose_name = "Access gate"
