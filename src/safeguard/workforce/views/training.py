"""training pages (issue 5)."""

urlpatterns: list = []
