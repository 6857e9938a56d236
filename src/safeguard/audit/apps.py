from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguard.audit"
    verbose_name = "Audit store"
