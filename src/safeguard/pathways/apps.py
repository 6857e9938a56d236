from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "safeguard.pathways"
    verbose_name = "Interventions, release pathways and peer observation"
