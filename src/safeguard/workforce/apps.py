from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _load_catalogue(sender, using="default", **kwargs):
    from .catalogue import sync_courses

    sync_courses(using)


class WorkforceConfig(AppConfig):
    name = "safeguard.workforce"
    verbose_name = "Workforce and reference data"

    def ready(self):
        post_migrate.connect(_load_catalogue, sender=self)
