"""When scheduled pulls run: nightly from a week before a period's last day to the first days after it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from archive_service.domain.pull_calendar import due_period, next_run

PERIODS = [{"code": "Q1", "start": "2026-09-01", "end": "2026-10-26"},
           {"code": "Q2", "start": "2026-11-05", "end": "2026-12-25"},
           {"code": "H1", "start": "2026-09-01", "end": "2026-12-28"}]
MSK = ZoneInfo("Europe/Moscow")


def test_a_period_is_due_from_a_week_before_its_last_day_to_five_days_after():
    assert due_period(PERIODS, dt.date(2026, 12, 17), 7, 5) is None
    assert due_period(PERIODS, dt.date(2026, 12, 18), 7, 5) == "Q2"
    assert due_period(PERIODS, dt.date(2026, 10, 31), 7, 5) == "Q1"
    assert due_period(PERIODS, dt.date(2026, 11, 1), 7, 5) is None


def test_when_windows_overlap_the_period_ending_last_is_pulled():
    assert due_period(PERIODS, dt.date(2026, 12, 26), 7, 5) == "H1"


def test_the_next_run_is_tonight_inside_a_window_and_the_windows_first_night_outside_one():
    inside = dt.datetime(2026, 12, 20, 1, 0, tzinfo=MSK)
    assert next_run(PERIODS, inside, 2, 7, 5) == dt.datetime(2026, 12, 20, 2, 0, tzinfo=MSK)
    after_the_hour = dt.datetime(2026, 12, 20, 3, 0, tzinfo=MSK)
    assert next_run(PERIODS, after_the_hour, 2, 7, 5) == dt.datetime(2026, 12, 21, 2, 0, tzinfo=MSK)
    before = dt.datetime(2026, 11, 30, 12, 0, tzinfo=MSK)
    assert next_run(PERIODS, before, 2, 7, 5) == dt.datetime(2026, 12, 18, 2, 0, tzinfo=MSK)
    assert next_run(PERIODS, dt.datetime(2027, 1, 5, tzinfo=MSK), 2, 7, 5) is None
