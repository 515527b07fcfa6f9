"""The Russian production calendar (производственный календарь) for deadlines in working days.

Read from the maintained `holidays` library (its `RU` calendar: public holidays, the days off
moved by the government's yearly decree, and the Saturdays made working days by those
transfers) — never kept by hand here. A year whose decree the installed library does not know
yet has the fixed holidays only; updating the pinned `holidays` version brings it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


class RussianProductionCalendar:
    """`domain.procedures.WorkCalendar` by the Russian production calendar."""

    def is_working_day(self, day: dt.date) -> bool:
        return _year(day.year).is_working_day(day)

    def day_off_name(self, day: dt.date) -> str | None:
        """Why the day is not a working day, in Russian (None for a working day or a plain weekend)."""
        return _year(day.year).get(day)


@lru_cache(maxsize=16)
def _year(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year, language="ru")


CALENDAR = RussianProductionCalendar()
