"""Graduating classes (reference 003, прил. 2 §3.3): the state exams and the certificates.

A year snapshot of grades 9–11 may carry `state_exams` (ГИА: ОГЭ and ГВЭ in grade 9, ЕГЭ and ГВЭ
in grades 10–11) and, on a graduate's council decision, the `certificate` (аттестат) issued. This
module holds their rules (what ingest refuses), their Russian words for paper, and what the
pre-flight report says when a graduating class's year snapshot is not yet the final one.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterator

from archive_service.domain.names import AS_WRITTEN, student_genitive
from archive_service.domain.problems import Problem, json_path as P

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Certificate, Promotion, Snapshot, StateExam, Student

GRADUATING_GRADES = (9, 11)
"""the grades a school leaves with a certificate (основное и среднее общее образование)"""
FORMS = {"OGE": "ОГЭ", "EGE": "ЕГЭ", "GVE": "ГВЭ"}
"""the exam forms' codes → their Russian abbreviations"""
FORM_GRADES = {"OGE": (9,), "EGE": (10, 11), "GVE": (9, 10, 11)}
"""the grades a form is sat in: ГИА-9 in grade 9; ГИА-11 in grade 11, and in grade 10 for subjects
whose study has ended (Порядок ГИА-11)"""
MARK_REQUIRED = ("OGE", "GVE")
"""forms whose result is a mark on the five-point scale"""
CERTIFICATE_NUMBER_DIGITS = 14
NUMBERED_SINCE = dt.date(2014, 1, 1)
"""the certificate forms of Приказ Минобрнауки России № 115 of 14.02.2014 carry a 14-digit number;
earlier certificates had a series and a number, kept as the journal passes them"""
FINAL_VERSION = ("итоговая архивная версия сведений о выпускном классе составляется не позднее "
                 "3 рабочих дней после получения результатов ГИА")


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def exam_text(exam: StateExam) -> str:
    """«ЕГЭ 87 б.», «ОГЭ 5 (28 б.)», «ГВЭ 4»: the exam's result as paper shows it."""
    parts = [FORMS[exam.form]]
    if exam.mark is not None:
        parts.append(str(exam.mark))
    if exam.score is not None:
        parts.append(f"({exam.score}\u00a0б.)" if exam.mark is not None else f"{exam.score}\u00a0б.")
    return " ".join(parts)


def certificate_text(certificate: Certificate) -> str:
    """«аттестат № 05624000123456 от 28.06.2027, с отличием»"""
    honours = ", с отличием" if certificate.with_honours else ""
    return f"аттестат №\u00a0{certificate.number} от {_fmt(certificate.issued_on)}{honours}"


def check_graduation(snap: Snapshot) -> Iterator[Problem]:
    """What is wrong with a snapshot's state exams and certificates (nothing when it has none)."""
    if snap.state_exams is not None:
        yield from _check_exams(snap, snap.state_exams)
    numbers: dict[str, str] = {}
    names = {st.id: st.full_name for st in snap.students}
    for k, item in enumerate(snap.promotion or []):
        if item.certificate is None or item.student_id not in names:
            continue
        path = P("promotion", k, "certificate")
        yield from _check_certificate(snap, path, names[item.student_id], item)
        if item.certificate.number in numbers:
            other = student_genitive(numbers[item.certificate.number], AS_WRITTEN)
            yield Problem(path + ".number", "duplicate_certificate",
                          f"{names[item.student_id]}: № {item.certificate.number} — это номер аттестата {other}")
        numbers.setdefault(item.certificate.number, names[item.student_id])


def _check_exams(snap: Snapshot, exams: list[StateExam]) -> Iterator[Problem]:
    if snap.period.kind != "year":
        yield Problem(P("state_exams"), "state_exams_outside_year",
                      "результаты ГИА передаются только в снимке учебного года, а это снимок периода "
                      f"{_fmt(snap.period.start)}–{_fmt(snap.period.end)}")
        return
    students = {st.id: st for st in snap.students}
    subjects = {s.id for s in snap.subjects}
    seen: set[tuple[str, str, str, dt.date]] = set()
    for k, exam in enumerate(exams):
        path = P("state_exams", k)
        st = students.get(exam.student_id)
        if st is None:
            yield Problem(path + ".student_id", "unknown_student",
                          f"ученик «{exam.student_id}» из результатов ГИА не найден в списке класса")
            continue
        key = (exam.student_id, exam.form, exam.subject_id, exam.date)
        if key in seen:
            yield Problem(path, "duplicate_state_exam",
                          f"{st.full_name}: результат {FORMS[exam.form]} за {_fmt(exam.date)} передан дважды")
        seen.add(key)
        if exam.subject_id not in subjects:
            yield Problem(path + ".subject_id", "unknown_subject",
                          f"{st.full_name}: предмет «{exam.subject_id}» экзамена {FORMS[exam.form]} не найден "
                          "среди предметов снимка")
        yield from _check_exam(snap, path, st, exam)


def _check_exam(snap: Snapshot, path: str, st: Student, exam: StateExam) -> Iterator[Problem]:
    form, grade = FORMS[exam.form], snap.class_.grade
    if grade not in FORM_GRADES[exam.form]:
        where = " и ".join(f"{g}" for g in FORM_GRADES[exam.form])
        yield Problem(path + ".form", "state_exam_wrong_grade",
                      f"{st.full_name}: {form} сдают в {where} классе, а это {grade} класс")
    if exam.form in MARK_REQUIRED and exam.mark is None:
        yield Problem(path + ".mark", "state_exam_without_result",
                      f"{st.full_name}: у экзамена {form} нет отметки (2–5)")
    elif exam.mark is None and exam.score is None:
        yield Problem(path, "state_exam_without_result",
                      f"{st.full_name}: у экзамена {form} нет ни тестового балла (score), ни отметки (mark)")
    exported = snap.source.exported_at.date()
    if not snap.period.start <= exam.date <= exported:
        yield Problem(path + ".date", "state_exam_date_invalid",
                      f"{st.full_name}: экзамен {form} {_fmt(exam.date)} вне учебного года до выгрузки "
                      f"({_fmt(snap.period.start)}–{_fmt(exported)})")


def _check_certificate(snap: Snapshot, path: str, name: str, item: Promotion) -> Iterator[Problem]:
    certificate = item.certificate
    assert certificate is not None
    if item.decision != "graduated":
        yield Problem(path, "certificate_without_graduation",
                      f"{name}: аттестат выдаётся только выпускнику (решение «graduated»)")
    number = certificate.number
    if certificate.issued_on >= NUMBERED_SINCE and not (
            len(number) == CERTIFICATE_NUMBER_DIGITS and number.isascii() and number.isdigit()):
        yield Problem(path + ".number", "certificate_number_invalid",
                      f"{name}: номер аттестата «{number}» — с 2014 года номер аттестата состоит из "
                      f"{CERTIFICATE_NUMBER_DIGITS} цифр, например 05624000123456")
    exported = snap.source.exported_at.date()
    if not item.protocol_date <= certificate.issued_on <= exported:
        yield Problem(path + ".issued_on", "certificate_date_invalid",
                      f"{name}: аттестат от {_fmt(certificate.issued_on)} выдан не между решением "
                      f"педагогического совета ({_fmt(item.protocol_date)}) и выгрузкой ({_fmt(exported)})")
