"""Graduating classes in a year snapshot: the state exams (ГИА) and the certificates (аттестаты),
optional and backward compatible; refused with a clear message when wrong; the pre-flight report
says when a grade 9 or 11 year snapshot cannot yet be the final archive version."""

from __future__ import annotations

import json

import pytest

from archive_service.domain.graduation import certificate_text, exam_text
from archive_service.domain.preflight import preflight
from archive_service.errors import SnapshotRejected
from archive_service.schema import canonical_bytes, json_schema, parse_snapshot
from builders import as_bytes, graduating_year_snapshot, snapshot, year_end_snapshot


def problems_of(data: dict) -> dict[str, tuple[str, str]]:
    """code → (path, message) of every problem the snapshot has."""
    with pytest.raises(SnapshotRejected) as caught:
        parse_snapshot(as_bytes(data))
    return {p.code: (p.path, p.message) for p in caught.value.problems}


@pytest.mark.parametrize("grade", [9, 11])
def test_a_graduating_year_snapshot_keeps_its_exams_and_certificates(grade):
    snap = parse_snapshot(as_bytes(graduating_year_snapshot(f"{grade}А", grade)))
    assert [(e.student_id, e.form, e.mark, e.score) for e in snap.state_exams] == (
        [("s1", "OGE", 4, 19), ("s2", "OGE", 5, 28), ("s3", "OGE", 4, 17)] if grade == 9 else
        [("s1", "EGE", None, 72), ("s2", "EGE", None, 94), ("s3", "EGE", 4, None)])
    honours = {p.student_id: (p.certificate.number, p.certificate.with_honours) for p in snap.promotion}
    assert honours == {"s1": ("05624000012341", False), "s2": ("05624000012342", True),
                       "s3": ("05624000012343", False)}
    canonical = canonical_bytes(snap)
    assert b'"state_exams":[' in canonical and b'"certificate":{' in canonical
    stored = json.loads(canonical)["state_exams"]
    assert all(None not in exam.values() for exam in stored), "an absent mark or score is left out"
    assert {len(exam) for exam in stored} == ({6} if grade == 9 else {5})


def test_absent_parts_are_left_out_of_the_stored_form():
    data = graduating_year_snapshot()
    plain = dict(data, state_exams=None)
    for item in plain["promotion"]:
        item["certificate"] = None
    without = {**data, "promotion": [{k: v for k, v in p.items() if k != "certificate"} for p in data["promotion"]]}
    del without["state_exams"]
    stored = canonical_bytes(parse_snapshot(as_bytes(plain)))
    assert stored == canonical_bytes(parse_snapshot(as_bytes(without)))
    assert b"state_exams" not in stored and b"certificate" not in stored
    no_honours = graduating_year_snapshot()
    del no_honours["promotion"][0]["certificate"]["with_honours"]
    assert canonical_bytes(parse_snapshot(as_bytes(no_honours))) == canonical_bytes(
        parse_snapshot(as_bytes(graduating_year_snapshot())))


def test_the_results_read_in_russian():
    snap = parse_snapshot(as_bytes(graduating_year_snapshot("11А", 11)))
    assert [exam_text(e) for e in snap.state_exams] == ["ЕГЭ 72\u00a0б.", "ЕГЭ 94\u00a0б.", "ЕГЭ 4"]
    nine = parse_snapshot(as_bytes(graduating_year_snapshot()))
    assert exam_text(nine.state_exams[1]) == "ОГЭ 5 (28\u00a0б.)"
    assert certificate_text(nine.promotion[1].certificate) == "аттестат №\u00a005624000012342 от 27.06.2026, с отличием"


def test_state_exams_in_a_quarter_snapshot_are_refused():
    data = year_end_snapshot("9А", 9)
    data["state_exams"] = graduating_year_snapshot()["state_exams"]
    path, message = problems_of(data)["state_exams_outside_year"]
    assert path == "$.state_exams" and "только в снимке учебного года" in message


@pytest.mark.parametrize("change, code, path, words", [
    ({"student_id": "s9"}, "unknown_student", "$.state_exams[0].student_id", "ученик «s9» из результатов ГИА"),
    ({"subject_id": "chem"}, "unknown_subject", "$.state_exams[0].subject_id", "предмет «chem» экзамена ОГЭ"),
    ({"form": "EGE"}, "state_exam_wrong_grade", "$.state_exams[0].form", "ЕГЭ сдают в 10 и 11 классе, а это 9"),
    ({"mark": None}, "state_exam_without_result", "$.state_exams[0].mark", "у экзамена ОГЭ нет отметки (2–5)"),
    ({"date": "2026-07-01"}, "state_exam_date_invalid", "$.state_exams[0].date", "экзамен ОГЭ 01.07.2026 вне"),
    ({"mark": 85}, "schema.exam_mark_value", "$.state_exams[0].mark", "тестовый балл ЕГЭ (0–100) передаётся в"),
    ({"mark": 1}, "schema.exam_mark_value", "$.state_exams[0].mark", "2, 3, 4 или 5 (а не «1»)"),
    ({"score": 101}, "schema.exam_score_value", "$.state_exams[0].score", "от 0 до 100, а не «101»"),
    ({"form": "ЕГЭ"}, "schema.literal_error", "$.state_exams[0].form", "недопустимое значение «ЕГЭ»"),
])
def test_a_wrong_exam_is_refused_with_its_place_and_reason(change, code, path, words):
    data = graduating_year_snapshot()
    data["state_exams"][0].update(change)
    problems = problems_of(data)
    assert problems[code][0] == path and words in problems[code][1], problems


def test_an_exam_without_a_score_or_a_mark_and_a_repeated_one_are_refused():
    data = graduating_year_snapshot("11А", 11)
    data["state_exams"][0]["score"] = None
    data["state_exams"].append(dict(data["state_exams"][1]))
    problems = problems_of(data)
    assert problems["state_exam_without_result"] == (
        "$.state_exams[0]", "Алексеев Иван Петрович: у экзамена ЕГЭ нет ни тестового балла (score), ни отметки (mark)")
    assert problems["duplicate_state_exam"] == (
        "$.state_exams[3]", "Борисова Мария Андреевна: результат ЕГЭ за 05.06.2026 передан дважды")


@pytest.mark.parametrize("change, code, path, words", [
    ({"number": "05 АБ 0012345"}, "certificate_number_invalid", ".number", "состоит из 14 цифр"),
    ({"number": "0562400001234"}, "certificate_number_invalid", ".number", "«0562400001234»"),
    ({"issued_on": "2026-06-24"}, "certificate_date_invalid", ".issued_on", "не между решением"),
    ({"issued_on": "2026-07-01"}, "certificate_date_invalid", ".issued_on", "и выгрузкой (30.06.2026)"),
    ({"number": "05624000012342"}, "duplicate_certificate", ".number", "это номер аттестата ученика Алексеев Иван"),
    ({"with_honours": "да"}, "schema.bool_type", ".with_honours", "ожидается логическое значение"),
])
def test_a_wrong_certificate_is_refused(change, code, path, words):
    data = graduating_year_snapshot()
    data["promotion"][0]["certificate"].update(change)
    problems = problems_of(data)
    at = 1 if code == "duplicate_certificate" else 0  # the second of the two is the repeat
    assert problems[code][0] == f"$.promotion[{at}].certificate" + path and words in problems[code][1], problems


def test_a_certificate_before_2014_keeps_its_series_and_number():
    data = graduating_year_snapshot()
    text = as_bytes(data).decode()
    for new, old in (("2002-", "2015-"), ("2001-", "2014-"), ("2013", "2026"), ("2012", "2025")):
        text = text.replace(old, new)
    old = parse_snapshot(text.replace("05624000012341", "05 АБ 0012345").encode())
    assert old.promotion[0].certificate.number == "05 АБ 0012345"


def test_a_certificate_without_graduation_is_refused():
    data = graduating_year_snapshot()
    data["promotion"][0]["decision"] = "retained"
    path, message = problems_of(data)["certificate_without_graduation"]
    assert path == "$.promotion[0].certificate" and "аттестат выдаётся только выпускнику" in message


def test_the_published_schema_describes_the_exams_and_the_certificate():
    defs = json_schema()["$defs"]
    assert defs["StateExam"]["properties"]["form"]["enum"] == ["OGE", "EGE", "GVE"]
    assert set(defs["StateExam"]["required"]) == {"student_id", "form", "subject_id", "date"}
    assert (defs["StateExam"]["properties"]["score"]["maximum"], defs["StateExam"]["properties"]["mark"]["minimum"]) \
        == (100, 2)
    assert set(defs["Certificate"]["required"]) == {"number", "issued_on"}
    assert "аттестат" in defs["Promotion"]["properties"]["certificate"]["description"]


def findings_of(data: dict) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.student, f.message) for f in preflight(parse_snapshot(as_bytes(data))).findings]


@pytest.mark.parametrize("grade", [9, 11])
def test_preflight_warns_that_a_graduating_year_without_exam_results_is_not_final(grade):
    data = graduating_year_snapshot(f"{grade}А", grade)
    assert findings_of(data) == []
    del data["state_exams"]
    (finding,) = findings_of(data)
    assert finding[:2] == ("state_exams_missing", None)
    assert "нет результатов ГИА" in finding[2] and "не позднее 3 рабочих дней после получения результатов ГИА" \
        in finding[2]


def test_preflight_names_the_graduate_without_exams_or_certificate():
    data = graduating_year_snapshot()
    data["state_exams"] = data["state_exams"][1:]
    del data["promotion"][1]["certificate"]
    findings = findings_of(data)
    assert [f[:2] for f in findings] == [("state_exams_missing", "Алексеев Иван Петрович"),
                                         ("certificate_missing", "Борисова Мария Андреевна")]
    assert findings[1][2] == ("ученица Борисова Мария Андреевна выпущена, но номер и дата выдачи аттестата не переданы "
                              "журналом")
    data["promotion"][0]["decision"] = "retained"
    del data["promotion"][0]["certificate"]
    assert [f[:2] for f in findings_of(data)] == [("certificate_missing", "Борисова Мария Андреевна")]


def test_preflight_says_nothing_of_exams_in_grade_8_or_in_a_quarter():
    eighth = graduating_year_snapshot("8А", 8)
    del eighth["state_exams"]
    eighth["promotion"] = [{k: v for k, v in p.items() if k != "certificate"} | {"decision": "promoted"}
                           for p in eighth["promotion"]]
    assert findings_of(eighth) == []
    assert [f for f in findings_of(year_end_snapshot("9А", 9)) if "ГИА" in f[2]] == []
    assert "state_exams" not in snapshot()
