from .views import urlpatterns as _patterns

app_name = "referrals"

urlpatterns = [*_patterns]
