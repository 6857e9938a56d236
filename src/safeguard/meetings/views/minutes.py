"""Minutes, sharing, quality audit and invitations (issue 4)."""

urlpatterns: list = []
