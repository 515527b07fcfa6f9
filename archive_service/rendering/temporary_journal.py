"""The blank temporary journal (временный журнал, reference 001 §3.1) of a class for a date range,
printed from the class's latest snapshot: a title sheet saying why it is kept, then per subject
(and subgroup) the class list against one column per lesson date, and the lines for each
lesson's topic and homework. The dates, the class lists and the timetable rule are in
`domain/temporary_journal.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archive_service.domain.periods import kind_title
from archive_service.domain.temporary_journal import (
    MOVE_BACK_WORKING_DAYS,
    DayOffCalendar,
    Pupil,
    Timetable,
    days_off_in,
    infer_timetable,
    lesson_columns,
    pupils_in_range,
)
from archive_service.rendering.registers import render

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot, Subject

COLUMNS_PER_TABLE = 16
"""Date columns on one sheet of a subject: a longer range continues on the next sheet."""
COLUMN_MM = 11.5
"""The width of a date column: 16 of them and the names fill the landscape sheet."""
EXTRA_ROWS = 2
"""Blank rows under the class list of each subject, for pupils who arrive during the range."""


@dataclass(frozen=True)
class SubjectSheet:
    """One subject (or subgroup) of the temporary journal."""

    title: str
    teacher: str
    timetable: Timetable
    pupils: list[Pupil]
    columns: list[dt.date | None]

    @property
    def chunks(self) -> list[list[str]]:
        """The column heads («12.01», or blank for a date to write by hand), a sheet's worth each."""
        heads = [f"{day:%d.%m}" if day else "" for day in self.columns]
        return [heads[i:i + COLUMNS_PER_TABLE] for i in range(0, len(heads), COLUMNS_PER_TABLE)] or [[]]


def _title(subject: Subject) -> str:
    return f"{subject.name} — {subject.group.name}" if subject.group else subject.name


def subject_sheets(snap: Snapshot, start: dt.date, end: dt.date, calendar: DayOffCalendar) -> list[SubjectSheet]:
    """The sheets of every subject of the snapshot, in its order."""
    pupils = [Pupil(s.id, s.full_name, s.enrolled_on, s.left_on) for s in snap.students]
    sheets = []
    for subject in snap.subjects:
        timetable = infer_timetable(lesson.date for lesson in subject.lessons)
        group = subject.group.student_ids if subject.group else None
        sheets.append(SubjectSheet(_title(subject), subject.teacher.full_name, timetable,
                                   pupils_in_range(pupils, start, end, group),
                                   lesson_columns(timetable, start, end, calendar, float(subject.hours_per_week))))
    return sheets


@dataclass(frozen=True)
class TemporaryJournalFacts:
    """What the title sheet says besides the snapshot: the range, who made it and when."""

    start: dt.date
    end: dt.date
    made_by: str
    made_on: dt.date


def temporary_journal_pdf(templates_dir: Path, snap: Snapshot, facts: TemporaryJournalFacts,
                          calendar: DayOffCalendar, moment: dt.datetime) -> bytes:
    """The PDF of the blank temporary journal (A4 landscape, one-sided)."""
    sheets = subject_sheets(snap, facts.start, facts.end, calendar)
    return render(templates_dir, "temporary_journal.html", {
        "snap": snap, "facts": facts, "sheets": sheets, "extra_rows": EXTRA_ROWS, "column_mm": COLUMN_MM,
        "period": f"{kind_title(snap.period.kind, snap.period.number)} {snap.academic_year} учебного года",
        "exported": f"{snap.source.exported_at:%d.%m.%Y}", "span": f"{facts.start:%d.%m.%Y} – {facts.end:%d.%m.%Y}",
        "days_off": [(f"{day:%d.%m.%Y}", name) for day, name in days_off_in(facts.start, facts.end, calendar)],
        "move_back_days": MOVE_BACK_WORKING_DAYS, "made_on": f"{facts.made_on:%d.%m.%Y}"}, moment)
