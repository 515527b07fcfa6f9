"""The mark grid of one subject in a class journal copy: lessons across, students down.

A cell shows what the journal holds for the student at the lesson: the absence code, then the
marks. Lateness (the journal's code «О») is printed as a small «о», and with a mark as «о·5»,
never «О5»: in a monospaced line the capital О beside a digit reads as a zero («05») and alone
looks like a «0»; the small letter stands at x-height, below the digits, and the middle dot is
neither a decimal comma (Russian writes 0,5) nor the slash that separates two marks («5/4»).
An absence the journal system exported without a code is printed «п» (`UNCODED_ABSENCE`), and
the legend under every grid says what each sign means.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archive_service.domain.periods import PERIOD_LABELS
from archive_service.domain.rules import UNCODED_ABSENCE
from archive_service.rendering.grid import (
    NAMES_WIDTH,
    READABLE,
    READABLE_LARGE,
    GridPage,
    GridStyle,
    TopLabel,
    cells_line,
    chunks,
    column_edges,
    grid_svg,
    width_chunks,
)

if TYPE_CHECKING:
    from archive_service.rendering.model import StudentRow
    from archive_service.schema.snapshot import Absence, Lesson, Student, Subject

#: the standard Russian abbreviations of the months (four-letter names are written out)
MONTHS = ("янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек.")
OUTSIDE = "–"  # a date on which the student was not in the class
CODE_SEPARATOR = "·"  # between an absence code and the marks of the same lesson: «о·5»
PRINTED_CODES = {"О": "о"}  # the journal's code → the sign in the grid, where it differs
MIN_TEXT = 3  # characters every column holds («о·5», «зач», «5/4») besides its padding
LEGEND = ("Н — не был(а) без уважительной причины, Б — по болезни, У — по уважительной причине, "
          f"{UNCODED_ABSENCE} — отсутствовал(а), причина в журнале не указана; "
          f"о — опоздал(а) (в журнале «О»), о{CODE_SEPARATOR}5 — опоздал(а), отметка 5; "
          f"5/4 — две отметки за урок; «{OUTSIDE}» — не обучался(лась) в классе в этот день.")


def absence_code(absence: Absence) -> str:
    """The journal's code, or «п» when it exported none (as the topics list prints it)."""
    return absence.code or UNCODED_ABSENCE


def grid_code(absence: Absence) -> str:
    """The sign of an absence in a grid cell: «Н», «Б», «У», «п», and «о» for lateness."""
    code = absence_code(absence)
    return PRINTED_CODES.get(code, code)


def in_class(st: Student, day: dt.date) -> bool:
    return (st.enrolled_on is None or st.enrolled_on <= day) and (st.left_on is None or day <= st.left_on)


def cell_text(code: str, marks: list[str]) -> str:
    """«о», «5», «5/4», «о·5»: the sign, then the marks, a separator between them."""
    return CODE_SEPARATOR.join(part for part in (code, "/".join(marks)) if part)


def _index_lesson(lesson: Lesson) -> dict[str, str]:
    """student id → cell text for one lesson."""
    codes = {a.student_id: grid_code(a) for a in lesson.absences}
    marks: dict[str, list[str]] = defaultdict(list)
    for mark in lesson.marks:
        marks[mark.student_id].append(str(mark.value))
    return {sid: cell_text(codes.get(sid, ""), marks.get(sid, [])) for sid in codes.keys() | marks.keys()}


def month_labels(lessons: list[Lesson], widths: list[int], style: GridStyle) -> tuple[TopLabel, ...]:
    """The month over the days of each month: one label across the cells of its run of lessons."""
    edges = [x - NAMES_WIDTH for x in column_edges(widths, style)]
    labels, start = [], 0
    for k in range(1, len(lessons) + 1):
        if k == len(lessons) or lessons[k].date.month != lessons[start].date.month:
            labels.append(TopLabel(edges[start], edges[k] - edges[start], MONTHS[lessons[start].date.month - 1]))
            start = k
    return tuple(labels)


@dataclass(frozen=True)
class GridChunk:
    """The lessons one grid page is wide, and their grid pages (one per part of the class list)."""

    lessons: range  # indexes into the subject's lessons
    pages: list[GridPage]


def subject_grid(rows: list[StudentRow], subject: Subject, period_code: str) -> list[GridChunk]:
    """The mark grid of one subject, split into chunks of lessons as wide as a page; the period
    mark stands in the last chunk, after the last lesson. Marks are 10 pt when that takes no more
    pages than 9 pt (the room a page has is used for larger type rather than left blank)."""
    lessons = list(subject.lessons)
    by_lesson = [_index_lesson(lesson) for lesson in lessons]
    table = [[(cells.get(r.student.id, "") if in_class(r.student, lesson.date) else OUTSIDE)
              for lesson, cells in zip(lessons, by_lesson)] for r in rows]
    period = {pm.student_id: str(pm.value) for pm in subject.period_marks if pm.period == period_code}
    finals = [period.get(r.student.id, "") for r in rows]
    label = PERIOD_LABELS.get(period_code, "")
    style, pad = READABLE, 2 * READABLE.padding
    widths = [max([MIN_TEXT, *(len(row[c]) for row in table)]) + pad for c in range(len(lessons))]
    final_width = max([MIN_TEXT, len(label), *map(len, finals)]) + pad
    col_ranges = width_chunks(widths, final_width, READABLE)
    if len(width_chunks(widths, final_width, READABLE_LARGE)) == len(col_ranges):
        style, col_ranges = READABLE_LARGE, width_chunks(widths, final_width, READABLE_LARGE)
    out = []
    for col_range in col_ranges:
        last = col_range.stop == len(lessons)
        part = [lessons[i] for i in col_range]
        cols = [widths[i] for i in col_range] + ([final_width] if last else [])
        pages = [_grid_page(rows, row_range, table, col_range, finals if last else None, label,
                            cols, part, style)
                 for row_range in chunks(len(rows), style.max_rows)]
        out.append(GridChunk(col_range, pages))
    return out


def _grid_page(rows: list[StudentRow], row_range: range, table: list[list[str]], col_range: range,
               finals: list[str] | None, label: str, cols: list[int], part: list[Lesson],
               style: GridStyle) -> GridPage:
    lesson_cols = cols[:len(col_range)]
    breaks = frozenset(k for k, lesson in enumerate(part)
                       if k == 0 or lesson.date.month != part[k - 1].date.month) | {len(part)}
    extra = cols[len(col_range)] if finals is not None else 0
    return GridPage(
        names="\n".join(rows[r].grid_name for r in row_range),
        header="\n" + cells_line([f"{lesson.date.day:02d}" for lesson in part], lesson_cols),
        body="\n".join(cells_line([table[r][c] for c in col_range], lesson_cols) for r in row_range),
        extra_header="\n" + label.center(extra) if finals is not None else "",
        extra_body="\n".join(finals[r].center(extra) for r in row_range) if finals is not None else "",
        columns=len(col_range), extra_columns=1 if finals is not None else 0, rows=len(row_range),
        chars=cols[0] if cols else MIN_TEXT, style=style, widths=tuple(cols),
        top_labels=month_labels(part, lesson_cols, style),
        svg=grid_svg(len(row_range), len(cols), 0, top_breaks=breaks, style=style, widths=cols,
                     header_rule=True))
