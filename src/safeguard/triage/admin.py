"""Triage cases, grade changes and Operation Encompass notices are personal records: they are kept out of
the admin, which has no access gate. A triage forum's settings (cadence, meeting time, school start time,
non-school days) are the forum's, in the meetings admin."""
