from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "safeguard.events"
    verbose_name = "Events"
