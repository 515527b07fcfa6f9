"""The pre-flight rules, each shown on the builder snapshot with one thing wrong."""

from __future__ import annotations

from archive_service.domain.preflight import PreflightThresholds, preflight, preflight_lines
from archive_service.rendering.names import RUSSIAN_NAMES
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


def test_the_messages_decline_the_names_and_agree_with_the_student():
    """«у ученицы Борисовой Марии Андреевны», «ученица … не аттестована», «за II четверть» (issue 17)."""
    data = snapshot()
    subject(data, "math")["period_marks"].pop(1)  # Борисова Мария Андреевна
    marks = subject(data, "music")["period_marks"]
    marks[[m["student_id"] for m in marks].index("s2")]["value"] = "н/а"
    for lesson in subject(data, "math")["lessons"][:2]:  # Алексеев Иван Петрович: 4 marks of 5
        lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] != "s1"]
    report = preflight(parse_snapshot(as_bytes(data)), names=RUSSIAN_NAMES)
    messages = {f.code: f.message for f in report.findings}
    assert messages["period_mark_missing"] == \
        "«Математика»: у ученицы Борисовой Марии Андреевны нет отметки за II четверть"
    assert messages["period_mark_na"] == \
        "«Музыка»: ученица Борисова Мария Андреевна не аттестована (н/а) за II четверть"
    assert messages["too_few_marks"] == "«Математика»: у ученика Алексеева Ивана Петровича 4 отм. при норме 5"
    assert {f.student for f in report.findings} == {"Борисова Мария Андреевна", "Алексеев Иван Петрович"}
    assert not any("Q2" in m or "ученика Борисов" in m for m in messages.values())


def test_an_absence_and_a_late_arrival_speak_of_the_student_in_the_right_words():
    data = snapshot()
    subject(data, "math")["lessons"][6]["absences"][0]["code"] = None
    for lesson in subject(data, "music")["lessons"]:  # Васильев Олег Ильич, who arrived on 16.11.2026
        lesson["marks"] = [m for m in lesson["marks"] if m["student_id"] != "s3"]
    report = preflight(parse_snapshot(as_bytes(data)), names=RUSSIAN_NAMES)
    messages = {f.code: f.message for f in report.findings}
    assert "у ученика Алексеева Ивана Петровича пропуск без кода" in messages["absence_without_code"]
    assert messages["too_few_marks"].startswith("«Музыка»: у ученика Васильева Олега Ильича 0 отм.")
    assert messages["too_few_marks"].endswith("(прибыл 16.11.2026)")


def test_without_a_dictionary_the_names_stay_as_written_and_the_words_still_agree():
    data = snapshot()
    subject(data, "math")["period_marks"].pop(1)
    (found,) = preflight(parse_snapshot(as_bytes(data))).findings
    assert found.message == "«Математика»: у ученицы Борисова Мария Андреевна нет отметки за II четверть"


def test_the_printed_summary_names_the_period_in_russian():
    lines = preflight_lines([preflight(parse_snapshot(as_bytes(snapshot())))])
    assert lines[0].startswith("5А   II четверть: замечаний нет") and "Q2" not in "\n".join(lines)


def test_a_lesson_a_substitute_gave_is_theirs_to_fill_in_the_rest_stay_with_the_subject_teacher():
    data = snapshot()
    lessons = subject(data, "math")["lessons"]
    own = subject(data, "math")["teacher"]
    lessons[2].update(topic=None, teacher={"id": "t-026", "full_name": "Руденко Лариса Вячеславовна"})
    lessons[4].update(topic="", teacher=dict(own))  # the subject's own teacher named: no substitution
    lessons[5]["homework"] = None
    found = sorted((f.code, f.date.isoformat(), f.teacher) for f in findings(data))
    assert found == [("lesson_without_homework", lessons[5]["date"], own["full_name"]),
                     ("lesson_without_topic", lessons[2]["date"], "Руденко Лариса Вячеславовна"),
                     ("lesson_without_topic", lessons[4]["date"], own["full_name"])]
