"""Nothing of this app is in the admin, on purpose.

Referrals, their transitions and case links are personal records; the admin
is for reference data only and administrators see no named record (README,
access.policy). A forum's settings (screening target, MARAC repeat window and
definition, coordinators) are in the meetings admin, with the forum.
"""
