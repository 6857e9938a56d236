"""Meeting pages (issue 4): forums, scheduling, agenda, running the meeting.

Split by part, joined here: ``forums`` (the forums, one forum, scheduling, moving and cancelling),
``meeting`` (the meeting and its agenda, the chair, start, confidentiality, attendance, end) and ``items``
(each case: shared information, levels, decisions, the plan, actions, the outcome).
"""

from . import forums, items, meeting

urlpatterns: list = [*forums.urlpatterns, *meeting.urlpatterns, *items.urlpatterns]
