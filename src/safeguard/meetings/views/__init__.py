"""Meeting pages: each module keeps its own urlpatterns; meetings.urls joins them."""
