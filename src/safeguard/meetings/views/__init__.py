"""Meeting pages, one module a page: ``forums`` (the forums, one forum, scheduling, moving and cancelling),
``meeting`` (the meeting and its agenda, the chair, start, confidentiality, attendance, end), ``items`` (each
case: shared information, levels, decisions, the plan, actions, the outcome) and ``minutes``; ``meetings.urls``
is their URL table."""
