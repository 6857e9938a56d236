"""Actions and prompts are personal records (they name a person and a case): deliberately not in the admin.

The reminder and escalation settings they are chased by are the forum's, in the forums' admin
(``Forum.action_reminder_days_before``, ``Forum.action_escalate_days_overdue``).
"""
