"""triage pages (issue 4)."""

urlpatterns: list = []
