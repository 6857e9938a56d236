from .views import allocation, caseloads, pack, training

app_name = "workforce"

urlpatterns = [*caseloads.urlpatterns, *training.urlpatterns, *allocation.urlpatterns, *pack.urlpatterns]
