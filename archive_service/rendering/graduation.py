"""The graduates' part of a grade 9 or 11 summary sheet: per pupil the council's decision
(«выпущен»), the certificate issued (number, date, «с отличием») and the state exams' results.

It is a part of its own, after the decisions, so that the summary sheets of other grades stay as
they were; its words come from `domain.graduation` and `domain.promotion`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archive_service.domain.graduation import FORMS, GRADUATING_GRADES, exam_text
from archive_service.domain.names import gender_of
from archive_service.domain.promotion import decision_text
from archive_service.rendering.model import Section, StudentRow, fmt

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Promotion, Snapshot, StateExam

NO_DECISION = "решение не передано"
NO_CERTIFICATE = "не передан журналом"
NO_EXAMS = "не переданы журналом"
EXAM_LEGEND = ("Результаты ГИА: ОГЭ — основной государственный экзамен, ЕГЭ — единый государственный экзамен, "
               "ГВЭ — государственный выпускной экзамен; число — отметка по пятибалльной шкале, «б.» — балл "
               "(тестовый балл ЕГЭ из 100, первичный балл ОГЭ); экзамены указаны в порядке их дат.")


@dataclass(frozen=True)
class GraduateRow:
    """One pupil's line of the graduates' part."""

    number: int
    full_name: str
    decision: str
    certificate: list[str]  # the number, the issue date, «с отличием»: one line each
    exams: list[str]  # «Русский язык: ЕГЭ 87 б.», one per exam


@dataclass
class GraduationSection(Section):
    graduates: list[GraduateRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_graduating(snap: Snapshot) -> bool:
    """A year summary sheet that gets the graduates' part: grades 9 and 11."""
    return snap.period.kind == "year" and snap.class_.grade in GRADUATING_GRADES


def _certificate_lines(item: Promotion | None) -> list[str]:
    if item is None or item.certificate is None:
        return [NO_CERTIFICATE] if item is not None and item.decision == "graduated" else []
    cert = item.certificate
    return [f"№\u00a0{cert.number}", f"выдан {fmt(cert.issued_on)}"] + (["с отличием"] if cert.with_honours else [])


def _exam_lines(exams: list[StateExam], subjects: dict[str, str]) -> list[str]:
    # the result and its date never part: a line may break only inside the subject's name
    return [f"{subjects.get(e.subject_id, e.subject_id)}: " + f"{exam_text(e)}, {fmt(e.date)}".replace(" ", "\u00a0")
            for e in sorted(exams, key=lambda e: (e.date, subjects.get(e.subject_id, "")))]


def graduation_section(rows: list[StudentRow], snap: Snapshot) -> GraduationSection:
    """The graduates' part of a graduating class's summary sheet."""
    given = {p.student_id: p for p in snap.promotion or []}
    subjects = {s.id: s.name for s in snap.subjects}
    exams: dict[str, list[StateExam]] = {}
    for exam in snap.state_exams or []:
        exams.setdefault(exam.student_id, []).append(exam)
    graduates = []
    for r in rows:
        item = given.get(r.student.id)
        decision = (decision_text(item.decision, gender_of(r.student.full_name).key, snap.class_.grade)
                    if item else NO_DECISION)
        if item and item.decision == "graduated":
            decision += f",\u00a0протокол №\u00a0{item.protocol_number} от {fmt(item.protocol_date)}"
        lines = _exam_lines(exams.get(r.student.id, []), subjects)
        graduates.append(GraduateRow(r.number, r.student.full_name, decision, _certificate_lines(item),
                                     lines or ([NO_EXAMS] if item and item.decision == "graduated" else [])))
    notes = [EXAM_LEGEND]
    if snap.state_exams is None:
        forms = " и ".join(FORMS[f] for f in (("OGE", "GVE") if snap.class_.grade == 9 else ("EGE", "GVE")))
        notes.insert(0, f"Результаты ГИА ({forms}) в снимке учебного года не переданы журналом: окончательная "
                        "архивная версия составляется после получения результатов ГИА.")
    return GraduationSection("graduation", "Выпуск: аттестаты и результаты ГИА", "graduation",
                             graduates=graduates, notes=notes)
