"""The pre-flight report as people work from it: by teacher and by pupil, repeats collapsed.

The rules (what is a finding and why) stay in `preflight`; this module only arranges the
findings of a period's classes. Two views:

* **by teacher** — what each subject teacher must fix, class by class and subject by subject
  (the note the deputy head hands out, reference 004 §6.23: «оформляются справками»); the
  same omission on several lessons of a subject is one line with the count and the dates;
* **by pupil** — every pupil with findings, one line per kind: a pupil who came into the class
  in the middle of the period (and so has too few marks in every subject) is one line per kind
  with the count and the subjects, not one line per subject.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from archive_service.domain.names import gender_of, plural
from archive_service.domain.preflight import TITLES, Finding, PreflightReport

#: a teacher's name where the snapshot names none (never in a valid snapshot; a safe fallback)
NO_TEACHER = "учитель не указан"


@dataclass(frozen=True)
class Line:
    """One line of a grouped report: one finding, or several of one kind collapsed."""

    code: str
    text: str
    count: int
    """how many findings the line stands for"""


@dataclass(frozen=True)
class SubjectLines:
    class_name: str
    subject: str
    lines: list[Line]

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)


@dataclass(frozen=True)
class TeacherGroup:
    """What one teacher must fix: their subjects in every class, in class order."""

    teacher: str
    subjects: list[SubjectLines] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.subjects)

    @property
    def classes(self) -> list[str]:
        return list(dict.fromkeys(s.class_name for s in self.subjects))


@dataclass(frozen=True)
class PupilGroup:
    class_name: str
    student: str
    arrived: dt.date | None
    lines: list[Line]

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)


def _day(day: dt.date) -> str:
    return day.strftime("%d.%m")


def _subject_lines(findings: list[Finding]) -> list[Line]:
    """A subject's findings in one class: lesson omissions of one kind collapsed into a line with
    the dates; a pupil's finding stays its own line (each names what to fix for whom)."""
    lines: list[Line] = []
    lessons: dict[str, list[Finding]] = {}
    for f in findings:
        if f.student is None and f.date is not None:
            lessons.setdefault(f.code, []).append(f)
    done: set[str] = set()
    for f in findings:
        if f.code in lessons and f.student is None and f.date is not None:
            if f.code in done:
                continue
            done.add(f.code)
            same = lessons[f.code]
            if len(same) == 1:
                lines.append(Line(f.code, f"{f.date.strftime('%d.%m.%Y')}: {f.detail}", 1))
            else:
                days = ", ".join(_day(x.date) for x in same if x.date)
                lines.append(Line(f.code, f"{f.detail} — {len(same)} {plural(len(same), 'урок', 'урока', 'уроков')}: "
                                          f"{days}", len(same)))
        else:
            when = f"{f.date.strftime('%d.%m.%Y')}: " if f.date else ""
            lines.append(Line(f.code, f"{when}{f.detail or f.message}", 1))
    return lines


def by_teacher(reports: Iterable[PreflightReport]) -> list[TeacherGroup]:
    """Every teacher with findings (by surname), their classes and subjects in journal order."""
    groups: dict[str, TeacherGroup] = {}
    for report in reports:
        per_subject: dict[tuple[str, str], list[Finding]] = {}
        for f in report.findings:
            per_subject.setdefault((f.teacher or NO_TEACHER, f.subject or ""), []).append(f)
        for (teacher, subject), items in per_subject.items():
            group = groups.setdefault(teacher, TeacherGroup(teacher))
            group.subjects.append(SubjectLines(report.class_name, subject, _subject_lines(items)))
    return sorted(groups.values(), key=lambda g: g.teacher.replace("ё", "е"))


def _pupil_line(code: str, items: list[Finding], period: str, arrived: dt.date | None) -> Line:
    if len(items) == 1:
        (f,) = items
        return Line(code, f.message, 1)
    n = len(items)
    subjects = list(dict.fromkeys(f.subject or "" for f in items))
    if code == "absence_without_code":
        where = "; ".join(f"«{f.subject}» {_day(f.date)}" for f in items if f.date)
        return Line(code, f"пропуски без кода (Н, Б, У, О) — {n} {plural(n, 'урок', 'урока', 'уроков')}: {where}", n)
    what = {"too_few_marks": "мало отметок",
            "period_mark_missing": f"нет отметки за {period}",
            "period_mark_na": f"«н/а» ({_not_certified(items[0].student or '')}) за {period}"}.get(
        code, TITLES.get(code, code))
    if arrived and code in ("too_few_marks", "period_mark_missing", "period_mark_na"):
        what += f" (в классе с {arrived.strftime('%d.%m.%Y')})"
    k = len(subjects)
    return Line(code, f"{what} — в {k} {plural(k, 'предмете', 'предметах', 'предметах')}: {', '.join(subjects)}", n)


def _not_certified(pupil: str) -> str:
    """«не аттестован», «не аттестована» by the pupil's patronymic; «не аттестован(а)» when it says nothing."""
    return gender_of(pupil).word("не аттестован", "не аттестована", "не аттестован(а)")


def by_pupil(reports: Iterable[PreflightReport], period: str) -> list[PupilGroup]:
    """Every pupil with findings, class by class (in the report's order), by surname within a
    class; one line per kind. `period` is the period's Russian name («II четверть»)."""
    out: list[PupilGroup] = []
    for report in reports:
        per_pupil: dict[str, dict[str, list[Finding]]] = {}
        for f in report.findings:
            if f.student:
                per_pupil.setdefault(f.student, {}).setdefault(f.code, []).append(f)
        for student in sorted(per_pupil, key=lambda s: s.replace("ё", "е")):
            kinds = per_pupil[student]
            arrived = report.arrived.get(student)
            lines = [_pupil_line(code, kinds[code], period, arrived) for code in TITLES if code in kinds]
            out.append(PupilGroup(report.class_name, student, arrived, lines))
    return out


def teacher_initials(full_name: str) -> str:
    """«Иванова Татьяна Петровна» → «Иванова Т. П.»."""
    parts = full_name.split()
    return " ".join(parts[:1] + [f"{p[0]}." for p in parts[1:3]]) if len(parts) > 1 else full_name
