from django.urls import path

from .views import allocation, caseloads, pack, training

app_name = "workforce"

urlpatterns = [
    path("", caseloads.index, name="index"),
    path("caseloads/", caseloads.caseloads, name="caseloads"),
    path("officers/<int:pk>/", caseloads.officer, name="officer"),
    path("training/", training.training, name="training"),
    path("training/officers/<int:pk>/", training.officer, name="training-officer"),
    path("training/officers/<int:pk>/completions/new/", training.record_completion, name="training-record"),
    path("training/officers/<int:pk>/waiting-list/new/", training.join_waiting_list, name="training-wait"),
    path("training/officers/<int:pk>/buddy/new/", training.assign_buddy, name="training-buddy"),
    path("training/completions/<int:pk>/change/", training.correct_completion, name="training-correct"),
    path("training/completions/<int:pk>/remove/", training.remove_completion, name="training-remove"),
    path("training/waiting-list/<int:pk>/", training.update_entry, name="training-entry"),
    path("training/places/new/", training.record_places, name="training-places"),
    path("training/places/<int:pk>/offer/", training.offer_places, name="training-offer"),
    path("training/buddies/<int:pk>/end/", training.end_buddy, name="training-buddy-end"),
    path("allocation/", allocation.allocation, name="allocation"),
    path("allocation/<int:pk>/", allocation.batch, name="batch"),
    path("allocation/<int:pk>/accept-all/", allocation.accept_all, name="batch-accept-all"),
    path("allocation/<int:pk>/recommendations/<int:rec_pk>/accept/", allocation.accept, name="batch-accept"),
    path("allocation/<int:pk>/recommendations/<int:rec_pk>/override/", allocation.override, name="batch-override"),
    path("pack/", pack.pack, name="pack"),
    path("pack/pack.csv", pack.pack_csv, name="pack-csv"),
    path("pack/pack.xlsx", pack.pack_xlsx, name="pack-xlsx"),
    path("pack/export/", pack.pack_export, name="pack-export"),
]
