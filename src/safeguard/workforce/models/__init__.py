"""Workforce models: reference data (areas, agencies, teams, staff, area settings), training,
caseload snapshots and allocation batches."""

from .allocation import AllocationBatch, AllocationRecommendation
from .caseloads import CaseloadSnapshot
from .reference import (
    Agency,
    Area,
    AreaSettings,
    Role,
    Staff,
    Team,
    _caseload_default,
    _chair_equivalents_default,
    _competence_default,
    _mappa_default,
    _notification_default,
    _point_table_default,
    _refresh_months_default,
    _retention_default,
    _rfg_default,
)
from .training import Buddy, Course, CoursePlace, TrainingCompletion, WaitingListEntry

__all__ = [
    "Agency",
    "AllocationBatch",
    "AllocationRecommendation",
    "Area",
    "AreaSettings",
    "Buddy",
    "CaseloadSnapshot",
    "Course",
    "CoursePlace",
    "Role",
    "Staff",
    "Team",
    "TrainingCompletion",
    "WaitingListEntry",
    "_caseload_default",
    "_chair_equivalents_default",
    "_competence_default",
    "_mappa_default",
    "_notification_default",
    "_point_table_default",
    "_refresh_months_default",
    "_retention_default",
    "_rfg_default",
]
