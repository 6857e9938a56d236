from django.urls import path

from .views import board, case

app_name = "triage"

urlpatterns = [
    path("", board.index, name="index"),
    path("forums/<int:forum_pk>/", board.today, name="today"),
    path("forums/<int:forum_pk>/open/", board.open_today, name="open"),
    path("forums/<int:forum_pk>/meetings/", board.meetings, name="meetings"),
    path("meetings/<int:pk>/", board.board, name="board"),
    path("meetings/<int:pk>/load/", board.load, name="load"),
    path("meetings/<int:pk>/add-incident/", board.add_incident, name="add-incident"),
    path("meetings/<int:pk>/close/", board.close, name="close"),
    path("meetings/<int:pk>/reopen/", board.reopen, name="reopen"),
    path("cases/<int:pk>/", case.case, name="case"),
    path("cases/<int:pk>/grade/", case.case_form, {"name": "grade"}, name="grade"),
    path("cases/<int:pk>/safety-plan/", case.case_form, {"name": "plan"}, name="safety-plan"),
    path("cases/<int:pk>/marac-referral/", case.marac_referral, name="marac-referral"),
    path(
        "cases/<int:pk>/safeguarding-referral/", case.case_form, {"name": "safeguarding"}, name="safeguarding-referral"
    ),
    path("cases/<int:pk>/no-further-action/", case.case_form, {"name": "nfa"}, name="no-further-action"),
    path("cases/<int:pk>/encompass/<int:child_pk>/", case.encompass, name="encompass"),
]
