from django.urls import path

from .views import actions, category3, lists, prompts

app_name = "actions"

urlpatterns = [
    path("agency/", lists.agency, name="agency"),
    path("forums/<int:forum_pk>/completion/", lists.rates, name="rates"),
    path("prompts/<int:pk>/", prompts.prompt, name="prompt"),
    path("category3-scan/", category3.category3, name="category3"),
    path("<int:pk>/", actions.action, name="action"),
    path("<int:pk>/complete/", actions.complete, name="complete"),
    path("<int:pk>/start/", actions.start, name="start"),
    path("<int:pk>/cancel/", actions.change, {"change": "cancel"}, name="cancel"),
    path("<int:pk>/due-date/", actions.change, {"change": "due-date"}, name="due-date"),
    path("<int:pk>/reassign/", actions.change, {"change": "reassign"}, name="reassign"),
]
