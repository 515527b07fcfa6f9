"""What the print templates show, computed from a snapshot: grids, topic lists, summaries.

Everything a template needs is prepared here as plain data and finished strings, so the
templates stay declarative and the expensive parts (grid rows) are built once in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archive_service.domain.periods import PERIOD_LABELS, kind_title
from archive_service.rendering.grid import (
    MAX_ROWS,
    GridPage,
    cells_line,
    chunks,
    geometry_for,
    grid_svg,
)

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Lesson, Snapshot, Student, Subject

MONTHS = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")
OUTSIDE = "–"  # a date on which the student was not in the class


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def short_name(full_name: str) -> str:
    """«Николаева Елена Павловна» → «Николаева Е. П.»."""
    parts = full_name.split()
    return " ".join([parts[0], *(p[0] + "." for p in parts[1:])]) if parts else full_name


def in_class(st: Student, day: dt.date) -> bool:
    return (st.enrolled_on is None or st.enrolled_on <= day) and (st.left_on is None or day <= st.left_on)


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


@dataclass(frozen=True)
class TopicRow:
    number: int
    date: str
    topic: str
    homework: str
    absent: str = ""


@dataclass
class Section:
    """A part of the document that starts on a new sheet and is listed in the contents."""

    anchor: str
    title: str
    kind: str  # class_list | subject | summary
    teacher: str = ""
    grid_pages: list[GridPage] = field(default_factory=list)
    topics: list[TopicRow] = field(default_factory=list)
    note: str = ""


def _index_lesson(lesson: Lesson) -> dict[str, str]:
    """student id → cell text for one lesson: the absence code, then the marks («О5», «5/4»)."""
    codes = {a.student_id: a.code or "?" for a in lesson.absences}
    marks: dict[str, list[str]] = defaultdict(list)
    for mark in lesson.marks:
        marks[mark.student_id].append(str(mark.value))
    return {sid: codes.get(sid, "") + "/".join(marks.get(sid, ())) for sid in codes.keys() | marks.keys()}


def _header(lessons: list[Lesson], chars: int) -> str:
    months, days, last_month = [], [], None
    for lesson in lessons:
        month = MONTHS[lesson.date.month - 1]
        months.append(month if month != last_month else "")
        last_month = month
        days.append(f"{lesson.date.day:02d}")
    return cells_line(months, chars) + "\n" + cells_line(days, chars)


def subject_grid(rows: list[StudentRow], subject: Subject, period_code: str) -> list[GridPage]:
    """The mark grid of one subject: lessons across, students down, the period mark last."""
    lessons = list(subject.lessons)
    by_lesson = [_index_lesson(lesson) for lesson in lessons]
    table = [[(cells.get(r.student.id, "") if in_class(r.student, lesson.date) else OUTSIDE)
              for lesson, cells in zip(lessons, by_lesson)] for r in rows]
    period = {pm.student_id: str(pm.value) for pm in subject.period_marks if pm.period == period_code}
    finals = [period.get(r.student.id, "") for r in rows]
    geo = geometry_for([t for row in table for t in row] + finals)
    pages = []
    for row_range in chunks(len(rows), MAX_ROWS):
        for col_range in chunks(len(lessons), geo.columns - 1):
            last = col_range.stop == len(lessons)
            part = [lessons[i] for i in col_range]
            breaks = frozenset(k for k, lesson in enumerate(part)
                               if k == 0 or lesson.date.month != part[k - 1].date.month)
            breaks |= {len(part)}  # the period column
            pages.append(GridPage(
                names="\n".join(rows[r].grid_name for r in row_range),
                header=_header(part, geo.chars),
                body="\n".join(cells_line([table[r][c] for c in col_range], geo.chars) for r in row_range),
                extra_header="\n" + PERIOD_LABELS.get(period_code, "").center(geo.chars) if last else "",
                extra_body="\n".join(finals[r].center(geo.chars) for r in row_range) if last else "",
                columns=len(col_range), extra_columns=1 if last else 0, rows=len(row_range), chars=geo.chars,
                svg=grid_svg(len(row_range), len(col_range) + (1 if last else 0), geo.chars, top_breaks=breaks)))
    return pages


def _topics(subject: Subject, names: dict[str, str], with_absent: bool) -> list[TopicRow]:
    out = []
    for i, lesson in enumerate(subject.lessons, start=1):
        absent = ""
        if with_absent:
            absent = ", ".join(f"{names[a.student_id]} ({a.code or '?'})" for a in lesson.absences
                               if a.student_id in names)
        out.append(TopicRow(i, lesson.date.strftime("%d.%m"), (lesson.topic or "").strip(),
                            (lesson.homework or "").strip(), absent))
    return out


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
        section = Section(f"subject-{i}", title, "subject", teacher=subject.teacher.full_name,
                          topics=_topics(subject, names, with_absent=grade_1))
        if not grade_1 and subject.lessons:
            section.grid_pages = subject_grid(subject_rows, subject, snap.period.code)
        sections.append(section)
    from archive_service.rendering.summary import period_summary  # it builds on this module's rows

    sections.append(period_summary(rows, snap))
    return JournalModel(snap, rows, sections, [])
