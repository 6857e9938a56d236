"""The actions pages (issue 4): one action and its changes, our agency's actions, completion rates, prompts."""

from . import actions, lists, prompts

urlpatterns: list = [*lists.urlpatterns, *prompts.urlpatterns, *actions.urlpatterns]
