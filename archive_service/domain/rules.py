"""Domain rules of a journal snapshot: what the structure alone cannot say.

The schema (`archive_service.schema`) guarantees types and value sets; these rules relate the
parts to each other — ids, dates against the period and the student's time in the class,
absences against marks, grade 1 without marks. Each broken rule is a `Problem` with the JSON
path of the offending element, so the journal system's operator can find it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Iterator

from archive_service.domain.graduation import check_graduation
from archive_service.domain.names import gender_of
from archive_service.domain.periods import PERIOD_NUMBERS, period_code
from archive_service.domain.problems import Problem, json_path as P
from archive_service.domain.promotion import check_promotion

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Lesson, Mark, Snapshot, Student, Subject

#: absence codes that mean the student was not at the lesson (О — late — may have a mark)
ABSENT_CODES = frozenset({"Н", "Б", "У"})
UNCODED_ABSENCE = "п"  #: printed for an absence the journal system exported without a code
_CLASS_NAME = re.compile(r"^([0-9]{1,2})\s*[-]?\s*\S+$")
#: the first years of the school years an archive may hold: electronic journals began in the
#: 2000s, and a year beyond 2100 is a typing error (it would also overflow the dates computed
#: from it, such as a 25-year retention end)
FIRST_ACADEMIC_YEAR, LAST_ACADEMIC_YEAR = 2000, 2100


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def check_snapshot(snap: Snapshot) -> list[Problem]:
    """Every domain rule the snapshot breaks; empty when it may be stored."""
    problems = list(_check_header(snap))
    students = {}
    for i, st in enumerate(snap.students):
        if st.id in students:
            problems.append(_duplicate(P("students", i, "id"), "ученика", st.id))
        students[st.id] = st
        problems.extend(_check_student(snap, i, st))
    seen_subjects: set[str] = set()
    seen_lessons: set[str] = set()
    for i, subject in enumerate(snap.subjects):
        if subject.id in seen_subjects:
            problems.append(_duplicate(P("subjects", i, "id"), "предмета", subject.id))
        seen_subjects.add(subject.id)
        problems.extend(_check_subject(snap, i, subject, students, seen_lessons))
    problems.extend(check_promotion(snap))
    problems.extend(check_graduation(snap))
    return problems


def _duplicate(path: str, what: str, ident: str) -> Problem:
    return Problem(path, "duplicate_id", f"идентификатор {what} «{ident}» повторяется")


def _check_header(snap: Snapshot) -> Iterator[Problem]:
    period = snap.period
    first, _, second = snap.academic_year.partition("/")
    if not FIRST_ACADEMIC_YEAR <= int(first) <= LAST_ACADEMIC_YEAR:
        yield Problem(P("academic_year"), "academic_year_invalid",
                      f"учебный год «{snap.academic_year}» вне допустимых лет: первый год — от "
                      f"{FIRST_ACADEMIC_YEAR} до {LAST_ACADEMIC_YEAR}")
    elif int(second) != int(first) + 1:
        yield Problem(P("academic_year"), "academic_year_invalid",
                      f"учебный год «{snap.academic_year}» должен состоять из двух соседних лет")
    elif not (dt.date(int(first), 8, 1) <= period.start and period.end <= dt.date(int(second), 8, 31)):
        yield Problem(P("period"), "period_outside_academic_year",
                      f"период {_fmt(period.start)}–{_fmt(period.end)} выходит за "
                      f"учебный год {snap.academic_year}")
    if period.number > PERIOD_NUMBERS[period.kind]:
        yield Problem(P("period", "number"), "period_number_invalid",
                      f"номер периода {period.number} недопустим для вида «{period.kind}» "
                      f"(не больше {PERIOD_NUMBERS[period.kind]})")
    if period.start > period.end:
        yield Problem(P("period"), "period_dates_reversed",
                      f"начало периода {_fmt(period.start)} позже его конца {_fmt(period.end)}")
    match = _CLASS_NAME.match(snap.class_.name)
    if not match or int(match.group(1)) != snap.class_.grade:
        yield Problem(P("class", "name"), "class_name_grade_mismatch",
                      f"название класса «{snap.class_.name}» не соответствует параллели "
                      f"{snap.class_.grade}")


def _check_student(snap: Snapshot, i: int, st: Student) -> Iterator[Problem]:
    period = snap.period
    if st.enrolled_on and st.left_on and st.enrolled_on > st.left_on:
        yield Problem(P("students", i), "student_dates_reversed",
                      f"{st.full_name}: дата прибытия {_fmt(st.enrolled_on)} позже даты выбытия "
                      f"{_fmt(st.left_on)}")
    elif (st.left_on and st.left_on < period.start) or (st.enrolled_on and st.enrolled_on > period.end):
        yield Problem(P("students", i), "student_outside_period",
                      f"{st.full_name} не {gender_of(st.full_name).word('обучался', 'обучалась', 'обучался(ась)')} "
                      "в классе в этом периоде "
                      f"({_fmt(period.start)}–{_fmt(period.end)})")
    if st.birth_date >= period.start:
        yield Problem(P("students", i, "birth_date"), "birth_date_invalid",
                      f"{st.full_name}: дата рождения {_fmt(st.birth_date)} не раньше начала периода")


def _enrolment_problem(st: Student, day: dt.date, path: str, what: str) -> Problem | None:
    if st.enrolled_on and day < st.enrolled_on:
        return Problem(path, f"{what}_before_enrolment",
                       f"{st.full_name}: {_WHAT[what]} за {_fmt(day)}, а "
                       f"{gender_of(st.full_name).word('прибыл', 'прибыла', 'прибыл(а)')} в класс "
                       f"{_fmt(st.enrolled_on)}")
    if st.left_on and day > st.left_on:
        return Problem(path, f"{what}_after_leaving",
                       f"{st.full_name}: {_WHAT[what]} за {_fmt(day)}, а "
                       f"{gender_of(st.full_name).word('выбыл', 'выбыла', 'выбыл(а)')} из класса "
                       f"{_fmt(st.left_on)}")
    return None


_WHAT = {"mark": "отметка", "absence": "пропуск"}


class _SubjectContext:
    """What the checks of one subject's lessons share."""

    __slots__ = ("snap", "subject", "students", "members", "base")

    def __init__(self, snap: Snapshot, i: int, subject: Subject, students: dict[str, Student]):
        self.snap = snap
        self.subject = subject
        self.students = students
        self.members = frozenset(subject.group.student_ids) if subject.group else None
        self.base = ("subjects", i)

    def student(self, student_id: str, path: str) -> tuple[Student | None, Problem | None]:
        st = self.students.get(student_id)
        if st is None:
            return None, Problem(path, "unknown_student",
                                 f"ученик «{student_id}» не найден в списке класса")
        group = self.subject.group
        if group is not None and self.members is not None and student_id not in self.members:
            return st, Problem(path, "student_not_in_group",
                               f"{st.full_name} не входит в группу «{group.name}» "
                               f"предмета «{self.subject.name}»")
        return st, None


def _check_subject(snap: Snapshot, i: int, subject: Subject, students: dict[str, Student],
                   seen_lessons: set[str]) -> Iterator[Problem]:
    ctx = _SubjectContext(snap, i, subject, students)
    if subject.group:
        for k, sid in enumerate(subject.group.student_ids):
            if sid not in students:
                yield Problem(P(*ctx.base, "group", "student_ids", k), "unknown_student",
                              f"ученик «{sid}» из группы «{subject.group.name}» не найден в списке класса")
    for j, lesson in enumerate(subject.lessons):
        path = P(*ctx.base, "lessons", j)
        if lesson.id in seen_lessons:
            yield _duplicate(path + ".id", "урока", lesson.id)
        seen_lessons.add(lesson.id)
        yield from _check_lesson(ctx, path, lesson)
    yield from _check_period_marks(ctx)


def _check_lesson(ctx: _SubjectContext, path: str, lesson: Lesson) -> Iterator[Problem]:
    period, subject = ctx.snap.period, ctx.subject
    exported = ctx.snap.source.exported_at.date()
    label = f"урок «{subject.name}» {_fmt(lesson.date)}"
    if lesson.date < period.start:
        yield Problem(path + ".date", "lesson_before_period_start",
                      f"{label} раньше начала периода {_fmt(period.start)}")
    elif lesson.date > period.end:
        yield Problem(path + ".date", "lesson_after_period_end",
                      f"{label} позже конца периода {_fmt(period.end)}")
    elif lesson.date > exported:
        yield Problem(path + ".date", "lesson_after_export",
                      f"{label} позже выгрузки журнала {_fmt(exported)}")
    absent: set[str] = set()
    seen: set[str] = set()
    for k, absence in enumerate(lesson.absences):
        apath = f"{path}.absences[{k}]"
        st, problem = ctx.student(absence.student_id, apath)
        if problem:
            yield problem
        if st is None:
            continue
        if absence.student_id in seen:
            yield Problem(apath, "duplicate_absence", f"{st.full_name}: пропуск на уроке отмечен дважды")
        seen.add(absence.student_id)
        if absence.code in ABSENT_CODES:
            absent.add(absence.student_id)
        wrong = _enrolment_problem(st, lesson.date, apath, "absence")
        if wrong:
            yield wrong
    for k, mark in enumerate(lesson.marks):
        yield from _check_mark(ctx, f"{path}.marks[{k}]", lesson, mark, absent, exported)


def _check_mark(ctx: _SubjectContext, path: str, lesson: Lesson, mark: Mark, absent: set[str],
                exported: dt.date) -> Iterator[Problem]:
    st, problem = ctx.student(mark.student_id, path)
    if problem:
        yield problem
    if st is None:
        return
    if ctx.snap.class_.grade == 1:
        yield Problem(path, "marks_in_grade_1",
                      f"в 1 классе обучение безотметочное, а у {st.full_name} стоит отметка")
    if mark.student_id in absent:
        yield Problem(path, "mark_for_absent_student",
                      f"{st.full_name} отсутствовал(а) на уроке {_fmt(lesson.date)}, "
                      f"но получил(а) отметку «{mark.value}»")
    if mark.set_on < lesson.date:
        yield Problem(path + ".set_on", "mark_set_before_lesson",
                      f"отметка выставлена {_fmt(mark.set_on)}, раньше урока {_fmt(lesson.date)}")
    elif mark.set_on < ctx.snap.period.start or mark.set_on > exported:
        yield Problem(path + ".set_on", "mark_outside_period",
                      f"отметка выставлена {_fmt(mark.set_on)}, вне периода "
                      f"{_fmt(ctx.snap.period.start)}–{_fmt(exported)}")
    wrong = _enrolment_problem(st, lesson.date, path, "mark")
    if wrong:
        yield wrong


def allowed_period_marks(kind: str, number: int) -> frozenset[str]:
    """Period-mark codes a snapshot of this period may carry."""
    if kind == "year":
        return frozenset({"Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year", "exam", "final"})
    return frozenset({period_code(kind, number)})


def _check_period_marks(ctx: _SubjectContext) -> Iterator[Problem]:
    period = ctx.snap.period
    allowed = allowed_period_marks(period.kind, period.number)
    seen: set[tuple[str, str]] = set()
    for k, pm in enumerate(ctx.subject.period_marks):
        path = P(*ctx.base, "period_marks", k)
        st, problem = ctx.student(pm.student_id, path)
        if problem:
            yield problem
        if st is None:
            continue
        if pm.period not in allowed:
            yield Problem(path + ".period", "period_mark_wrong_period",
                          f"{st.full_name}: отметка за «{pm.period}» не относится к периоду "
                          f"{period.code}")
        if (pm.student_id, pm.period) in seen:
            yield Problem(path, "duplicate_period_mark",
                          f"{st.full_name}: отметка за «{pm.period}» по предмету "
                          f"«{ctx.subject.name}» повторяется")
        seen.add((pm.student_id, pm.period))
        if ctx.snap.class_.grade == 1:
            yield Problem(path, "marks_in_grade_1",
                          f"в 1 классе обучение безотметочное, а у {st.full_name} стоит отметка за период")
