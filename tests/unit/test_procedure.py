"""The 5-day procedure's deadlines and step states, without a database (`domain/procedure.py`)."""

from __future__ import annotations

import datetime as dt

from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.procedure import PROCEDURE_DAYS, Fact, Record, cell, split_records
from archive_service.domain.procedures import Dates, due_dates
from archive_service.domain.ready_procedures import REF000

STEP_CODES = REF000.codes


def deadlines(end: dt.date) -> dict:
    return due_dates(REF000, "Q2", Dates(end, "2026/2027"), CALENDAR)

END = dt.date(2026, 12, 27)  # the last day of the second quarter


def test_day_n_of_the_holidays_is_the_periods_last_day_plus_n_days():
    due = deadlines(END)
    assert due["marks_checked"] == dt.date(2026, 12, 28)
    assert due["backups"] == due["copies_printed"] == dt.date(2026, 12, 29)
    assert due["registered"] == due["director_signed"] == due["director_e_signed"] == dt.date(2027, 1, 1)
    assert list(due) == [s.code for s in REF000.steps] and PROCEDURE_DAYS == 5


def test_a_step_is_pending_until_its_day_and_late_after_it():
    step, due = STEP_CODES["teachers_signed"], deadlines(END)["teachers_signed"]
    assert cell(step, None, [], due, today=due).state == "pending"
    assert cell(step, None, [], due, today=due + dt.timedelta(days=1)).state == "late"


def test_a_record_or_a_settling_fact_makes_it_done_a_fact_that_does_not_settle_does_not():
    step, due, late = STEP_CODES["director_e_signed"], END, END + dt.timedelta(days=9)
    at = dt.datetime(2027, 1, 2, 10, tzinfo=dt.timezone.utc)
    assert cell(step, Record(True, at, "Директор", ""), [], due, late).state == "done"
    assert cell(step, Record(False, at, "Директор", ""), [], due, late).state == "late"
    assert cell(step, None, [Fact("подписано электронной подписью", at, settles=True)], due, late).state == "done"
    assert cell(step, None, [Fact("копия готова (12 л.)", at)], due, late).state == "late"
    assert cell(step, None, [], due, late, settled=True).state == "done"


def test_after_a_correction_only_records_made_since_count_and_the_last_one_before_is_history():
    t = [dt.datetime(2027, 1, d, tzinfo=dt.timezone.utc) for d in (1, 2, 3)]
    records = [Record(True, t[0], "А", ""), Record(False, t[1], "Б", ""), Record(True, t[2], "В", "")]
    assert split_records(records, None) == (records[2], [])
    assert split_records(records, t[2]) == (records[2], [records[1]])
    assert split_records(records[:2], t[2]) == (None, [records[1]])
