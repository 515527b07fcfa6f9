"""Lessons the curriculum plans for a period: hours per week over the period's school weeks."""

import datetime as dt

from archive_service.domain.curriculum import planned_lessons, school_weeks


def test_a_school_week_is_five_weekdays_whatever_day_the_period_starts_on():
    assert school_weeks(dt.date(2026, 11, 2), dt.date(2026, 11, 8)) == 1.0  # Monday to Sunday
    assert school_weeks(dt.date(2026, 11, 5), dt.date(2026, 11, 11)) == 1.0  # Thursday to Wednesday
    assert school_weeks(dt.date(2026, 11, 7), dt.date(2026, 11, 8)) == 0.0  # a weekend
    assert school_weeks(dt.date(2026, 11, 9), dt.date(2026, 11, 8)) == 0.0


def test_the_second_quarter_of_the_builder_has_37_weekdays():
    start, end = dt.date(2026, 11, 5), dt.date(2026, 12, 25)
    assert school_weeks(start, end) == 7.4
    assert planned_lessons(5, start, end) == 37
    assert planned_lessons(1, start, end) == 7  # 7,4
    assert planned_lessons(0.5, start, end) == 4  # 3,7


def test_a_half_lesson_is_rounded_up_not_to_the_even_number():
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 13)  # two weeks
    assert planned_lessons(1.25, start, end) == 3  # 2,5 → 3 (Python's round would give 2)
    assert planned_lessons(1.75, start, end) == 4  # 3,5 → 4
