"""The demo school: realistic, reproducible, valid `journal-snapshot/1` data."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from archive_service.demo import generate, write_demo_data
from archive_service.demo import names
from archive_service.domain.rules import check_snapshot
from archive_service.schema.snapshot import Snapshot

ABSENT = {"Н", "Б", "У", None}


@pytest.fixture(scope="module")
def snapshots() -> list[dict]:
    return list(generate(periods=["Q2", "H1", "year"]))


@pytest.fixture(scope="module")
def by_period(snapshots) -> dict[str, dict[str, dict]]:
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for snap in snapshots:
        period = snap["period"]
        kind = period["kind"]
        code = "year" if kind == "year" else {"quarter": "Q", "half_year": "H"}[kind] + str(period["number"])
        out[code][snap["class"]["name"]] = snap
    return out


@pytest.fixture(scope="module")
def validated(snapshots) -> list[Snapshot]:
    return [Snapshot.model_validate_json(json.dumps(s, ensure_ascii=False)) for s in snapshots]


def _lessons(snap: dict):
    for subject in snap["subjects"]:
        for lesson in subject["lessons"]:
            yield subject, lesson


def test_the_school_has_at_least_1000_students(by_period):
    ids = {st["id"] for snap in by_period["year"].values() for st in snap["students"]}
    assert len(ids) >= 1000


def test_every_grade_has_two_to_four_classes(by_period):
    per_grade = Counter(snap["class"]["grade"] for snap in by_period["year"].values())
    assert sorted(per_grade) == list(range(1, 12))
    assert all(2 <= n <= 4 for n in per_grade.values())


def test_classes_have_25_to_32_students(by_period):
    for snap in [*by_period["Q2"].values(), *by_period["H1"].values()]:
        assert 25 <= len(snap["students"]) <= 32, snap["class"]["name"]


def test_class_ids_and_names_follow_the_school_convention(by_period):
    snap = by_period["Q2"]["5А"]
    assert snap["class"]["id"] == "c-5a"
    assert snap["class"]["class_teacher"]["id"].startswith("t-")
    assert snap["school"]["short_name"] == "МБОУ СОШ № 21"
    assert snap["source"]["exported_at"] == "2026-12-26T18:30:00+07:00"


def test_every_snapshot_validates_against_the_schema(snapshots, validated):
    assert len(validated) == len(snapshots)


def test_every_snapshot_satisfies_the_domain_rules(validated):
    problems = {f"{s.class_.name} {s.period.code}": check_snapshot(s) for s in validated}
    assert {k: v for k, v in problems.items() if v} == {}


def _dump(snap: dict) -> bytes:
    return json.dumps(snap, ensure_ascii=False).encode("utf-8")


def test_the_same_seed_gives_identical_bytes_even_for_a_single_period(by_period):
    alone = list(generate(periods=["Q2"]))
    assert [_dump(s) for s in alone] == [_dump(by_period["Q2"][s["class"]["name"]]) for s in alone]


def test_demo_data_is_written_as_one_utf8_json_file_per_class_and_period(tmp_path):
    first = write_demo_data(tmp_path / "a", periods=["H1"])
    second = write_demo_data(tmp_path / "b", periods=["H1"])
    assert sorted(p.relative_to(tmp_path / "a").as_posix() for p in first) == [
        "2026-2027/H1/10А.json", "2026-2027/H1/10Б.json", "2026-2027/H1/11А.json", "2026-2027/H1/11Б.json",
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    text = first[0].read_text(encoding="utf-8")
    assert '\n "format": "journal-snapshot/1"' in text and "Русский язык" in text


def test_a_different_seed_gives_a_different_school(by_period):
    other = next(s for s in generate(seed=1, periods=["Q2"]) if s["class"]["name"] == "5А")
    assert other["students"] != by_period["Q2"]["5А"]["students"]


def test_grade_1_has_no_marks_and_no_period_marks(by_period):
    for code in ("Q2", "year"):
        for snap in by_period[code].values():
            if snap["class"]["grade"] != 1:
                continue
            assert all(not lesson["marks"] for _, lesson in _lessons(snap))
            assert all(not subject["period_marks"] for subject in snap["subjects"])


def test_grade_1_homework_is_always_without_a_task(by_period):
    first = [s for s in by_period["Q2"].values() if s["class"]["grade"] == 1]
    assert {lesson["homework"] for snap in first for _, lesson in _lessons(snap)} == {"Без задания"}


def test_no_mark_for_a_student_absent_at_that_lesson(by_period):
    late_marked = 0
    for snap in by_period["Q2"].values():
        for _, lesson in _lessons(snap):
            codes = {a["student_id"]: a["code"] for a in lesson["absences"]}
            for mark in lesson["marks"]:
                assert codes.get(mark["student_id"], "present") not in ABSENT
                late_marked += codes.get(mark["student_id"]) == "О"
    assert late_marked > 0  # a pupil who came late may still be marked


def test_subgroup_marks_and_absences_belong_to_group_members(by_period):
    for snap in by_period["Q2"].values():
        groups = [s for s in snap["subjects"] if s["group"]]
        if snap["class"]["grade"] >= 2:
            assert {g["group"]["name"] for g in groups} >= {"1 группа", "2 группа"}
        for subject in groups:
            members = set(subject["group"]["student_ids"])
            for lesson in subject["lessons"]:
                assert {m["student_id"] for m in lesson["marks"]} <= members
                assert {a["student_id"] for a in lesson["absences"]} <= members


def test_the_two_language_groups_have_different_teachers(by_period):
    english = [s for s in by_period["Q2"]["7А"]["subjects"] if s["name"] == "Иностранный язык (английский)"]
    assert len(english) == 2
    assert english[0]["teacher"] != english[1]["teacher"]
    assert not set(english[0]["group"]["student_ids"]) & set(english[1]["group"]["student_ids"])


def test_year_marks_equal_the_period_snapshot_marks(by_period):
    for code in ("Q2", "H1"):
        for name, snap in by_period[code].items():
            year = {s["id"]: s for s in by_period["year"][name]["subjects"]}
            for subject in snap["subjects"]:
                in_period = {(m["student_id"], m["value"]) for m in subject["period_marks"]}
                in_year = {(m["student_id"], m["value"]) for m in year[subject["id"]]["period_marks"]
                           if m["period"] == code}
                assert in_year == in_period, (name, subject["id"])


def test_the_year_snapshot_has_no_lessons_but_year_marks(by_period):
    snap = by_period["year"]["5А"]
    assert snap["period"] == {"kind": "year", "number": 1, "start": "2026-09-01", "end": "2027-05-26"}
    assert all(subject["lessons"] == [] for subject in snap["subjects"])
    codes = {m["period"] for subject in snap["subjects"] for m in subject["period_marks"]}
    assert codes == {"Q1", "Q2", "Q3", "Q4", "year"}


def test_graduating_classes_have_exam_and_final_marks(by_period):
    for name in ("9А", "11А"):
        snap = by_period["year"][name]
        periods = Counter(m["period"] for subject in snap["subjects"] for m in subject["period_marks"])
        at_end = [s for s in snap["students"] if s["left_on"] is None]
        assert periods["exam"] == 4 * len(at_end)
        assert periods["final"] == periods["year"]


def test_graduating_classes_carry_a_state_exam_for_every_exam_mark_and_a_certificate_for_every_graduate(by_period):
    numbers: list[str] = []
    forms: Counter = Counter()
    for name in ("9А", "9Б", "11А", "11Б"):
        snap = by_period["year"][name]
        grade = snap["class"]["grade"]
        exam_marks = {(m["student_id"], s["id"]): m["value"] for s in snap["subjects"] for m in s["period_marks"]
                      if m["period"] == "exam"}
        exams = {(e["student_id"], e["subject_id"]): e for e in snap["state_exams"]}
        assert set(exams) == set(exam_marks), name
        for key, exam in exams.items():
            forms[(grade, exam["form"], "mark" in exam, "score" in exam)] += 1
            assert exam.get("mark", exam_marks[key]) == exam_marks[key], "the exam mark of the sheet's grid"
            assert "2027-06-01" <= exam["date"] <= "2027-06-23"
        for item in snap["promotion"]:
            cert = item["certificate"]
            assert len(cert["number"]) == 14 and cert["number"].isdigit() and cert["issued_on"] == "2027-06-29"
            numbers.append(cert["number"])
    assert len(set(numbers)) == len(numbers), "every certificate has its own number"
    # grade 9: ОГЭ with mark and primary score; grade 11: ЕГЭ test scores, basic mathematics as a mark
    assert set(forms) == {(9, "OGE", True, True), (11, "EGE", False, True), (11, "EGE", True, False)}
    assert forms[(11, "EGE", True, False)] < forms[(11, "EGE", False, True)] / 5
    assert any(item["certificate"]["with_honours"] for name in ("9Б", "11Б")
               for item in by_period["year"][name]["promotion"])


def test_students_keep_their_ids_names_and_birth_dates_across_periods(by_period):
    for name, snap in by_period["Q2"].items():
        year = {s["id"]: (s["full_name"], s["birth_date"]) for s in by_period["year"][name]["students"]}
        for student in snap["students"]:
            assert year[student["id"]] == (student["full_name"], student["birth_date"])


def test_some_students_arrive_or_leave_during_the_quarter(by_period):
    students = [s for snap in by_period["Q2"].values() for s in snap["students"]]
    assert any(s["enrolled_on"] and "2026-11-05" < s["enrolled_on"] <= "2026-12-25" for s in students)
    assert any(s["left_on"] and "2026-11-05" <= s["left_on"] < "2026-12-25" for s in students)


def test_birth_dates_fit_the_grade(by_period):
    for snap in by_period["Q2"].values():
        expected = 2020 - snap["class"]["grade"]
        years = [int(s["birth_date"][:4]) for s in snap["students"]]
        assert all(expected - 1 <= y <= expected + 1 for y in years)


def test_the_grade_7_curriculum_follows_the_federal_plan(by_period):
    hours = {s["name"]: s["hours_per_week"] for s in by_period["Q2"]["7А"]["subjects"]}
    assert hours == {
        "Русский язык": 4, "Литература": 2, "Иностранный язык (английский)": 3, "Алгебра": 3, "Геометрия": 2,
        "Вероятность и статистика": 1, "Информатика": 1, "История": 2, "Обществознание": 1, "География": 2,
        "Биология": 1, "Физика": 2, "Музыка": 1, "Изобразительное искусство": 1, "Труд (технология)": 2,
        "Физическая культура": 2,
    }


def test_marks_are_mostly_fours_and_fives(by_period):
    values = Counter(m["value"] for snap in by_period["Q2"].values() for _, lesson in _lessons(snap)
                     for m in lesson["marks"])
    total = sum(values[v] for v in (2, 3, 4, 5))
    assert (values[4] + values[5]) / total > 0.7
    assert 0 < values[2] / total < 0.06


def test_absences_are_five_to_eight_percent_of_student_lessons(by_period):
    absences = seats = 0
    for snap in by_period["Q2"].values():
        for subject, lesson in _lessons(snap):
            absences += len(lesson["absences"])
            seats += len(subject["group"]["student_ids"]) if subject["group"] else len(snap["students"])
    assert 0.05 <= absences / seats <= 0.08


def test_lessons_without_topic_or_homework_are_rare_but_present(by_period):
    lessons = [lesson for snap in by_period["Q2"].values() for _, lesson in _lessons(snap)]
    no_topic = sum(not lesson["topic"] for lesson in lessons)
    no_homework = sum(lesson["homework"] is None for lesson in lessons)
    assert 0 < no_topic < 0.02 * len(lessons)
    assert 0 < no_homework < 0.02 * len(lessons)


def test_periods_that_do_not_apply_to_a_grade_are_skipped():
    grades = {snap["class"]["grade"] for snap in generate(periods=["H1"])}
    assert grades == {10, 11}


def test_an_unknown_period_code_is_rejected():
    with pytest.raises(ValueError):
        next(generate(periods=["Q5"]))


@pytest.mark.parametrize(("male", "female"), [
    ("Иванов", "Иванова"), ("Покровский", "Покровская"), ("Ильин", "Ильина"), ("Толстой", "Толстая"),
    ("Троицкий", "Троицкая"), ("Шевченко", "Шевченко"), ("Ким", "Ким"), ("Цой", "Цой"), ("Черных", "Черных"),
])
def test_female_surnames_agree_with_gender(male, female):
    assert names.surname_form(male, "f") == female
    assert names.surname_form(male, "m") == male


@pytest.mark.parametrize(("father", "son", "daughter"), [
    ("Александр", "Александрович", "Александровна"), ("Илья", "Ильич", "Ильинична"),
    ("Никита", "Никитич", "Никитична"), ("Лев", "Львович", "Львовна"), ("Сергей", "Сергеевич", "Сергеевна"),
    ("Юрий", "Юрьевич", "Юрьевна"), ("Дмитрий", "Дмитриевич", "Дмитриевна"), ("Игорь", "Игоревич", "Игоревна"),
    ("Михаил", "Михайлович", "Михайловна"), ("Яков", "Яковлевич", "Яковлевна"),
])
def test_patronymics_derive_from_the_fathers_name(father, son, daughter):
    assert names.patronymic(father, "m") == son
    assert names.patronymic(father, "f") == daughter


def test_generated_girls_have_feminine_surnames_and_patronymics(by_period):
    girls = set(names.GIRL_NAMES)
    for snap in by_period["year"].values():
        for student in snap["students"]:
            surname, first, patronymic = student["full_name"].split()
            if first in girls:
                assert patronymic.endswith(("вна", "чна")), student["full_name"]
                assert not surname.endswith(("ов", "ев", "ёв", "ин", "ский", "цкий")), student["full_name"]
            else:
                assert patronymic.endswith("ич"), student["full_name"]


def test_year_snapshots_carry_the_councils_decision_for_every_pupil_still_in_the_class(by_period):
    decisions: Counter = Counter()
    for name, snap in by_period["year"].items():
        grade = snap["class"]["grade"]
        staying = {s["id"] for s in snap["students"] if not s["left_on"]}
        given = {p["student_id"]: p["decision"] for p in snap["promotion"]}
        assert set(given) == staying, name
        failed = {m["student_id"] for s in snap["subjects"] for m in s["period_marks"]
                  if m["period"] == "year" and m["value"] == 2}
        for pid, decision in given.items():
            expected = "graduated" if grade in (9, 11) else (
                "promoted_conditionally" if pid in failed else "promoted")
            assert decision == expected, (name, pid)
        decisions.update(given.values())
    assert 0 < decisions["promoted_conditionally"] < decisions["promoted"] / 50, "conditional promotion is rare"
    assert decisions["graduated"] > 0 and not any(p for q in ("Q2", "H1") for s in by_period[q].values()
                                                  for p in s.get("promotion") or [])


def test_every_snapshot_is_exported_after_its_period_ended_and_before_the_demos_day(validated):
    from archive_service.demo.tour import demo_start
    from archive_service.domain.drafts import is_draft

    start = demo_start("Europe/Moscow")
    for snap in validated:
        exported = snap.source.exported_at.astimezone(start.tzinfo)
        assert not is_draft(snap.period.end, exported.date()), (snap.class_.name, snap.period, exported)
        assert exported < start and not is_draft(snap.period.end, start.date())
