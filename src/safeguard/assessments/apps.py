from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_instruments(sender, using="default", **kwargs):
    from .instruments import sync_instruments

    sync_instruments(using)


class AssessmentsConfig(AppConfig):
    name = "safeguard.assessments"
    verbose_name = "Assessments and risk tools"

    def ready(self):
        post_migrate.connect(_load_instruments, sender=self)
