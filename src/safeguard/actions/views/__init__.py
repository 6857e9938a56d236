"""The actions pages, one module a page: one action and its changes (``actions``), our agency's actions and
completion rates (``lists``), a prompt and its decision (``prompts``); ``actions.urls`` is their URL table."""
