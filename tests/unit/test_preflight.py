"""The pre-flight rules, each shown on the builder snapshot with one thing wrong."""

from __future__ import annotations

from archive_service.domain.preflight import PreflightThresholds, preflight
from archive_service.schema import parse_snapshot
from builders import as_bytes, snapshot, subject


def findings(data: dict, thresholds: PreflightThresholds = PreflightThresholds()) -> list:
    return preflight(parse_snapshot(as_bytes(data)), thresholds).findings


def test_a_clean_snapshot_has_no_findings():
    assert findings(snapshot()) == []


def test_a_one_hour_subject_needs_three_marks():
    data = snapshot()
    for lesson in subject(data, "music")["lessons"][2:]:
        lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] != "s2"]
    (found,) = findings(data)
    assert found.code == "too_few_marks" and found.student == "Борисова Мария Андреевна"
    assert "1 отм. при норме 3" in found.message


def test_a_subject_of_two_or_more_hours_needs_five_marks():
    data = snapshot()
    lessons = subject(data, "math")["lessons"]
    for lesson in lessons[:2]:
        lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] != "s1"]
    (found,) = findings(data)
    assert (found.code, found.subject, found.student) == ("too_few_marks", "Математика", "Алексеев Иван Петрович")
    assert "4 отм. при норме 5" in found.message


def test_the_thresholds_are_settings():
    assert findings(snapshot(), PreflightThresholds(min_marks_one_hour=4, min_marks=5))
    assert not findings(snapshot(), PreflightThresholds(min_marks_one_hour=1, min_marks=2))


def test_a_student_who_left_during_the_period_is_not_expected_to_have_marks():
    codes = {(f.code, f.student) for f in findings(snapshot())}
    assert not any(student == "Григорьева Анна Сергеевна" for _, student in codes)


def test_an_exempt_student_is_not_expected_to_have_marks():
    data = snapshot()
    for lesson in subject(data, "music")["lessons"]:
        lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] != "s3"]
    subject(data, "music")["period_marks"][2]["value"] = "осв"
    assert findings(data) == []


def test_a_lesson_without_a_topic_is_found():
    data = snapshot()
    subject(data, "math")["lessons"][3]["topic"] = "  "
    (found,) = findings(data)
    assert found.code == "lesson_without_topic" and found.date.isoformat() == "2026-11-17"


def test_a_lesson_without_homework_is_found_but_bez_zadaniya_is_fine():
    data = snapshot()
    subject(data, "math")["lessons"][0]["homework"] = None
    subject(data, "math")["lessons"][1]["homework"] = "Без задания"
    (found,) = findings(data)
    assert found.code == "lesson_without_homework" and "Без задания" in found.message


def test_a_missing_period_mark_is_found():
    data = snapshot()
    subject(data, "math")["period_marks"].pop(1)
    (found,) = findings(data)
    assert found.code == "period_mark_missing" and found.student == "Борисова Мария Андреевна"


def test_a_student_not_assessed_is_found():
    data = snapshot()
    subject(data, "eng-1")["period_marks"][0]["value"] = "н/а"
    (found,) = findings(data)
    assert found.code == "period_mark_na" and "н/а" in found.message


def test_an_absence_without_a_code_is_found():
    data = snapshot()
    subject(data, "math")["lessons"][6]["absences"][0]["code"] = None
    (found,) = findings(data)
    assert found.code == "absence_without_code" and found.student == "Алексеев Иван Петрович"


def test_grade_1_is_not_checked_for_marks():
    data = snapshot()
    data["class"] = {**data["class"], "name": "1А", "grade": 1}
    for subj in data["subjects"]:
        subj["period_marks"] = []
        for lesson in subj["lessons"]:
            lesson["marks"] = []
    assert findings(data) == []


def test_subgroup_students_are_checked_only_in_their_group():
    data = snapshot()
    students = {f.student for f in findings(data) if f.subject == "Иностранный язык (английский)"}
    assert students == set()
