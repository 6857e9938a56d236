from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safeguard.workforce"
    verbose_name = "Workforce and reference data"
