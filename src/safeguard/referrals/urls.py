from django.urls import path

from .views import detail, lists, matac, new

app_name = "referrals"

urlpatterns = [
    path("", lists.referral_list, name="list"),
    path("<int:pk>/", detail.referral, name="referral"),
    path("<int:pk>/move/", detail.move, name="move"),
    path("people/<int:person_pk>/mappa/", new.new_mappa, name="new-mappa"),
    path("people/<int:person_pk>/marac/", new.new_marac, name="new-marac"),
    path("assessments/<int:assessment_pk>/marac/", new.new_marac_from_dash, name="new-marac-from-dash"),
    path("people/<int:person_pk>/matac/", new.new_simple, {"kind": "MATAC"}, name="new-matac"),
    path("people/<int:person_pk>/iom/", new.new_simple, {"kind": "IOM"}, name="new-iom"),
    path("matac/<int:forum_pk>/ranking/", matac.ranking, name="matac-ranking"),
]
