"""What the print templates show, computed from a snapshot: grids, topic lists, summaries.

Everything a template needs is prepared here as plain data and finished strings, so the
templates stay declarative and the expensive parts (grid rows) are built once in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from archive_service.domain.periods import PERIOD_LABELS, kind_title
from archive_service.domain.rules import ABSENT_CODES
from archive_service.rendering.grid import (
    MAX_ROWS,
    GridPage,
    cells_line,
    chunks,
    geometry_for,
    grid_svg,
)
from archive_service.rendering.subject_sheets import SubjectSheets, subject_sheets

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot, Student, Subject


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


def absences_by_student(snap: Snapshot) -> dict[str, Counter]:
    """student id → lessons missed: total (Н, Б, У), by illness (Б), excused (У), late (О)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for subject in snap.subjects:
        for lesson in subject.lessons:
            for a in lesson.absences:
                if a.code in ABSENT_CODES or a.code is None:
                    counts[a.student_id]["total"] += 1
                if a.code:
                    counts[a.student_id][a.code] += 1
    return counts


def merged_subjects(subjects: Iterable[Subject]) -> list[tuple[str, list[Subject]]]:
    """Subjects by name in curriculum order; subgroups of one subject become one column."""
    groups: dict[str, list[Subject]] = {}
    for subject in subjects:
        groups.setdefault(subject.name, []).append(subject)
    return list(groups.items())


def summary_grid(rows: list[StudentRow], snap: Snapshot) -> tuple[list[GridPage], list[str]]:
    """Period marks (students × subjects) and absences: the period summary of a journal copy."""
    subjects = merged_subjects(snap.subjects) if snap.class_.grade > 1 else []
    code = snap.period.code
    marks = {(s.name, pm.student_id): str(pm.value) for s in snap.subjects for pm in s.period_marks
             if pm.period == code}
    table = [[marks.get((name, r.student.id), "") for name, _ in subjects] for r in rows]
    missed = absences_by_student(snap)
    extra = [[str(missed[r.student.id]["total"] or ""), str(missed[r.student.id]["Б"] or ""),
              str(missed[r.student.id]["У"] or "")] for r in rows]
    geo = geometry_for([t for row in table + extra for t in row])
    numbers = [str(i) for i in range(1, len(subjects) + 1)]
    pages = []
    for row_range in chunks(len(rows), MAX_ROWS):
        pages.append(GridPage(
            names="\n".join(rows[r].grid_name for r in row_range),
            header="\n" + cells_line(numbers, geo.chars),
            body="\n".join(cells_line(table[r], geo.chars) for r in row_range),
            extra_header="Пропущено\n" + cells_line(["все", "Б", "У"], geo.chars),
            extra_body="\n".join(cells_line(extra[r], geo.chars) for r in row_range),
            columns=len(subjects), extra_columns=3, rows=len(row_range), chars=geo.chars,
            svg=grid_svg(len(row_range), len(subjects) + 3, geo.chars,
                         top_breaks=frozenset(range(len(subjects) + 1)))))
    legend = [f"{i}. {name}" for i, (name, _) in enumerate(subjects, start=1)]
    return pages, legend


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
    pages, legend = summary_grid(rows, snap)
    title = "Итоги периода: отметки и пропуски" if not grade_1 else "Итоги периода: пропуски уроков"
    sections.append(Section("summary", title, "summary", grid_pages=pages,
                            note="Обучение без отметок (1 класс)." if grade_1 else ""))
    return JournalModel(snap, rows, sections, legend)


SUMMARY_CODES = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year", "exam", "final")


@dataclass(frozen=True)
class FinalMarks:
    """What the summary sheet's grid holds: subjects by name, the columns present, the marks.

    The summary sheet and the archival certificate both read marks from here, so a certificate
    shows exactly what stands in the student's row of the sheet.
    """

    subjects: list[str]  # curriculum order; subgroups of one subject are one subject
    codes: list[str]  # the period codes that have a column, in SUMMARY_CODES order
    marks: dict[tuple[str, str, str], str]  # (subject, student id, code) → the mark as printed

    def of(self, student_id: str) -> list[tuple[str, dict[str, str]]]:
        """(subject, code → mark) of one student's row, subjects with no mark left out."""
        rows = [(name, {c: self.marks[(name, student_id, c)] for c in self.codes
                        if (name, student_id, c) in self.marks}) for name in self.subjects]
        return [(name, marks) for name, marks in rows if marks]


def final_marks(snap: Snapshot) -> FinalMarks:
    subjects = [name for name, _ in merged_subjects(snap.subjects)]
    marks: dict[tuple[str, str, str], str] = {(s.name, pm.student_id, pm.period): str(pm.value)
                                              for s in snap.subjects for pm in s.period_marks}
    present = {code for (_, _, code) in marks}
    return FinalMarks(subjects, [c for c in SUMMARY_CODES if c in present] or ["year"], marks)


def final_marks_grid(rows: list[StudentRow], snap: Snapshot) -> tuple[list[GridPage], list[str]]:
    """The summary sheet: for each subject its period, year, exam and final marks."""
    table = final_marks(snap)
    subjects, codes, marks = table.subjects, table.codes, table.marks
    texts = list(marks.values()) + [PERIOD_LABELS[c] for c in codes]
    geo = geometry_for(texts, minimum=max(3, -(-18 // len(codes))))  # a subject's name needs ~18 characters
    per_page = max(1, geo.columns // len(codes))
    pages = []
    for subject_range in chunks(len(subjects), per_page):
        group = [subjects[i] for i in subject_range]
        width = len(codes) * geo.chars
        heads = "".join(_fit(f"{i + 1}. {subjects[i]}", width - 1).ljust(width) for i in subject_range)
        breaks = frozenset(range(0, len(group) * len(codes), len(codes)))
        labels = "".join(cells_line([PERIOD_LABELS[c] for c in codes], geo.chars).ljust(width) for _ in group)
        for row_range in chunks(len(rows), MAX_ROWS):
            body = "\n".join(cells_line([marks.get((name, rows[r].student.id, c), "") for name in group
                                         for c in codes], geo.chars) for r in row_range)
            pages.append(GridPage(
                names="\n".join(rows[r].grid_name for r in row_range), header=heads.rstrip() + "\n" + labels.rstrip(),
                body=body, columns=len(group) * len(codes), rows=len(row_range), chars=geo.chars,
                svg=grid_svg(len(row_range), len(group) * len(codes), geo.chars, top_breaks=breaks)))
    legend = [f"{i}. {name}" for i, name in enumerate(subjects, start=1)]
    return pages, legend


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def summary_sheet_model(snap: Snapshot) -> JournalModel:
    """The summary sheet of final marks of one class for one school year."""
    rows = student_rows(snap)
    sections = [Section("class-list", "Список класса", "class_list")]
    if snap.class_.grade == 1:
        sections.append(Section("final-marks", "Итоговые отметки", "summary",
                                note="Обучение без отметок (1 класс): итоговые отметки не выставляются."))
        return JournalModel(snap, rows, sections, [])
    pages, legend = final_marks_grid(rows, snap)
    sections.append(Section("final-marks", "Итоговые отметки", "final_marks", grid_pages=pages))
    return JournalModel(snap, rows, sections, legend)
