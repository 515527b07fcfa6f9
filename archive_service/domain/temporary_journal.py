"""Temporary journals (временные журналы, reference 001 §3.1–3.2): when the journal system is down
the school records attendance and marks on paper, and moves the data back into the system within
2 working days after access returns.

The blank journal is made from the latest snapshot of the class. Its columns are the dates the
subject would be taught in the range, by the timetable the snapshot's lessons show:

* a weekday is in a subject's timetable when its lessons fell on that weekday in at least two
  different weeks of the snapshot (a single lesson on a weekday is a one-off move, not the
  timetable); a subject taught in one week only keeps every weekday of that week;
* the number of lessons on such a weekday is the most common number of lessons on its dates
  (a double lesson gives two columns per date);
* a day off by the production calendar (a public holiday or a transferred day off) gets no column;
* a subject with no lessons to infer from (a new subject, or a period just begun) gets blank
  columns for the teacher to date by hand: as many as its weekly hours give for the working days
  of the range, rounded up — and the sheet says the timetable could not be inferred.

The class list of a subject is its group's pupils (a subgroup is a subject entry of its own), or
the whole class, less those who left before the range and those who arrive after it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

MOVE_BACK_WORKING_DAYS = 2
"""001 §3.2: the data are moved back within 2 working days after access to the system returns."""
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAYS_SHORT = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
MAX_DAYS = 62
"""The longest range one temporary journal covers (two months): a longer outage gets another."""


class DayOffCalendar(Protocol):
    """The production calendar: whether a date is a working day, and why a day is off (None for a
    working day or a plain weekend)."""

    def is_working_day(self, day: dt.date) -> bool: ...

    def day_off_name(self, day: dt.date) -> str | None: ...


@dataclass(frozen=True)
class Timetable:
    """A subject's weekly timetable as inferred: weekday (0 = Monday) → lessons that day."""

    lessons_per_weekday: dict[int, int]

    @property
    def inferred(self) -> bool:
        return bool(self.lessons_per_weekday)

    def words(self) -> str:
        """«пн, вт (2 урока)» — or, when nothing could be inferred, why."""
        if not self.inferred:
            return "не определено: в снимке журнала нет уроков этого предмета"
        return ", ".join(WEEKDAYS_SHORT[d] + (f" ({n} урока)" if n > 1 else "")
                         for d, n in sorted(self.lessons_per_weekday.items()))


def infer_timetable(lesson_dates: Iterable[dt.date]) -> Timetable:
    """The weekly timetable the lessons show (module docstring: the rule)."""
    per_date = Counter(lesson_dates)
    if not per_date:
        return Timetable({})
    weeks_by_weekday: dict[int, set[tuple[int, int]]] = defaultdict(set)
    counts_by_weekday: dict[int, list[int]] = defaultdict(list)
    for day, count in per_date.items():
        week = day.isocalendar()
        weeks_by_weekday[day.weekday()].add((week.year, week.week))
        counts_by_weekday[day.weekday()].append(count)
    all_weeks = set().union(*weeks_by_weekday.values())
    least = 1 if len(all_weeks) == 1 else 2
    return Timetable({weekday: _most_common(counts_by_weekday[weekday])
                      for weekday, weeks in weeks_by_weekday.items() if len(weeks) >= least})


def _most_common(counts: list[int]) -> int:
    tally = Counter(counts)
    return max(tally, key=lambda n: (tally[n], n))


def days_of(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def is_day_off(day: dt.date, calendar: DayOffCalendar) -> bool:
    """A public holiday or a transferred day off (by name), or a Sunday: no lessons."""
    return day.weekday() == 6 or calendar.day_off_name(day) is not None


def lesson_columns(timetable: Timetable, start: dt.date, end: dt.date, calendar: DayOffCalendar,
                   hours_per_week: float) -> list[dt.date | None]:
    """The columns of a subject's sheet: one per lesson date in the range (a date twice for a
    double lesson); for a subject whose timetable is not known, blank columns (None) for its
    weekly hours over the range's working days."""
    if not timetable.inferred:
        working = sum(1 for day in days_of(start, end) if calendar.is_working_day(day))
        return [None] * max(1, math.ceil(hours_per_week * working / 5))
    return [day for day in days_of(start, end) if not is_day_off(day, calendar)
            for _ in range(timetable.lessons_per_weekday.get(day.weekday(), 0))]


def days_off_in(start: dt.date, end: dt.date, calendar: DayOffCalendar) -> list[tuple[dt.date, str]]:
    """The named days off of the range (holidays, transferred days off), for the title sheet."""
    return [(day, name) for day in days_of(start, end) if (name := calendar.day_off_name(day))]


@dataclass(frozen=True)
class Pupil:
    id: str
    full_name: str
    enrolled_on: dt.date | None
    left_on: dt.date | None


def pupils_in_range(pupils: Sequence[Pupil], start: dt.date, end: dt.date,
                    group: Iterable[str] | None = None) -> list[Pupil]:
    """The pupils in the class on some day of the range (and of the group, if there is one), in
    the snapshot's order: not those who left on or before the first day, nor those who arrive after
    the last."""
    members = set(group) if group is not None else None
    return [p for p in pupils if (members is None or p.id in members)
            and (p.enrolled_on is None or p.enrolled_on <= end) and (p.left_on is None or p.left_on > start)]


def range_problem(start: dt.date, end: dt.date) -> str | None:
    """Why a range cannot have a temporary journal (in Russian), or None."""
    if end < start:
        return "дата окончания раньше даты начала"
    if (end - start).days + 1 > MAX_DAYS:
        return f"временный журнал ведётся не дольше {MAX_DAYS} дней: разбейте срок на части"
    return None


def move_back_deadline(restored_on: dt.date, calendar: DayOffCalendar) -> dt.date:
    """The last day to move the data back: the 2nd working day after access returned (the term
    starts the day after the event)."""
    day, left = restored_on, MOVE_BACK_WORKING_DAYS
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def default_restoration(end: dt.date) -> dt.date:
    """Until the deputy head records when access returned, it is taken to return the day after the range."""
    return end + dt.timedelta(days=1)


def move_back_state(deadline: dt.date, moved_back_on: dt.date | None, today: dt.date) -> tuple[str, str]:
    """(code, words): «перенесено DD.MM.YYYY», «срок DD.MM.YYYY» or «просрочено (срок DD.MM.YYYY)»."""
    if moved_back_on is not None:
        late = " (с опозданием)" if moved_back_on > deadline else ""
        return "moved", f"перенесено {moved_back_on:%d.%m.%Y}{late}"
    if today > deadline:
        return "overdue", f"просрочено (срок {deadline:%d.%m.%Y})"
    return "due", f"срок {deadline:%d.%m.%Y}"
