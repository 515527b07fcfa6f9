"""The curriculum's side of a period: how many lessons of a subject the plan provides for.

The paper copy prints, under each subject, the lessons given (counted from the snapshot) beside
the lessons planned (from the curriculum's hours per week), so an inspector sees a shortfall
without a calculator. This module is the one home of that rule.
"""

from __future__ import annotations

import datetime as dt

SCHOOL_DAYS_PER_WEEK = 5  #: Monday to Friday


def school_weeks(start: dt.date, end: dt.date) -> float:
    """Weeks of the period `start`–`end` (both included): its Monday–Friday days divided by 5."""
    if end < start:
        return 0.0
    whole, rest = divmod((end - start).days + 1, 7)
    weekdays = whole * SCHOOL_DAYS_PER_WEEK
    weekdays += sum(1 for k in range(rest) if (start + dt.timedelta(days=whole * 7 + k)).weekday() < 5)
    return weekdays / SCHOOL_DAYS_PER_WEEK


def planned_lessons(hours_per_week: float, start: dt.date, end: dt.date) -> int:
    """Lessons the curriculum provides for a subject in the period: hours per week × school weeks,
    rounded half up.

    The snapshot carries no holiday calendar (a period's dates already leave the holidays between
    periods out, but not the public holidays inside it), so this is the curriculum's figure — the
    hours per week over the period's weeks — not a count of the school days the timetable really
    had; a difference of a lesson or two against «Проведено уроков» is normal.
    """
    return int(hours_per_week * school_weeks(start, end) + 0.5)
