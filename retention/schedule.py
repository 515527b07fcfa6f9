"""The retention end of a file: 1 January of the year after it was closed, plus the years.

Russian archival practice counts a retention period from 1 January of the year following the
year the file (дело) was closed: a 2026/2027 journal closed in June 2027 and kept 5 years is
kept until 1 January 2033.
"""

from __future__ import annotations

import datetime as dt

from retention.errors import RetentionError


#: the shortest and the longest retention term a schedule may give, in years. The longest
#: term the federal list of archival documents gives short of «постоянно» is 75 years, and a
#: permanent file is never due for destruction, so it has no term here at all; 100 leaves room
#: above 75 while keeping every retention end a real date and every term a database integer
#: (9,000 years or 10^20 were taken, then broke on the date or on PostgreSQL's integer).
MIN_YEARS, MAX_YEARS = 1, 100


def years_problem(years: int) -> str | None:
    """Why `years` cannot be a retention term, in Russian; None if it can."""
    if years < MIN_YEARS:
        return f"срок хранения должен быть не меньше года, указано: {years}"
    if years > MAX_YEARS:
        return f"срок хранения должен быть не больше {MAX_YEARS} лет, указано: {years}"
    return None


def retention_end(closed_on: dt.date, years: int) -> dt.date:
    """The first day the file may be destroyed."""
    problem = years_problem(years)
    if problem:
        raise RetentionError(problem)
    return dt.date(closed_on.year + 1 + years, 1, 1)


#: kind → years, the defaults a school starts with (its own schedule is kept as settings)
DEFAULT_YEARS = {"class_journal": 5, "summary_sheet": 25}

#: kind → case index (индекс дела), the defaults a school's nomenclature of files starts with: section
#: 02 (the educational part) of a typical school nomenclature, items 14 and 15. A school whose own
#: nomenclature numbers these files otherwise changes them in its schedule (`retention rule KIND
#: --case-index`); entries already registered keep the index they were given.
DEFAULT_CASE_INDEX = {"class_journal": "02-14", "summary_sheet": "02-15"}


def file_closes_on(academic_year: str) -> dt.date:
    """A school year's file (дело) closes when the year ends: 31 August of its second year."""
    first, _, second = academic_year.partition("/")
    digits = first + second  # 0–9 only: isdigit() and int() also take «２０２６»
    if not (first and second and all("0" <= ch <= "9" for ch in digits) and int(second) == int(first) + 1):
        raise RetentionError(f"неверный учебный год: {academic_year!r}")
    return dt.date(int(second), 8, 31)
