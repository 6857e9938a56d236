from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "safeguard.assessments"
    verbose_name = "Assessments and risk tools"
