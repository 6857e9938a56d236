"""Meeting pages (issue 4): forums, scheduling, agenda, running the meeting."""

urlpatterns: list = []
