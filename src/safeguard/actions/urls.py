from .views import urlpatterns as _patterns

app_name = "actions"

urlpatterns = [*_patterns]
