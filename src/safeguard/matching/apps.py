from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "safeguard.matching"
    verbose_name = "One person, one record: matching and review"
