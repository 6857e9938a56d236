from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "safeguard.actions"
    verbose_name = "Multi-agency actions and prompts"
