from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    verbose_name = "Access gate"

    def ready(self) -> None:
        # Each app registers the policies of its own models in its ``policies`` module (access.registry).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("policies")
