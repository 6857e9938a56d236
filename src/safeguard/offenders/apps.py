from django.apps import AppConfig


class OffendersConfig(AppConfig):
    name = "safeguard.offenders"
    verbose_name = "Nominals"
