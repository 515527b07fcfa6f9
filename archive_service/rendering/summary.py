"""What the summaries show: the period summary closing a journal copy, and the summary sheet.

The summary sheet (сводная ведомость, kept 25 years) holds, per student, the marks of every
period, the year, exam and final marks of every subject, the lessons missed in the year and the
pedagogical council's decision. The archival certificate quotes its marks from `final_marks`,
the very table the sheet's grid is drawn from. Subject names are printed in full over their
columns (`heads.py`); period columns are headed by the Russian labels of `domain.periods`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from archive_service.domain.periods import PERIOD_LABELS, column_legend
from archive_service.domain.promotion import MISSING, decision_text
from archive_service.domain.rules import UNCODED_ABSENCE
from archive_service.rendering.certificate import gender_of
from archive_service.rendering.graduation import graduation_section, is_graduating
from archive_service.rendering.grid import (
    CONTENT_WIDTH,
    MAX_ROWS,
    NAMES_WIDTH,
    Geometry,
    ROW_HEIGHT,
    cells_line,
    chunks,
    geometry_for,
)
from archive_service.rendering.heads import (
    Group,
    SummaryPage,
    TextColumn,
    label_chars,
    layout_header,
    lines_svg,
    text_width,
)
from archive_service.rendering.model import JournalModel, Section, StudentRow, fmt, student_rows

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot, Subject

SUMMARY_CODES = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year", "exam", "final")
MISSED = ("все", "Н", "Б", "У", UNCODED_ABSENCE)
"""the columns of lessons missed: all of them, then by code («п»: exported without a code)"""
LATE = "О"
PAGE_HEIGHT = 748.0  # pt: A4 less the top and bottom margins (pages.css)
PAGE_FURNITURE = 90.0  # pt: heading, note and legend on a page with a grid
DECISION_SIZE = 7.8  # pt: the council's decision, as the students' names
ABSENCE_LEGEND = ("Пропущено уроков: все = Н + Б + У + п; Н — без уважительной причины, Б — по болезни, "
                  "У — по уважительной причине, п — пропуск, причина которого в журнале не отмечена. "
                  "О — опоздания (в «все» не входят).")


@dataclass
class SummarySection(Section):
    """A summary part: its grid blocks (`SummaryPage`) and the notes printed under them."""

    blocks: list[SummaryPage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def absences_by_student(snap: Snapshot) -> dict[str, Counter]:
    """student id → lessons missed: «total» (Н + Б + У + п) and per code (Н, Б, У, п, О late)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for subject in snap.subjects:
        for lesson in subject.lessons:
            for a in lesson.absences:
                code = a.code or UNCODED_ABSENCE
                counts[a.student_id][code] += 1
                if code != LATE:
                    counts[a.student_id]["total"] += 1
    return counts


def has_lessons(snap: Snapshot) -> bool:
    return any(subject.lessons for subject in snap.subjects)


def merged_subjects(subjects: Iterable[Subject]) -> list[tuple[str, list[Subject]]]:
    """Subjects by name in curriculum order; subgroups of one subject become one column."""
    groups: dict[str, list[Subject]] = {}
    for subject in subjects:
        groups.setdefault(subject.name, []).append(subject)
    return list(groups.items())


def _missed_cells(counts: Counter) -> list[str]:
    return [str(counts[k] or "") for k in ("total", "Н", "Б", "У", UNCODED_ABSENCE, LATE)]


def _missed_groups() -> list[Group]:
    return [Group("Пропущено уроков", MISSED), Group("Опоздания", (LATE,))]


def _geometry(texts: list[str], labels: list[str]) -> Geometry:
    """Cells with room for each label, and a character to spare beside the longest text: «осв» in
    three characters would run into its neighbour («освосв»), on paper and when read back."""
    return geometry_for(texts, minimum=max(3, label_chars(labels), *(len(t) + 1 for t in texts)))


def rows_per_block(head: float) -> int:
    """Students a block holds so that it fits a page under its header."""
    return max(1, min(MAX_ROWS, int((PAGE_HEIGHT - PAGE_FURNITURE - head) // ROW_HEIGHT)))


def _blocks(rows: list[StudentRow], groups: list[Group], table: list[list[str]], chars: int,
            words: list[tuple[float, list[str]]] | None = None) -> list[SummaryPage]:
    """Blocks of one group of columns, continued downwards; `words`: (width, one text per row)."""
    header = layout_header(groups, chars)
    words = words or []
    out = []
    for row_range in chunks(len(rows), rows_per_block(header.height)):
        left = NAMES_WIDTH + header.width - sum(width for width, _ in words)
        texts = []
        for width, column in words:
            texts.append(TextColumn(left, width, "\n".join(column[r] for r in row_range)))
            left += width
        out.append(SummaryPage(names="\n".join(rows[r].grid_name for r in row_range),
                               body="\n".join(cells_line(table[r], chars) for r in row_range),
                               header=header, rows=len(row_range), texts=texts,
                               svg=lines_svg(header, len(row_range))))
    return out


def summary_grid(rows: list[StudentRow], snap: Snapshot) -> list[SummaryPage]:
    """Period marks (students × subjects) and lessons missed: the period summary of a journal copy."""
    subjects = [name for name, _ in merged_subjects(snap.subjects)] if snap.class_.grade > 1 else []
    code = snap.period.code
    marks = {(s.name, pm.student_id): str(pm.value) for s in snap.subjects for pm in s.period_marks
             if pm.period == code}
    missed = absences_by_student(snap)
    table = [[marks.get((name, r.student.id), "") for name in subjects] + _missed_cells(missed[r.student.id])
             for r in rows]
    geo = _geometry([t for row in table for t in row], [*MISSED, LATE])
    per_block = max(1, geo.columns - len(MISSED) - 1)
    pages = []
    for part in chunks(len(subjects), per_block):
        last = part.stop == len(subjects)
        groups = [Group(subjects[i], ("",)) for i in part] + (_missed_groups() if last else [])
        columns = list(part) + (list(range(len(subjects), len(subjects) + len(MISSED) + 1)) if last else [])
        pages += _blocks(rows, groups, [[row[c] for c in columns] for row in table], geo.chars)
    return pages


def period_summary(rows: list[StudentRow], snap: Snapshot) -> SummarySection:
    """The last part of a journal copy: period marks and lessons missed per student."""
    grade_1 = snap.class_.grade == 1
    title = "Итоги периода: пропуски уроков" if grade_1 else "Итоги периода: отметки и пропуски"
    notes = (["Обучение без отметок (1 класс)."] if grade_1 else []) + [ABSENCE_LEGEND]
    return SummarySection("summary", title, "summary", blocks=summary_grid(rows, snap), notes=notes)


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


def final_marks_grid(rows: list[StudentRow], snap: Snapshot) -> list[SummaryPage]:
    """The summary sheet's marks: for each subject (named in full) its period, year, exam and final marks."""
    table = final_marks(snap)
    subjects, codes, marks = table.subjects, table.codes, table.marks
    labels = [PERIOD_LABELS[c] for c in codes]
    geo = _geometry(list(marks.values()), labels)
    per_block = max(1, geo.columns // len(codes))
    pages = []
    for part in chunks(len(subjects), per_block):
        groups = [Group(subjects[i], tuple(PERIOD_LABELS[c] for c in codes)) for i in part]
        cells = [[marks.get((subjects[i], r.student.id, c), "") for i in part for c in codes] for r in rows]
        pages += _blocks(rows, groups, cells, geo.chars)
    return pages


def _decisions(rows: list[StudentRow], snap: Snapshot) -> tuple[list[str], list[str]]:
    """Per student the council's decision in words (or that the journal did not pass one) and its protocol."""
    given = {p.student_id: p for p in snap.promotion or []}
    decisions, protocols = [], []
    for r in rows:
        item = given.get(r.student.id)
        if item is None:
            decisions.append(MISSING)
            protocols.append("")
            continue
        decisions.append(decision_text(item.decision, gender_of(r.student.full_name).key, snap.class_.grade))
        protocols.append(f"№\u00a0{item.protocol_number} от {fmt(item.protocol_date)}")
    return decisions, protocols


def attendance_grid(rows: list[StudentRow], snap: Snapshot) -> list[SummaryPage]:
    """Lessons missed in the year (when the year snapshot holds its lessons) and the council's decisions."""
    decisions, protocols = _decisions(rows, snap)
    with_lessons = has_lessons(snap)
    missed = absences_by_student(snap)
    table = [_missed_cells(missed[r.student.id]) if with_lessons else [] for r in rows]
    geo = _geometry([t for row in table for t in row], [*MISSED, LATE])
    groups = _missed_groups() if with_lessons else []
    free = CONTENT_WIDTH - NAMES_WIDTH - (len(MISSED) + 1) * geo.cell * with_lessons
    protocol_width = max(text_width(t, DECISION_SIZE) for t in [*protocols, "№ 00 от 00.00.0000"]) + 6
    words = [(free - protocol_width, decisions), (protocol_width, protocols)]
    groups += [Group("Решение педагогического совета", ("",), width=words[0][0]),
               Group("Протокол", ("",), width=protocol_width)]
    return _blocks(rows, groups, table, geo.chars, words)


def _attendance_notes(snap: Snapshot) -> list[str]:
    notes = []
    if has_lessons(snap):
        notes.append(ABSENCE_LEGEND)
    else:
        notes.append("Пропуски уроков за год снимок учебного года не содержит (в нём нет уроков): пропуски "
                     "каждого учащегося указаны в итогах периода копий классного журнала "
                     f"{snap.class_.name} класса за периоды {snap.academic_year} учебного года.")
    return notes


def summary_sheet_model(snap: Snapshot) -> JournalModel:
    """The summary sheet of one class for one school year: final marks, attendance, decisions."""
    rows = student_rows(snap)
    sections: list[Section] = [Section("class-list", "Список класса", "class_list")]
    notes = _attendance_notes(snap)
    if snap.class_.grade > 1:
        codes = final_marks(snap).codes
        sections.append(SummarySection("final-marks", "Итоговые отметки", "final_marks",
                                       blocks=final_marks_grid(rows, snap),
                                       notes=[f"Столбцы: {column_legend(codes)}."]))
    else:
        notes.insert(0, "Обучение без отметок (1 класс): итоговые отметки не выставляются.")
    title = "Пропуски уроков и решения педагогического совета"
    sections.append(SummarySection("attendance", title, "attendance", blocks=attendance_grid(rows, snap),
                                   notes=notes))
    if is_graduating(snap):
        sections.append(graduation_section(rows, snap))
    return JournalModel(snap, rows, sections, [])
