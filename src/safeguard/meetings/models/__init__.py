"""Forums, their cases, meetings (agenda, attendance, shared information, decisions, minutes) and plans."""

from .forums import Forum, ForumCase, _dash_default, _marac_default
from .meeting import AgendaItem, Attendance, Decision, Meeting, MinutesShare, SharedInformation
from .plans import RiskManagementPlan

__all__ = [
    "AgendaItem",
    "Attendance",
    "Decision",
    "Forum",
    "ForumCase",
    "Meeting",
    "MinutesShare",
    "RiskManagementPlan",
    "SharedInformation",
    "_dash_default",
    "_marac_default",
]
