"""The pre-flight report arranged by teacher and by pupil: repeats collapsed, teachers named."""

from __future__ import annotations

import datetime as dt

from archive_service.domain.preflight import preflight
from archive_service.domain.preflight_groups import by_pupil, by_teacher, plural, teacher_initials
from archive_service.schema import parse_snapshot
from builders import LATE_ARRIVAL as ARRIVED
from builders import as_bytes, snapshot, snapshot_with_late_arrival, subject

def report(data: dict):
    return preflight(parse_snapshot(as_bytes(data)))


def test_every_finding_names_the_subject_teacher():
    findings = report(snapshot_with_late_arrival()).findings
    assert findings and all(f.teacher for f in findings)
    math = [f for f in findings if f.subject == "Математика"]
    assert {f.teacher for f in math} == {"Николаева Елена Павловна"}
    assert report(snapshot_with_late_arrival()).as_dict()["findings"][0]["teacher"]


def test_a_pupil_who_arrived_mid_period_is_one_line_per_kind_with_the_count():
    data = snapshot_with_late_arrival()
    r = report(data)
    raw = [f for f in r.findings if f.student == ARRIVED]
    assert len(raw) == 10  # too few marks and «н/а» in each of 5 subjects: the noise being collapsed
    (pupil,) = [p for p in by_pupil([r], "II четверть") if p.student == ARRIVED]
    assert pupil.arrived == dt.date(2026, 12, 21) and pupil.count == 10
    assert [line.code for line in pupil.lines] == ["too_few_marks", "period_mark_na"]
    few, na = pupil.lines
    assert few.count == 5 and na.count == 5
    assert few.text.startswith("мало отметок (в классе с 21.12.2026) — в 5 предметах: Математика, Музыка, ")
    assert "Физическая культура" in few.text
    assert na.text.startswith("«н/а» (не аттестован) за II четверть (в классе с 21.12.2026) — в 5 предметах")


def test_a_single_finding_of_a_pupil_stays_as_the_rule_words_it():
    data = snapshot()
    subject(data, "math")["period_marks"].pop(1)
    (pupil,) = by_pupil([report(data)], "II четверть")
    assert pupil.student == "Борисова Мария Андреевна" and pupil.arrived is None
    assert [line.text for line in pupil.lines] == [  # the rule as written, names not declined here (AS_WRITTEN)
        "«Математика»: у ученицы Борисова Мария Андреевна нет отметки за II четверть"]


def test_by_teacher_each_teacher_gets_only_their_subjects_with_lesson_omissions_collapsed():
    groups = by_teacher([report(snapshot_with_late_arrival())])
    names = [g.teacher for g in groups]
    assert names == ["Ёлкин Пётр Семёнович", "Ким Виктор Алексеевич", "Николаева Елена Павловна",
                     "Орлова Нина Игоревна"]  # by surname, «Ё» as «Е»; Смирнова has nothing to fix
    orlova = groups[3]
    assert [(s.class_name, s.subject) for s in orlova.subjects] == [
        ("5А", "Изобразительное искусство"), ("5А", "Труд (технология)")]
    assert orlova.count == 4 and orlova.classes == ["5А"]
    (math,) = groups[2].subjects
    homework = [line for line in math.lines if line.code == "lesson_without_homework"]
    assert len(homework) == 1 and homework[0].count == 3
    assert homework[0].text == ("не записано домашнее задание (если его нет, пишется «Без задания») — "
                                "3 урока: 10.11, 23.11, 08.12")
    assert any(line.text.startswith(f"у ученика {ARRIVED} 0 отм. при норме 5") for line in math.lines)


def test_two_classes_of_one_teacher_are_one_group():
    a, b = snapshot_with_late_arrival(), snapshot_with_late_arrival()
    b["class"] = {**b["class"], "id": "c-5b", "name": "5Б"}
    groups = {g.teacher: g for g in by_teacher([report(a), report(b)])}
    assert groups["Ким Виктор Алексеевич"].classes == ["5А", "5Б"]
    pupils = by_pupil([report(a), report(b)], "II четверть")
    assert [(p.class_name, p.student) for p in pupils] == [("5А", ARRIVED), ("5Б", ARRIVED)]


def test_words_for_counts_and_short_names():
    assert [plural(n, "урок", "урока", "уроков") for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "урок", "урока", "уроков", "уроков", "урок", "урока", "уроков"]
    assert teacher_initials("Николаева Елена Павловна") == "Николаева Е. П."
    assert teacher_initials("Ли") == "Ли"
