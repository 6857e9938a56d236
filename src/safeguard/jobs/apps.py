from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "safeguard.jobs"
    verbose_name = "Background jobs"
