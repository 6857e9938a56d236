from .views import core, minutes

app_name = "meetings"

urlpatterns = [*core.urlpatterns, *minutes.urlpatterns]
