"""Use cases of the forums: one module per part, one function per use case, one transaction each.

- ``forums``: a forum's settings (and where each default comes from), its page, the forums a user may see;
- ``schedule``: meetings from the cadence, moved or cancelled with a reason;
- ``agenda``: the agenda built from the database with ``rules.agenda``;
- ``chair``: the chair chosen from eligible staff (``workforce.competence``);
- ``running``: starting, attendance and the confidentiality statement, what was shared, levels, decisions,
  actions, outcomes, ending;
- ``plans``: risk management plans, each save a new version.

Every read or change of a record passes ``safeguard.access.gate``.
"""
