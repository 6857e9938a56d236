from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeguard.people"
    verbose_name = "People"
