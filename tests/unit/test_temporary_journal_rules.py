"""The rules of a temporary journal (reference 001 §3.1–3.2): the timetable its lessons show, the
dates of its columns, who is on each list, and the 2 working days to move its data back."""

from __future__ import annotations

import datetime as dt

from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.temporary_journal import (
    Pupil,
    infer_timetable,
    lesson_columns,
    move_back_deadline,
    move_back_state,
    pupils_in_range,
    range_problem,
)

D = dt.date
FIRST_MONDAY = D(2026, 11, 9)


def _weeks(*weekdays: int, first: D = FIRST_MONDAY, weeks: int = 4) -> list[D]:
    """Lesson dates on these weekdays (0 = Monday) for `weeks` weeks from the Monday `first`."""
    return [first + dt.timedelta(weeks=w, days=d) for w in range(weeks) for d in weekdays]


def test_the_timetable_is_the_weekdays_taught_in_two_weeks_or_more_and_a_one_off_move_is_not():
    moved = [D(2026, 11, 19)]  # one Thursday: a lesson moved once
    timetable = infer_timetable(_weeks(0, 1) + moved)
    assert timetable.lessons_per_weekday == {0: 1, 1: 1}
    assert timetable.words() == "пн, вт"


def test_a_double_lesson_gives_two_columns_on_its_date():
    dates = _weeks(2) * 2 + [D(2026, 11, 13)] * 1 + [D(2026, 11, 20)]  # double on Wednesdays, single on Fridays
    timetable = infer_timetable(dates)
    assert timetable.lessons_per_weekday == {2: 2, 4: 1}
    columns = lesson_columns(timetable, D(2027, 1, 11), D(2027, 1, 15), CALENDAR, 3)
    assert columns == [D(2027, 1, 13), D(2027, 1, 13), D(2027, 1, 15)]


def test_a_subject_taught_in_one_week_only_keeps_that_weeks_weekdays():
    assert infer_timetable([D(2026, 11, 9), D(2026, 11, 12)]).lessons_per_weekday == {0: 1, 3: 1}


def test_holidays_and_transferred_days_off_get_no_column():
    timetable = infer_timetable(_weeks(0, 1))  # Monday and Tuesday
    # 2027: 5 and 6 January are New Year holidays; 22 February is a transferred day off, 23 February a holiday
    assert lesson_columns(timetable, D(2027, 1, 4), D(2027, 1, 12), CALENDAR, 2) == [D(2027, 1, 11), D(2027, 1, 12)]
    assert lesson_columns(timetable, D(2027, 2, 15), D(2027, 2, 26), CALENDAR, 2) == [D(2027, 2, 15), D(2027, 2, 16)]


def test_a_subject_without_lessons_gets_blank_columns_for_its_weekly_hours():
    timetable = infer_timetable([])
    assert not timetable.inferred and "не определено" in timetable.words()
    # 15–26 February 2027: 8 working days (22 and 23 are off); 2 hours a week → ⌈2 × 8 / 5⌉ = 4
    assert lesson_columns(timetable, D(2027, 2, 15), D(2027, 2, 26), CALENDAR, 2) == [None] * 4


def test_the_list_is_the_groups_pupils_in_the_class_during_the_range():
    pupils = [Pupil("a", "А", None, None), Pupil("b", "Б", None, D(2027, 1, 11)), Pupil("c", "В", D(2027, 1, 16), None),
              Pupil("d", "Г", D(2027, 1, 14), None), Pupil("e", "Д", None, D(2027, 1, 13))]
    start, end = D(2027, 1, 11), D(2027, 1, 15)
    assert [p.id for p in pupils_in_range(pupils, start, end)] == ["a", "d", "e"]
    assert [p.id for p in pupils_in_range(pupils, start, end, group=["a", "b", "c"])] == ["a"]


def test_the_data_are_due_back_on_the_second_working_day_after_access_returns():
    assert move_back_deadline(D(2027, 1, 15), CALENDAR) == D(2027, 1, 19)  # Friday → Monday, Tuesday
    # the decree moves the day off from Saturday 20 February to Monday 22 (and 23 is a holiday): Saturday
    # and Wednesday are the two working days
    assert move_back_deadline(D(2027, 2, 19), CALENDAR) == D(2027, 2, 24)
    deadline = D(2027, 1, 19)
    assert move_back_state(deadline, None, D(2027, 1, 19)) == ("due", "срок 19.01.2027")
    assert move_back_state(deadline, None, D(2027, 1, 20)) == ("overdue", "просрочено (срок 19.01.2027)")
    assert move_back_state(deadline, D(2027, 1, 18), D(2027, 1, 25)) == ("moved", "перенесено 18.01.2027")
    assert move_back_state(deadline, D(2027, 1, 21), D(2027, 1, 25))[1] == "перенесено 21.01.2027 (с опозданием)"


def test_a_range_backwards_or_too_long_is_refused():
    assert range_problem(D(2027, 1, 15), D(2027, 1, 11)) == "дата окончания раньше даты начала"
    assert "не дольше" in (range_problem(D(2027, 1, 1), D(2027, 4, 1)) or "")
    assert range_problem(D(2027, 1, 11), D(2027, 1, 15)) is None
