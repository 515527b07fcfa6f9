"""The 2026/2027 school calendar of the demo school: periods, holidays, school days.

Five-day week (Mon–Fri). Grades 1–9 are assessed by quarters, grades 10–11 by half-years;
every grade gets the year. Grade 1 has an extra week of holidays in February.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

ACADEMIC_YEAR = "2026/2027"
YEAR_DIR = "2026-2027"
EXPORT_TIME = "18:30:00+07:00"

_D = dt.date
YEAR_EXPORT = dt.date(2027, 6, 30)


@dataclass(frozen=True)
class Term:
    """A period of the calendar: `Q1`…`Q4`, `H1`, `H2` or `year`."""

    code: str
    kind: str
    number: int
    start: dt.date
    end: dt.date

    def as_dict(self) -> dict:
        return {"kind": self.kind, "number": self.number,
                "start": self.start.isoformat(), "end": self.end.isoformat()}

    def exported_at(self) -> str:
        """The journal system exports a period the day after it ends, 18:30 local; the year
        after the state exams and the teachers' council that sets the final marks."""
        day = YEAR_EXPORT if self.kind == "year" else self.end + dt.timedelta(days=1)
        return f"{day.isoformat()}T{EXPORT_TIME}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


QUARTERS = (
    Term("Q1", "quarter", 1, _D(2026, 9, 1), _D(2026, 10, 23)),
    Term("Q2", "quarter", 2, _D(2026, 11, 5), _D(2026, 12, 25)),
    Term("Q3", "quarter", 3, _D(2027, 1, 11), _D(2027, 3, 19)),
    Term("Q4", "quarter", 4, _D(2027, 3, 29), _D(2027, 5, 26)),
)
HALVES = (
    Term("H1", "half_year", 1, _D(2026, 9, 1), _D(2026, 12, 25)),
    Term("H2", "half_year", 2, _D(2027, 1, 11), _D(2027, 5, 26)),
)
YEAR = Term("year", "year", 1, _D(2026, 9, 1), _D(2027, 5, 26))
TERMS: dict[str, Term] = {t.code: t for t in (*QUARTERS, *HALVES, YEAR)}
PERIOD_CODES: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "year")

#: weekdays without lessons inside the quarters (23 February, 8 March, May holidays)
HOLIDAYS = frozenset({_D(2027, 2, 23), _D(2027, 3, 8), _D(2027, 5, 3), _D(2027, 5, 10)})
GRADE_1_BREAK = (_D(2027, 2, 15), _D(2027, 2, 21))
_WEEK_ZERO = _D(2026, 8, 31)  # the Monday of the first school week


def terms_of_grade(grade: int) -> tuple[Term, ...]:
    """The assessment periods of a grade: quarters for 1–9, half-years for 10–11."""
    return QUARTERS if grade <= 9 else HALVES


def applies(code: str, grade: int) -> bool:
    """Whether a period code exists for the grade (`Q2` does not exist in grade 10)."""
    return code == "year" or any(t.code == code for t in terms_of_grade(grade))


def is_school_day(day: dt.date, grade: int) -> bool:
    """A weekday inside a quarter that is not a holiday (nor grade 1's February break)."""
    if day.weekday() >= 5 or day in HOLIDAYS:
        return False
    if grade == 1 and GRADE_1_BREAK[0] <= day <= GRADE_1_BREAK[1]:
        return False
    return any(q.contains(day) for q in QUARTERS)


@lru_cache(maxsize=None)
def school_days(grade: int, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """Every school day of the grade from start to end inclusive."""
    days = ((start + dt.timedelta(days=i)) for i in range((end - start).days + 1))
    return tuple(d for d in days if is_school_day(d, grade))


def week_parity(day: dt.date) -> int:
    """0 or 1: which of the alternating weeks the day falls in (for ½-hour subjects)."""
    return ((day - _WEEK_ZERO).days // 7) % 2


def term_of_day(day: dt.date, grade: int) -> Term | None:
    """The assessment period of the grade that contains the day."""
    return next((t for t in terms_of_grade(grade) if t.contains(day)), None)
