from django.urls import path

from .views import forums, items, meeting, minutes, run

app_name = "meetings"

urlpatterns = [
    path("", forums.forums, name="forums"),
    path("<int:pk>/", forums.forum, name="forum"),
    path("<int:pk>/schedule/", forums.schedule_view, name="schedule"),
    path("meetings/<int:pk>/move/", forums.move, name="move"),
    path("meetings/<int:pk>/cancel/", forums.cancel, name="cancel"),
    path("meetings/<int:pk>/", meeting.meeting_page, name="meeting"),
    path("meetings/<int:pk>/agenda/", meeting.button, {"button": "build-agenda"}, name="build-agenda"),
    path("meetings/<int:pk>/chair/", meeting.chair, name="chair"),
    path("meetings/<int:pk>/start/", meeting.button, {"button": "start"}, name="start"),
    path("meetings/<int:pk>/confidentiality/", meeting.confidentiality, name="confidentiality"),
    path("meetings/<int:pk>/attendance/", meeting.attendance, name="attendance"),
    path("meetings/<int:pk>/attendance/list/", run.attendance_list, name="attendance-list"),
    path("meetings/<int:pk>/run/", run.run_meeting, name="run"),
    path("meetings/<int:pk>/defer/", run.defer, name="defer"),
    path("meetings/<int:pk>/end/", run.end, name="end"),
    path("meetings/<int:pk>/reopen/", run.reopen, name="reopen"),
    path("items/<int:pk>/run/", run.run_case, name="run-case"),
    path("items/<int:pk>/", items.item_page, name="item"),
    path("items/<int:pk>/share/", items.share, name="share"),
    path("items/<int:pk>/levels/", items.levels, name="levels"),
    path("items/<int:pk>/decisions/new/", items.decision, name="decision"),
    path("items/<int:pk>/plan/", items.plan, name="plan"),
    path("items/<int:pk>/actions/new/", items.action, name="action"),
    path("items/<int:pk>/outcome/", items.outcome, name="outcome"),
    path("plans/<int:pk>/", items.plan_version, name="plan-version"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_page, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes-pdf"),
    path("meetings/<int:pk>/minutes/issue/", minutes.issue, name="minutes-issue"),
    path("meetings/<int:pk>/minutes/share/", minutes.share, name="minutes-share"),
    path("meetings/<int:pk>/quality/", minutes.quality, name="quality-audit"),
    path("meetings/<int:pk>/invitation.ics", minutes.invitation, name="invitation"),
    path("<int:pk>/quality/", minutes.forum_quality, name="forum-quality"),
    path("<int:pk>/meetings.ics", minutes.calendar, name="calendar"),
]
