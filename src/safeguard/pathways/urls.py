from django.urls import path

from .views import cpd, figures, interventions, iom, observations, release

app_name = "pathways"

urlpatterns = [
    path("nominals/<int:pk>/interventions/", interventions.nominal_interventions, name="interventions"),
    path("nominals/<int:pk>/refer/", interventions.refer, name="refer"),
    path("actions/<int:pk>/refer/", interventions.refer_from_action, name="refer-from-action"),
    path("referrals/<int:pk>/", interventions.referral, name="referral"),
    path("referrals/<int:pk>/step/", interventions.step, name="step"),
    path("nominals/<int:pk>/release/", release.release, name="release"),
    path("nominals/<int:pk>/release/start/", release.start, name="release-start"),
    path("release-items/<int:pk>/", release.item, name="release-item"),
    path("release-plans/<int:pk>/outcome/", release.outcome, name="release-outcome"),
    path("releases/", release.releases, name="releases"),
    path("meetings/<int:pk>/observations/new/", observations.new_observation, name="observe"),
    path("observations/<int:pk>/", observations.observation, name="observation"),
    path("observations/<int:pk>/share/", observations.share, name="share-observation"),
    path("forums/<int:pk>/observation-themes/", observations.themes, name="observation-themes"),
    path("cpd/", cpd.events, name="cpd"),
    path("cpd/new/", cpd.new_event, name="cpd-new"),
    path("cpd/<int:pk>/", cpd.event, name="cpd-event"),
    path("nominals/<int:pk>/iom/", iom.iom, name="iom"),
    path("iom/<int:pk>/review/", iom.review, name="iom-review"),
    path("iom/<int:pk>/exit/", iom.leave, name="iom-exit"),
    path("iom/", iom.cohort, name="iom-cohort"),
    path("figures/", figures.figures, name="figures"),
]
