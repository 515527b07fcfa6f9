"""Each validation rule, shown by a snapshot that breaks it (and the valid one that does not)."""

from __future__ import annotations

import pytest

from archive_service.errors import SnapshotRejected
from archive_service.schema import parse_snapshot
from builders import as_bytes, snapshot, subject


def codes_of(data: dict) -> dict[str, str]:
    """code → path of every problem the snapshot has."""
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    assert all(p.message and p.path.startswith("$") for p in caught.value.problems)
    return {p.code: p.path for p in caught.value.problems}


def test_the_builder_snapshot_is_valid():
    snap = parse_snapshot(as_bytes(snapshot()))
    assert snap.class_.name == "5А" and snap.period.code == "Q2"


def test_malformed_json_is_rejected_with_a_russian_message():
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(b'{"format": ')
    (problem,) = caught.value.problems
    assert problem.code == "schema.json_invalid" and "не снимок журнала" in problem.message


def test_a_missing_field_is_named_by_its_path():
    data = snapshot()
    del data["subjects"][0]["lessons"][2]["date"]
    assert codes_of(data) == {"schema.missing": "$.subjects[0].lessons[2].date"}


def test_an_unknown_field_is_rejected():
    data = snapshot(extra="x")
    assert codes_of(data) == {"schema.extra_forbidden": "$.extra"}


def test_an_export_time_without_zone_is_rejected():
    data = snapshot(source={"system": "ЭлЖур", "exported_at": "2026-12-26T18:30:00"})
    assert codes_of(data) == {"schema.datetime_iso": "$.source.exported_at"}


@pytest.mark.parametrize("value", [0, 6, "5", "отл", 4.5])
def test_a_lesson_mark_outside_1_to_5_zach_nezach_is_rejected(value):
    data = snapshot()
    data["subjects"][0]["lessons"][0]["marks"][0]["value"] = value
    assert codes_of(data) == {"schema.mark_value": "$.subjects[0].lessons[0].marks[0].value"}


def test_period_mark_values_include_na_and_exempt_but_not_other_words():
    data = snapshot()
    subject(data, "math")["period_marks"][0]["value"] = "осв"
    subject(data, "music")["period_marks"][0]["value"] = "н/а"
    parse_snapshot(as_bytes(data))
    subject(data, "music")["period_marks"][1]["value"] = "хорошо"
    assert codes_of(data) == {"schema.mark_value": "$.subjects[1].period_marks[1].value"}


def test_an_unknown_absence_code_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][6]["absences"][0]["code"] = "X"
    assert codes_of(data) == {"schema.literal_error": "$.subjects[0].lessons[6].absences[0].code"}


def test_duplicate_student_ids_are_rejected():
    data = snapshot()
    data["students"][1]["id"] = "s1"
    assert codes_of(data)["duplicate_id"] == "$.students[1].id"


def test_duplicate_lesson_ids_are_rejected_across_subjects():
    data = snapshot()
    subject(data, "music")["lessons"][0]["id"] = "m-1"
    assert codes_of(data) == {"duplicate_id": "$.subjects[1].lessons[0].id"}


def test_duplicate_subject_ids_are_rejected():
    data = snapshot()
    subject(data, "music")["id"] = "math"
    assert codes_of(data) == {"duplicate_id": "$.subjects[1].id"}


def test_a_mark_for_an_unknown_student_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][0]["marks"][0]["student_id"] = "nobody"
    assert codes_of(data) == {"unknown_student": "$.subjects[0].lessons[0].marks[0]"}


def test_an_absence_and_a_period_mark_for_unknown_students_are_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][6]["absences"][0]["student_id"] = "ghost"
    data["subjects"][0]["period_marks"][0]["student_id"] = "ghost"
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("unknown_student", "$.subjects[0].lessons[6].absences[0]"),
        ("unknown_student", "$.subjects[0].period_marks[0]")]


def test_a_group_listing_an_unknown_student_is_rejected():
    data = snapshot()
    subject(data, "eng-1")["group"]["student_ids"].append("ghost")
    assert codes_of(data) == {"unknown_student": "$.subjects[2].group.student_ids[2]"}


def test_a_mark_for_a_student_outside_the_subgroup_is_rejected():
    data = snapshot()
    subject(data, "eng-1")["lessons"][0]["marks"][0]["student_id"] = "s4"
    assert codes_of(data) == {"student_not_in_group": "$.subjects[2].lessons[0].marks[0]"}


def test_a_lesson_after_the_period_end_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][7]["date"] = "2026-12-28"
    assert codes_of(data)["lesson_after_period_end"] == "$.subjects[0].lessons[7].date"


def test_a_lesson_before_the_period_start_is_rejected():
    data = snapshot()
    subject(data, "music")["lessons"][0]["date"] = "2026-10-20"
    assert codes_of(data) == {"lesson_before_period_start": "$.subjects[1].lessons[0].date"}


def test_a_lesson_after_the_export_is_rejected():
    data = snapshot(source={"system": "ЭлЖур", "exported_at": "2026-12-10T12:00:00+03:00"})
    assert codes_of(data)["lesson_after_export"] == "$.subjects[0].lessons[7].date"


def test_a_mark_set_on_a_date_outside_the_period_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][0]["marks"][0]["set_on"] = "2027-01-15"
    assert codes_of(data) == {"mark_outside_period": "$.subjects[0].lessons[0].marks[0].set_on"}


def test_a_mark_set_before_its_lesson_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][1]["marks"][0]["set_on"] = "2026-11-09"
    assert codes_of(data) == {"mark_set_before_lesson": "$.subjects[0].lessons[1].marks[0].set_on"}


def test_marks_in_grade_1_are_rejected():
    data = snapshot()
    data["class"] = {**data["class"], "name": "1А", "grade": 1}
    problems = codes_of(data)
    assert set(problems) == {"marks_in_grade_1"}


@pytest.mark.parametrize("code", ["Н", "Б", "У"])
def test_a_mark_for_a_student_absent_at_that_lesson_is_rejected(code):
    data = snapshot()
    lesson = data["subjects"][0]["lessons"][0]
    lesson["absences"].append({"student_id": "s1", "code": code})
    assert codes_of(data) == {"mark_for_absent_student": "$.subjects[0].lessons[0].marks[0]"}


def test_a_late_student_may_have_a_mark():
    data = snapshot()
    data["subjects"][0]["lessons"][0]["absences"].append({"student_id": "s1", "code": "О"})
    parse_snapshot(as_bytes(data))


def test_a_mark_before_the_student_arrived_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][0]["marks"].append(
        {"student_id": "s3", "value": 5, "work_type": "Ответ на уроке", "set_on": "2026-11-09"})
    assert codes_of(data) == {"mark_before_enrolment": "$.subjects[0].lessons[0].marks[3]"}


def test_a_mark_after_the_student_left_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][6]["marks"].append(
        {"student_id": "s4", "value": 4, "work_type": "Ответ на уроке", "set_on": "2026-12-08"})
    assert codes_of(data) == {"mark_after_leaving": "$.subjects[0].lessons[6].marks[1]"}


def test_an_absence_after_the_student_left_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][7]["absences"].append({"student_id": "s4", "code": "Н"})
    assert codes_of(data) == {"absence_after_leaving": "$.subjects[0].lessons[7].absences[1]"}


def test_the_same_absence_twice_is_rejected():
    data = snapshot()
    data["subjects"][0]["lessons"][6]["absences"].append({"student_id": "s1", "code": "Б"})
    assert codes_of(data) == {"duplicate_absence": "$.subjects[0].lessons[6].absences[1]"}


def test_a_period_mark_of_another_period_is_rejected():
    data = snapshot()
    subject(data, "math")["period_marks"][0]["period"] = "Q3"
    assert codes_of(data) == {"period_mark_wrong_period": "$.subjects[0].period_marks[0].period"}


def test_a_period_mark_given_twice_is_rejected():
    data = snapshot()
    subject(data, "math")["period_marks"].append({"student_id": "s1", "period": "Q2", "value": 4})
    assert codes_of(data) == {"duplicate_period_mark": "$.subjects[0].period_marks[3]"}


def test_a_period_number_that_does_not_exist_is_rejected():
    data = snapshot()
    data["period"] = {**data["period"], "kind": "half_year", "number": 3}
    problems = codes_of(data)
    assert problems["period_number_invalid"] == "$.period.number"


def test_reversed_period_dates_are_rejected():
    data = snapshot()
    data["period"] = {**data["period"], "start": "2026-12-26", "end": "2026-11-05"}
    assert "period_dates_reversed" in codes_of(data)


def test_a_period_outside_the_academic_year_is_rejected():
    data = snapshot(academic_year="2025/2026")
    assert codes_of(data) == {"period_outside_academic_year": "$.period"}


def test_an_academic_year_of_non_adjacent_years_is_rejected():
    data = snapshot(academic_year="2026/2028")
    assert codes_of(data) == {"academic_year_invalid": "$.academic_year"}


def test_a_class_name_that_contradicts_the_grade_is_rejected():
    data = snapshot()
    data["class"] = {**data["class"], "name": "6А"}
    assert codes_of(data) == {"class_name_grade_mismatch": "$.class.name"}


def test_a_student_listed_who_left_before_the_period_is_rejected():
    data = snapshot()
    data["students"][3]["left_on"] = "2026-10-01"
    problems = codes_of(data)
    assert problems["student_outside_period"] == "$.students[3]"


def test_a_student_who_leaves_before_arriving_is_rejected():
    data = snapshot()
    data["students"][2]["left_on"] = "2026-11-10"
    assert "student_dates_reversed" in codes_of(data)


def test_every_problem_is_reported_not_just_the_first():
    data = snapshot()
    data["students"][1]["id"] = "s1"
    data["subjects"][0]["lessons"][7]["date"] = "2026-12-28"
    subject(data, "math")["period_marks"][2]["period"] = "Q1"
    assert {"duplicate_id", "lesson_after_period_end", "period_mark_wrong_period"} <= set(codes_of(data))


def test_the_year_snapshot_may_carry_every_period_mark():
    data = snapshot()
    data["period"] = {"kind": "year", "number": 1, "start": "2026-09-01", "end": "2027-05-26"}
    data["source"] = {"system": "ЭлЖур", "exported_at": "2027-05-27T18:30:00+07:00"}
    for subj in data["subjects"]:
        subj["period_marks"] = [{"student_id": "s1", "period": p, "value": 5}
                                for p in ("Q1", "Q2", "Q3", "Q4", "year", "exam", "final")]
    parse_snapshot(as_bytes(data))


def test_the_refusals_speak_of_a_boy_and_a_girl_in_their_own_words():
    data = snapshot()
    data["subjects"][0]["lessons"][0]["marks"].append(
        {"student_id": "s3", "value": 5, "work_type": "Ответ на уроке", "set_on": "2026-11-09"})
    data["subjects"][0]["lessons"][7]["absences"].append({"student_id": "s4", "code": "Н"})
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    messages = {p.code: p.message for p in caught.value.problems}
    arrived = messages["mark_before_enrolment"]
    assert "Васильев Олег Ильич: отметка за 09.11.2026, а прибыл в класс 16.11.2026" in arrived
    assert "Григорьева Анна Сергеевна: пропуск за" in messages["absence_after_leaving"]
    assert ", а выбыла из класса " in messages["absence_after_leaving"]


def test_a_girl_listed_who_left_before_the_period_did_not_study_there():
    data = snapshot()
    data["students"][3]["left_on"] = "2026-10-01"
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    (message,) = [p.message for p in caught.value.problems if p.code == "student_outside_period"]
    assert message.startswith("Григорьева Анна Сергеевна не обучалась в классе в этом периоде")
