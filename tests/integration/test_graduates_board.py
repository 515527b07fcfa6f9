"""The graduating classes' deadline on the period board (reference 003, прил. 2 §3.3): with ref003
chosen, the final version of a grade 9 and 11 journal is due 3 working days after the ГИА results
(by the production calendar); a grade 8 class has no such step; without the date the board says it
is awaited. The year-end quarter of the builders' school (IV четверть 2025/2026, ended 25 May 2026).
"""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.actor import Actor
from archive_service.services import period_steps, procedures
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, year_end_snapshot

YEAR, PERIOD = "2025/2026", "Q4"
ADMIN = Actor("Кузнецов Алексей Викторович", "admin")
DEPUTY = Actor("Иванова Татьяна Петровна", "deputy")
GIA = dt.date(2026, 6, 10)
"""a Wednesday: Friday 12 June is Russia Day, so the 3rd working day after it is Tuesday 16 June"""
AWAITED = "срок считается от даты результатов ГИА — внесите её"


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 9, tzinfo=dt.timezone.utc)


@pytest.fixture
def classes(archive):
    """8А, 9А and 11А of the year's last quarter, stored on 26 May 2026; the school follows ref003."""
    for name, grade in (("8А", 8), ("9А", 9), ("11А", 11)):
        ingest_snapshot(archive.uow(), as_bytes(year_end_snapshot(name, grade)), actor=DEPUTY, now=at(5, 26))
    procedures.choose(archive.uow(), YEAR, "ref003", actor=ADMIN, now=at(5, 20))
    return archive


def graduates_cells(archive, day: dt.date) -> tuple[dt.date | None, str | None, dict[str, str]]:
    """The step's due date, why it has none, and each class's state on `day`."""
    board = period_steps.period_board(archive.uow(), YEAR, PERIOD, day)
    states = {row.class_name: next(c.state for c in row.cells if c.step.code == "graduates_final")
              for row in board.classes}
    return board.deadlines["graduates_final"], board.waiting.get("graduates_final"), states


def deadline_row(page: str) -> str:
    return page.split('<tr class="deadlines">', 1)[1].split("</tr>", 1)[0]


def test_without_the_gia_date_the_graduates_step_waits_for_it(classes, login_as):
    due, waiting, states = graduates_cells(classes, dt.date(2026, 6, 20))
    assert (due, waiting) == (None, AWAITED)
    assert states["8А"] == "none" and states["9А"] != "none" and states["11А"] != "none"
    assert "late" not in states.values(), "no date, nothing is overdue"
    page = login_as("deputy").get("/period/2025-2026/Q4").get_data(as_text=True)
    assert AWAITED in deadline_row(page)


def test_the_graduates_step_is_due_3_working_days_after_the_gia_date_for_grades_9_and_11(classes, login_as):
    assert [CALENDAR.is_working_day(GIA + dt.timedelta(days=n)) for n in range(1, 7)] == [
        True, False, False, False, True, True]  # 11 June; 12 June a holiday; the weekend; 15 and 16 June
    procedures.set_event_date(classes.uow(), YEAR, "gia_results", GIA, actor=DEPUTY, now=at(6, 10))
    due, waiting, states = graduates_cells(classes, dt.date(2026, 6, 16))
    assert (due, waiting) == (dt.date(2026, 6, 16), None)
    assert states["8А"] == "none" and {states["9А"], states["11А"]} - {"none", "late", "done"}
    assert graduates_cells(classes, dt.date(2026, 6, 17))[2] == {"8А": "none", "9А": "late", "11А": "late"}
    page = login_as("deputy").get("/period/2025-2026/Q4").get_data(as_text=True)
    row = deadline_row(page)
    assert "до 16.06.2026" in row and AWAITED not in row
    rows = {chunk.split("</th>", 1)[0].split("<small>")[0].strip(): chunk
            for chunk in page.split('<th class="dep-class" scope="row">')[1:]}
    assert set(rows) == {"8А", "9А", "11А"}
    assert rows["8А"].count("не для этого класса") == 1 and "не для этого класса" not in rows["9А"] + rows["11А"]
