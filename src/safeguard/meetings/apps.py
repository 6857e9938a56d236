from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "safeguard.meetings"
    verbose_name = "Forums"
