"""The deputy head's monthly control of the electronic journal (справка о проверке ведения ЭЖ).

Reference 000 §3 («Анализ работы с классным журналом ЭЖ», «Учитель г), д), ж), з)»), 004
§6.16–6.23 (monthly control: marks, topics, homework; «оформляются справками»), 001 §2.9 (the
class teacher codes an absence within 2 working days). Over the newest snapshot version of every
period of a month, per class and per teacher:

* **accumulation of marks** (накопляемость): pupils of a subject with no mark in the month, one
  mark, or fewer than the norm. The norm is the pre-flight's (`PreflightThresholds`: per period,
  3 for a subject of one hour a week, 5 for more), prorated to the month's part of the period by
  calendar days and rounded half up (at least 1). Only pupils in the class (and the subgroup) for the whole of that
  part are judged; a pupil exempt from the subject (period mark «осв») is not;
* **lessons without a topic or homework** (as in the pre-flight);
* **late marks for written works**: a mark for a written test entered (`set_on`) more than 7 days
  after its lesson in grades 2–9, 10 days in grades 10–11 («Учитель г)»). Which work types are
  written tests: `WRITTEN_WORK_STEMS` below — контрольная, диктант, изложение, сочинение,
  проверочная, тест / тестирование, самостоятельная, письменная работа (the work types the
  journal systems and the demo school use); «Ответ на уроке», «Домашняя работа», «Практическая
  работа», «Лабораторная работа» are not written tests in this sense;
* **marks entered «задним числом»** («Учитель ж)»): any mark entered more than
  `backdated_days` (a setting) after its lesson. Each mark counts under one rule only: beyond
  that threshold it is backdated, else a written test beyond its checking term is late;
* **absences without a reason** (001 §2.9): an absence with no code (Н, Б, У, О) still uncoded at
  the export although more than 2 working days (production calendar) have passed since the lesson.

What a snapshot does not carry, and so the report cannot say: when an absence's reason was
coded (only whether it is coded at the export) and when the pupil brought the document (001
§2.9 counts the 2 days from it: the report counts from the lesson, the earliest it could be);
when a topic or homework was written (only whether it is there); the teachers' and parents'
activity (004 §6.17, §6.21: the journal systems' logs, not exported). Lessons and marks are
those of the month's lessons; a year snapshot is not read (its lessons repeat the periods').
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from archive_service.domain.procedures import WorkCalendar, working_days_after

if TYPE_CHECKING:
    from archive_service.domain.preflight import PreflightThresholds
    from archive_service.schema.snapshot import Lesson, Snapshot, Student, Subject

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
REASON_WORKING_DAYS = 2
"""001 §2.9: the class teacher codes an absence within 2 working days."""
BACKDATED_DAYS = 14
"""The default of ARCHIVE_CONTROL_BACKDATED_DAYS: no regulation gives a number («задним числом» is
simply forbidden); two weeks is longer than any written test's checking term (10 days)."""
WRITTEN_WORK_STEMS = ("контрольн", "диктант", "изложени", "сочинени", "проверочн", "тест", "самостоятельн",
                      "письменн")
"""A work type holding one of these stems (in any case) is a written test (000 «Учитель г)»)."""

TITLES = {
    "no_marks": "нет ни одной отметки",
    "one_mark": "одна отметка",
    "too_few_marks": "отметок меньше нормы",
    "lesson_without_topic": "урок без темы",
    "lesson_without_homework": "урок без домашнего задания",
    "late_mark": "отметка за письменную работу выставлена позже срока проверки",
    "backdated_mark": "отметка выставлена задним числом",
    "absence_without_reason": "не указана причина пропуска",
}
ACCUMULATION = ("no_marks", "one_mark", "too_few_marks")


class MonthError(ValueError):
    """A month that cannot be read; the message is Russian."""


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """«2026-12» → Month(2026, 12)."""
        found = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
        if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2100:
            raise MonthError(f"месяц указывается как год и номер месяца, например 2026-12 (получено «{text[:20]}»)")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return (dt.date(self.year + self.month // 12, self.month % 12 + 1, 1) - dt.timedelta(days=1))

    @property
    def academic_year(self) -> str:
        start = self.year if self.month >= 9 else self.year - 1
        return f"{start}/{start + 1}"

    @property
    def title(self) -> str:
        """«декабрь 2026 г.» (after «за»: «за декабрь 2026 г.»)."""
        return f"{MONTHS[self.month - 1]} {self.year} г."

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class ControlRules:
    calendar: WorkCalendar
    thresholds: PreflightThresholds
    """the pre-flight's norms of marks per period (the school's settings)"""
    backdated_days: int = BACKDATED_DAYS


def is_written_work(work_type: str) -> bool:
    text = work_type.casefold()
    return any(stem in text for stem in WRITTEN_WORK_STEMS)


def checking_days(grade: int) -> int:
    """Days a teacher has to check a written test and enter its marks (000 «Учитель г)»)."""
    return 10 if grade >= 10 else 7


@dataclass(frozen=True)
class ControlFinding:
    code: str
    class_name: str
    subject: str
    teacher: str
    text: str
    """what is wrong, in Russian, without the class and subject (shown under them)"""
    date: dt.date | None = None
    student: str | None = None
    marks: int | None = None
    """accumulation: the pupil's marks in the month"""
    norm: int | None = None
    """accumulation: the norm of marks for the month"""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["class"] = out.pop("class_name")
        out["date"] = self.date.isoformat() if self.date else None
        return out


@dataclass(frozen=True)
class Accumulation:
    """The accumulation of marks in one subject of one class over the month's part of a period."""

    class_name: str
    subject: str
    teacher: str
    norm: int
    pupils: int
    no_marks: int
    one_mark: int
    too_few: int

    def share(self, count: int) -> int:
        """Per cent of the pupils judged, rounded."""
        return round(100 * count / self.pupils) if self.pupils else 0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["class"] = out.pop("class_name")
        return out


@dataclass(frozen=True)
class ClassChecked:
    class_name: str
    period: str
    exported_on: dt.date
    """the snapshot's export day: absences count up to it"""


@dataclass
class ControlReport:
    month: Month
    class_name: str | None = None
    backdated_days: int = BACKDATED_DAYS
    checked: list[ClassChecked] = field(default_factory=list)
    accumulation: list[Accumulation] = field(default_factory=list)
    findings: list[ControlFinding] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(f.code for f in self.findings)
        return {code: found[code] for code in TITLES}

    def by(self, key: str) -> list[tuple[str, dict[str, int]]]:
        """(class or teacher, counts per rule) in the order first met; `key`: «class_name» or «teacher»."""
        groups: dict[str, Counter[str]] = {}
        for f in self.findings:
            groups.setdefault(getattr(f, key), Counter())[f.code] += 1
        return [(name, {code: found[code] for code in TITLES}) for name, found in groups.items()]

    def as_dict(self) -> dict[str, Any]:
        return {"month": str(self.month), "academic_year": self.month.academic_year, "class": self.class_name,
                "backdated_days": self.backdated_days,
                "checked": [{"class": c.class_name, "period": c.period, "exported_on": c.exported_on.isoformat()}
                            for c in self.checked],
                "counts": self.counts,
                "by_class": [{"class": name, "counts": counts} for name, counts in self.by("class_name")],
                "by_teacher": [{"teacher": name, "counts": counts} for name, counts in self.by("teacher")],
                "accumulation": [a.as_dict() for a in self.accumulation],
                "findings": [f.as_dict() for f in self.findings]}


def control(snapshots: Iterable[Snapshot], month: Month, rules: ControlRules,
            class_name: str | None = None) -> ControlReport:
    """The month's control over these snapshots (the newest version of each class's period):
    the snapshots of periods outside the month, and year snapshots, are passed over."""
    report = ControlReport(month, class_name, rules.backdated_days)
    for snap in sorted(snapshots, key=lambda s: (s.class_.grade, s.class_.name, s.period.code)):  # 1А … 11Б
        if snap.period.kind == "year" or snap.period.end < month.first or snap.period.start > month.last:
            continue
        exported = snap.source.exported_at.date()
        report.checked.append(ClassChecked(snap.class_.name, snap.period.code, exported))
        for subject in snap.subjects:
            lessons = [x for x in subject.lessons if month.first <= x.date <= month.last]
            if not lessons:
                continue
            report.findings.extend(_lesson_findings(snap, subject, lessons, rules, exported))
            if snap.class_.grade > 1:
                row, found = _accumulation(snap, subject, lessons, month, rules.thresholds)
                report.accumulation.append(row)
                report.findings.extend(found)
    return report


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def _lesson_findings(snap: Snapshot, subject: Subject, lessons: list[Lesson], rules: ControlRules,
                     exported: dt.date) -> Iterator[ControlFinding]:
    names = {s.id: s.full_name for s in snap.students}

    def finding(code: str, text: str, day: dt.date, student: str | None = None) -> ControlFinding:
        return ControlFinding(code, snap.class_.name, subject.name, subject.teacher.full_name, text, day, student)

    for lesson in lessons:
        if not (lesson.topic or "").strip():
            yield finding("lesson_without_topic", "не записана тема урока", lesson.date)
        if not (lesson.homework or "").strip():
            yield finding("lesson_without_homework",
                          "не записано домашнее задание (если его нет, пишется «Без задания»)", lesson.date)
        for mark in lesson.marks:
            code, text = _mark_delay(mark.work_type, lesson.date, mark.set_on, snap.class_.grade, rules)
            if code:
                yield finding(code, text, lesson.date, names.get(mark.student_id, mark.student_id))
        due = working_days_after(lesson.date, REASON_WORKING_DAYS, rules.calendar)
        for absence in lesson.absences:
            if absence.code is None and exported > due:
                yield finding("absence_without_reason",
                              f"причина пропуска не указана (срок — {_fmt(due)}, в выгрузке от {_fmt(exported)} "
                              f"её нет)", lesson.date, names.get(absence.student_id, absence.student_id))


def _mark_delay(work_type: str, lesson: dt.date, set_on: dt.date, grade: int,
                rules: ControlRules) -> tuple[str | None, str]:
    """(rule broken or None, what to say) for a mark entered `set_on` for a lesson of `lesson`."""
    delay = (set_on - lesson).days
    when = f"отметка за «{work_type}» выставлена {_fmt(set_on)}, через {delay} дн. после урока"
    if delay > rules.backdated_days:
        return "backdated_mark", f"{when} (задним числом: больше {rules.backdated_days} дн.)"
    if is_written_work(work_type) and delay > checking_days(grade):
        return "late_mark", f"{when} (срок проверки письменной работы — {checking_days(grade)} дн.)"
    return None, ""


def month_norm(norm: int, period_start: dt.date, period_end: dt.date, start: dt.date, end: dt.date) -> int:
    """The period's norm of marks for the days start..end of it, prorated by calendar days and rounded
    half up (at least 1): 5 a quarter of 51 days → 2 for its 25 days of December, 3 for its 26 of November."""
    if norm <= 0 or end < start:
        return 0
    whole = (period_end - period_start).days + 1
    part = (end - start).days + 1
    return max(1, math.floor(norm * part / whole + 0.5 + 1e-9))


def _judged(snap: Snapshot, subject: Subject, start: dt.date, end: dt.date) -> list[Student]:
    """The pupils judged for accumulation: in the class and subgroup for the whole of start..end, not exempt."""
    members = set(subject.group.student_ids) if subject.group else None
    exempt = {pm.student_id for pm in subject.period_marks if pm.value == "осв"}
    return [s for s in snap.students
            if (members is None or s.id in members) and s.id not in exempt
            and (s.enrolled_on is None or s.enrolled_on <= start) and (s.left_on is None or s.left_on >= end)]


def _accumulation(snap: Snapshot, subject: Subject, lessons: list[Lesson], month: Month,
                  thresholds: PreflightThresholds) -> tuple[Accumulation, list[ControlFinding]]:
    start = max(month.first, snap.period.start)
    end = min(month.last, snap.period.end, snap.source.exported_at.date())
    norm = month_norm(thresholds.for_hours(subject.hours_per_week), snap.period.start, snap.period.end, start, end)
    counts = Counter(m.student_id for lesson in lessons for m in lesson.marks)
    pupils = _judged(snap, subject, start, end)
    found: list[ControlFinding] = []
    for pupil in pupils:
        have = counts[pupil.id]
        code = "no_marks" if have == 0 else "one_mark" if have == 1 else "too_few_marks"
        if have < norm:
            text = (f"{TITLES[code]} за месяц" + (f" ({have} при норме {norm})" if code == "too_few_marks"
                                                  else f" при норме {norm}"))
            found.append(ControlFinding(code, snap.class_.name, subject.name, subject.teacher.full_name, text,
                                        None, pupil.full_name, have, norm))
    tally = Counter(f.code for f in found)
    row = Accumulation(snap.class_.name, subject.name, subject.teacher.full_name, norm, len(pupils),
                       tally["no_marks"], tally["one_mark"], tally["too_few_marks"])
    return row, found
