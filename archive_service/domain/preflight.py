"""The pre-flight report: what a deputy head must see before the journal is printed.

Day 1 of the period-close procedure is the teachers' check of marks; this report finds what
they must fix in the journal system first: too few marks, lessons without a topic or homework,
missing period marks, «н/а», absences without a code. Findings are warnings, not rejections:
the snapshot is stored either way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from archive_service.domain.graduation import FINAL_VERSION, GRADUATING_GRADES
from archive_service.domain.names import AS_WRITTEN, NameForms, student_genitive, student_nominative
from archive_service.domain.periods import PERIOD_TITLES, period_title
from archive_service.domain.substitutes import substitute

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Person, Snapshot, Student, Subject

NO_HOMEWORK = "без задания"

RULES = 2
"""The edition of the rules below. A stored snapshot's findings are kept with the edition that
found them (services.ingest); raise it whenever what is a finding, or what a finding says,
changes: a report kept under an older edition is then found anew on its first reading."""

TITLES = {
    "too_few_marks": "мало отметок",
    "lesson_without_topic": "урок без темы",
    "lesson_without_homework": "урок без домашнего задания",
    "period_mark_missing": "нет отметки за период",
    "period_mark_na": "«н/а» за период",
    "absence_without_code": "пропуск без кода причины",
    "state_exams_missing": "нет результатов ГИА",
    "certificate_missing": "нет сведений об аттестате",
}


@dataclass(frozen=True)
class PreflightThresholds:
    """Fewest marks a student should have in a subject per period."""

    min_marks_one_hour: int = 3
    """for a subject of one hour a week (or less)"""
    min_marks: int = 5
    """for a subject of two or more hours a week"""

    def for_hours(self, hours: float) -> int:
        return self.min_marks if hours >= 2 else self.min_marks_one_hour


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    subject: str | None = None
    student: str | None = None
    date: dt.date | None = None
    teacher: str | None = None
    """who fixes it: the subject teacher's full name, or the substitute's for a lesson they gave"""
    detail: str = ""
    """the message without the subject and the date (for lists under a subject's heading)"""

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["detail"]
        out["date"] = self.date.isoformat() if self.date else None
        return out


@dataclass(frozen=True)
class PreflightReport:
    academic_year: str
    period_code: str
    class_name: str
    grade: int
    findings: list[Finding] = field(default_factory=list)
    arrived: dict[str, dt.date] = field(default_factory=dict)
    """students who came into the class after the period began: full name → the day they came"""

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(f.code for f in self.findings))

    def as_dict(self) -> dict[str, Any]:
        return {"academic_year": self.academic_year, "period": self.period_code, "class": self.class_name,
                "grade": self.grade, "counts": self.counts, "findings": [f.as_dict() for f in self.findings]}


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def preflight(snap: Snapshot, thresholds: PreflightThresholds = PreflightThresholds(),
              names: NameForms = AS_WRITTEN) -> PreflightReport:
    """Every finding for one class's snapshot, subject by subject in journal order; `names` declines
    the students' names in the messages («у ученицы Киселёвой Кристины Владиславовны»)."""
    report = PreflightReport(snap.academic_year, snap.period.code, snap.class_.name, snap.class_.grade,
                             arrived={s.full_name: s.enrolled_on for s in snap.students
                                      if s.enrolled_on and s.enrolled_on > snap.period.start})
    at_end = [s for s in snap.students if s.left_on is None or s.left_on >= snap.period.end]
    for subject in snap.subjects:
        report.findings.extend(_lesson_findings(snap, subject, names))
        if snap.class_.grade > 1:
            members = set(subject.group.student_ids) if subject.group else None
            students = [s for s in at_end if members is None or s.id in members]
            report.findings.extend(_mark_findings(snap, subject, students, thresholds, names))
    if snap.period.kind == "year" and snap.class_.grade in GRADUATING_GRADES:
        report.findings.extend(_graduation_findings(snap, at_end, names))
    return report


GRADUATION = "Выпуск: результаты ГИА и аттестаты"
"""where the graduating class's findings stand instead of a subject (the class teacher sees to them)"""


def _graduation_findings(snap: Snapshot, at_end: list[Student], names: NameForms) -> Iterator[Finding]:
    """A graduating class's year snapshot that cannot yet be the final archive version (003 прил. 2 §3.3)."""
    teacher = snap.class_.class_teacher.full_name
    sat = {exam.student_id for exam in snap.state_exams or []}
    # a pupil the council keeps in the class was not admitted to the exams
    retained = {item.student_id for item in snap.promotion or [] if item.decision == "retained"}
    if not sat:
        yield Finding("state_exams_missing", "в снимке года нет результатов ГИА (форма экзамена, балл, отметка): "
                      f"{FINAL_VERSION}; загрузите снимок года заново, когда результаты будут в журнале",
                      GRADUATION, teacher=teacher)
    else:
        for st in at_end:
            if st.id not in sat | retained:
                yield Finding("state_exams_missing", f"у {student_genitive(st.full_name, names)} нет "
                              f"результатов ГИА: {FINAL_VERSION}", GRADUATION, st.full_name, teacher=teacher)
    for item in snap.promotion or []:
        student = next((st for st in snap.students if st.id == item.student_id), None)
        if item.decision == "graduated" and item.certificate is None and student is not None:
            gender = names.gender(student.full_name)
            yield Finding("certificate_missing", f"{student_nominative(student.full_name, names)} "
                          f"{gender.word('выпущен', 'выпущена', 'выпущен(а)')}, но номер и дата выдачи аттестата "
                          "не переданы журналом", GRADUATION, student.full_name, teacher=teacher)


def _finding(code: str, subject: Subject, detail: str, student: str | None = None,
             day: dt.date | None = None, teacher: Person | None = None) -> Finding:
    """`teacher`: who fixes it when not the subject's teacher (a substitute fills in the lessons they gave)."""
    where = f"«{subject.name}», {_fmt(day)}" if day else f"«{subject.name}»"
    return Finding(code, f"{where}: {detail}", subject.name, student, day, (teacher or subject.teacher).full_name,
                   detail)


def _lesson_findings(snap: Snapshot, subject: Subject, names_of: NameForms) -> Iterator[Finding]:
    names = {s.id: s.full_name for s in snap.students}
    for lesson in subject.lessons:
        given_by = substitute(subject, lesson)  # 003 §2.11: the substitute fills in the lesson they gave
        if not (lesson.topic or "").strip():
            yield _finding("lesson_without_topic", subject, "не записана тема урока", None, lesson.date, given_by)
        homework = (lesson.homework or "").strip()
        if not homework:
            yield _finding("lesson_without_homework", subject,
                           "не записано домашнее задание (если его нет, пишется «Без задания»)", None, lesson.date,
                           given_by)
        for absence in lesson.absences:
            if absence.code is None:
                name = names.get(absence.student_id, absence.student_id)
                yield _finding("absence_without_code", subject,
                               f"у {student_genitive(name, names_of)} пропуск без кода (Н, Б, У, О)", name, lesson.date)


def _expected_period_mark(snap: Snapshot) -> str:
    return "year" if snap.period.kind == "year" else snap.period.code


def _mark_findings(snap: Snapshot, subject: Subject, students: list[Student],
                   thresholds: PreflightThresholds, names: NameForms) -> Iterator[Finding]:
    counts = Counter(m.student_id for lesson in subject.lessons for m in lesson.marks)
    expected = _expected_period_mark(snap)
    period_marks = {pm.student_id: pm.value for pm in subject.period_marks if pm.period == expected}
    need = thresholds.for_hours(subject.hours_per_week)
    label = "год" if expected == "year" else period_title(expected)  # «за II четверть»
    for st in students:
        value = period_marks.get(st.id)
        if value == "осв":
            continue
        gender = names.gender(st.full_name)
        if subject.lessons and counts[st.id] < need:
            enrolled = st.enrolled_on
            arrived = (f" ({gender.word('прибыл', 'прибыла', 'прибыл(а)')} {_fmt(enrolled)})"
                       if enrolled and enrolled > snap.period.start else "")
            yield _finding("too_few_marks", subject,
                           f"у {student_genitive(st.full_name, names)} {counts[st.id]} отм. при норме {need}{arrived}",
                           st.full_name)
        if value is None:
            yield _finding("period_mark_missing", subject,
                           f"у {student_genitive(st.full_name, names)} нет отметки за {label}", st.full_name)
        elif value == "н/а":
            na = gender.word("не аттестован", "не аттестована", "не аттестован(а)")
            yield _finding("period_mark_na", subject,
                           f"{student_nominative(st.full_name, names)} {na} (н/а) за {label}", st.full_name)


def preflight_lines(reports: list[PreflightReport]) -> list[str]:
    """The pre-flight summary as printed: a line per class with its counts, then the period's total."""
    total: Counter[str] = Counter()
    lines: list[str] = []
    for report in reports:
        counts = report.counts
        total.update(counts)
        text = ", ".join(f"{TITLES[k]}: {v}" for k, v in sorted(counts.items())) or "замечаний нет"
        lines.append(f"{report.class_name:<4} {PERIOD_TITLES.get(report.period_code, report.period_code)}: {text}")
    lines.append("Итого по периоду: " + (", ".join(f"{TITLES[k]} — {v}" for k, v in sorted(total.items()))
                                        or "замечаний нет") + f" (классов: {len(reports)}).")
    return lines
