from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "safeguard.web"
    verbose_name = "Web pages"
