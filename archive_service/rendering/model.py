"""What the print templates show, computed from a snapshot: grids, topic lists, summaries.

Everything a template needs is prepared here as plain data and finished strings, so the
templates stay declarative and the expensive parts (grid rows) are built once in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archive_service.domain.periods import kind_title
from archive_service.rendering.grid import (
    GridPage,
)
from archive_service.rendering.subject_sheets import SubjectSheets, subject_sheets

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot, Student


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def short_name(full_name: str) -> str:
    """«Николаева Елена Павловна» → «Николаева Е. П.»."""
    parts = full_name.split()
    return " ".join([parts[0], *(p[0] + "." for p in parts[1:])]) if parts else full_name


@dataclass(frozen=True)
class StudentRow:
    number: int
    student: Student

    @property
    def grid_name(self) -> str:
        surname, _, rest = self.student.full_name.partition(" ")
        first = rest.split(" ")[0] if rest else ""
        note = ""
        if self.student.left_on:
            note = f" (выб. {self.student.left_on:%d.%m})"
        elif self.student.enrolled_on:
            note = f" (приб. {self.student.enrolled_on:%d.%m})"
        return f"{self.number}. {surname} {first}{note}"


@dataclass
class Section:
    """A part of the document that starts on a new sheet and is listed in the contents."""

    anchor: str
    title: str
    kind: str  # class_list | subject | summary
    teacher: str = ""
    grid_pages: list[GridPage] = field(default_factory=list)
    sheets: SubjectSheets | None = None  # a subject's parts: grids and topics (subject_sheets.py)
    note: str = ""


@dataclass
class JournalModel:
    """Everything the class journal copy shows."""

    snapshot: Snapshot
    rows: list[StudentRow]
    sections: list[Section]
    legend: list[str]

    @property
    def period_title(self) -> str:
        return kind_title(self.snapshot.period.kind, self.snapshot.period.number)


def student_rows(snap: Snapshot) -> list[StudentRow]:
    return [StudentRow(i, st) for i, st in enumerate(snap.students, start=1)]


def journal_model(snap: Snapshot) -> JournalModel:
    """The class journal copy of one period: class list, every subject, the period summary."""
    rows = student_rows(snap)
    grade_1 = snap.class_.grade == 1
    names = {r.student.id: short_name(r.student.full_name) for r in rows}
    sections = [Section("class-list", "Список класса", "class_list")]
    for i, subject in enumerate(snap.subjects, start=1):
        members = set(subject.group.student_ids) if subject.group else None
        subject_rows = [r for r in rows if members is None or r.student.id in members]
        title = subject.name + (f" ({subject.group.name})" if subject.group else "")
        sections.append(Section(f"subject-{i}", title, "subject", teacher=subject.teacher.full_name,
                                sheets=subject_sheets(subject_rows, subject, snap.period, names, grade_1)))
    from archive_service.rendering.summary import period_summary  # it builds on this module's rows

    sections.append(period_summary(rows, snap))
    return JournalModel(snap, rows, sections, [])
