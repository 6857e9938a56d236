from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "safeguard.triage"
    verbose_name = "Daily domestic-abuse triage"
