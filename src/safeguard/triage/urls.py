from .views import urlpatterns as _patterns

app_name = "triage"

urlpatterns = [*_patterns]
