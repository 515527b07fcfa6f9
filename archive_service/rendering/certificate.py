"""The archival certificate (архивная справка) of a former student, and where a row stands.

The certificate quotes marks exactly as the summary sheet prints them (the service takes them
from `model.final_marks`, the table the sheet's grid is drawn from) and adds the words an
archive writes beside a mark: «5 (отлично)», «зачтено». The sheet a student's row stands on is
read from the rendered summary sheet itself, because how many grid blocks fit on a page is
decided by the layout, not by the model.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from archive_service.domain.names import Gender, gender_of
from archive_service.domain.periods import PERIOD_TITLES
from archive_service.domain.sheets import sheet_of_page
from archive_service.rendering.model import fmt
from archive_service.rendering.pdf import PrintEnvironment

MARK_WORDS = {"5": "отлично", "4": "хорошо", "3": "удовлетворительно", "2": "неудовлетворительно", "1": "плохо"}
COLUMN_TITLES = {**PERIOD_TITLES, "year": "Годовая отметка", "exam": "Экзаменационная отметка",
                 "final": "Итоговая отметка"}
RESULT_CODES = ("year", "exam", "final")


def mark_text(value: str, gender: Gender) -> str:
    """A mark as the summary sheet prints it, with the words: «4 (хорошо)», «зачтено»."""
    if value in MARK_WORDS:
        return f"{value} ({MARK_WORDS[value]})"
    words = {"зач": "зачтено", "незач": "не зачтено",
             "осв": gender.word("освобождён", "освобождена", "освобождён(а)"),
             "н/а": gender.word("не аттестован", "не аттестована", "не аттестован(а)")}
    return words.get(value, value)


@dataclass(frozen=True)
class YearRecord:
    """One class and school year of the student, as its summary sheet shows it."""

    academic_year: str
    class_name: str
    grade: int
    school_short_name: str
    enrolled_on: dt.date | None
    left_on: dt.date | None
    marks: list[tuple[str, dict[str, str]]]  # the student's row: subject → code → mark as printed
    document_id: str
    registered_as: str | None  # «N/YYYY» in the register of copies
    case_index: str
    sheets: list[int]

    @property
    def columns(self) -> list[str]:
        """Year, exam and final marks; the period marks when the student left before the year ended."""
        present = {code for _, marks in self.marks for code in marks}
        results = [c for c in RESULT_CODES if c in present]
        return results or [c for c in COLUMN_TITLES if c in present]

    def basis(self) -> str:
        """«Основание: …»: the sheet, its file and register number, the sheets of the row."""
        nbsp = "\u00a0"  # «№ 1/2027» and «л. 3–4» never split across lines
        where = [f"дело №{nbsp}{self.case_index}"] if self.case_index else []
        if self.registered_as:
            where.append(f"реестр №{nbsp}{self.registered_as}")
        else:
            where.append(f"документ архива {self.document_id}, в реестр не внесён")
        return (f"сводная ведомость итоговых отметок {self.class_name} класса за {self.academic_year} учебный год "
                f"({', '.join(where)}), л.{nbsp}{sheet_ranges(self.sheets)}")


@dataclass(frozen=True)
class CertificateFacts:
    """Everything the certificate prints; `years` in school order, at least one."""

    number: int
    year: int
    issued_on: dt.date
    school: str
    director: str
    student_name: str
    birth_date: dt.date
    requested_by: str
    purpose: str
    secretary: str
    years: list[YearRecord]

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"


def sheet_ranges(sheets: list[int]) -> str:
    """[3, 4, 5, 7] → «3–5, 7»."""
    runs: list[list[int]] = []
    for sheet in sorted(set(sheets)):
        if runs and sheet == runs[-1][-1] + 1:
            runs[-1].append(sheet)
        else:
            runs.append([sheet])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def sheets_showing(pdf: bytes, line: str, *, duplex: bool) -> list[int]:
    """The sheets of a rendered document whose pages carry `line` as a line of their own (a grid
    row «12. Петров Иван»): fronts and backs share a sheet when the document is two-sided."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # WeasyPrint's xref streams make it chatty
    pattern = re.compile(r"(?<![\d.])" + re.escape(" ".join(line.split())) + r"(?=\s|$)")
    sheets = []
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        if pattern.search(" ".join(page.extract_text().split())):
            sheets.append(sheet_of_page(index, duplex=duplex))
    return sorted(set(sheets))


def _studied(facts: CertificateFacts, gender: Gender) -> str:
    """«обучался в МБОУ СОШ № 21 в 8А классе в 2025/2026 учебном году и в 9А классе в …»."""
    same_school = len({y.school_short_name for y in facts.years}) == 1
    parts = []
    for y in facts.years:
        school = "" if same_school else f" {y.school_short_name}"
        note = []
        if y.enrolled_on:
            note.append(f"{gender.word('прибыл', 'прибыла', 'прибыл(а)')} {fmt(y.enrolled_on)}")
        if y.left_on:
            note.append(f"{gender.word('выбыл', 'выбыла', 'выбыл(а)')} {fmt(y.left_on)}")
        parts.append(f"в {y.class_name} классе{school} в {y.academic_year} учебном году"
                     + (f" ({', '.join(note)})" if note else ""))
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " и " + parts[-1]
    where = f" в {facts.years[0].school_short_name}" if same_school else ""
    return f"{gender.word('обучался', 'обучалась', 'обучался(ась)')}{where} {listed}"


def signature_name(full_name: str) -> str:
    """«Сергеева Ольга Викторовна» → «О. В. Сергеева», as a signature is typed under the line."""
    surname, *rest = full_name.split() or [""]
    return " ".join([*(p[0] + "." for p in rest), surname]).strip()


def _purpose(purpose: str) -> str:
    purpose = purpose.strip().rstrip(".")
    return purpose if purpose.startswith("для ") else f"для представления {purpose}"


@lru_cache(maxsize=None)
def _environment(templates_dir: Path) -> PrintEnvironment:
    return PrintEnvironment(templates_dir)


def certificate_pdf(templates_dir: Path, facts: CertificateFacts, *, moment: dt.datetime) -> bytes:
    """The certificate, A4 portrait, one-sided; `moment` is the only time that reaches the file."""
    gender = gender_of(facts.student_name)
    years = [{"record": y, "columns": [COLUMN_TITLES[c] for c in y.columns],
              "rows": [(subject, [mark_text(marks[c], gender) if c in marks else "—" for c in y.columns])
                       for subject, marks in y.marks],
              "basis": y.basis()} for y in facts.years]
    context = {"c": facts, "years": years, "studied": _studied(facts, gender), "purpose": _purpose(facts.purpose),
               "date": fmt(facts.issued_on), "birth": fmt(facts.birth_date), "created": moment.isoformat(),
               "director_name": signature_name(facts.director), "secretary_name": signature_name(facts.secretary)}
    env = _environment(templates_dir)
    laid = env.layout("certificate.html", context, duplex=False)
    return env.write(laid, laid.document.pages, epoch=int(moment.timestamp()))
