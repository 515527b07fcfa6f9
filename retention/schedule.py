"""The retention end of a file: 1 January of the year after it was closed, plus the years.

Russian archival practice counts a retention period from 1 January of the year following the
year the file (дело) was closed: a 2026/2027 journal closed in June 2027 and kept 5 years is
kept until 1 January 2033.
"""

from __future__ import annotations

import datetime as dt

from retention.errors import RetentionError


def retention_end(closed_on: dt.date, years: int) -> dt.date:
    """The first day the file may be destroyed."""
    if years < 1:
        raise RetentionError(f"срок хранения должен быть не меньше года, указано: {years}")
    return dt.date(closed_on.year + 1 + years, 1, 1)


#: kind → years, the defaults a school starts with (its own schedule is kept as settings)
DEFAULT_YEARS = {"class_journal": 5, "summary_sheet": 25}


def file_closes_on(academic_year: str) -> dt.date:
    """A school year's file (дело) closes when the year ends: 31 August of its second year."""
    first, _, second = academic_year.partition("/")
    if not (first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
        raise RetentionError(f"неверный учебный год: {academic_year!r}")
    return dt.date(int(second), 8, 31)
