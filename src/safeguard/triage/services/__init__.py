"""Use cases of the daily triage: one function each, one transaction each, through the gate.

- meeting: the day's meeting (found or opened from the cadence), loading its window's incidents, adding one
  by hand, closing the day; the triage forum's open cases for the people being triaged.
- cases: grading (regrade with a reason, every change kept), the safety plan, the outcomes.
- encompass: the incident's children and the Operation Encompass notices to their schools.
"""

from .cases import (
    grade_case,
    marac_details,
    record_no_further_action,
    record_safety_plan,
    refer_for_safeguarding,
    refer_to_marac,
)
from .encompass import encompass_for, encompass_for_cases, record_notice
from .meeting import add_by_hand, close_meeting, day_of, left_undone, load, open_day, reopen_meeting, window_of

__all__ = [
    "add_by_hand",
    "close_meeting",
    "day_of",
    "encompass_for",
    "encompass_for_cases",
    "grade_case",
    "left_undone",
    "load",
    "marac_details",
    "open_day",
    "record_no_further_action",
    "record_notice",
    "record_safety_plan",
    "refer_for_safeguarding",
    "refer_to_marac",
    "reopen_meeting",
    "window_of",
]
