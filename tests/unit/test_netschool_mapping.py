"""Reading NetSchool's journal values into the snapshot's, without a server."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.adapters.sources.base import SourceShapeError
from archive_service.adapters.sources.netschool import group_name, period_of
from archive_service.adapters.sources.netschool_journal import (JournalContext, lesson_mark, read_lessons,
                                                                read_totals, term_mark)

REASONS = frozenset({"ОТ", "УП", "НП", "Б", "ОП", "ОСВ"})
CTX = JournalContext(dt.date(2026, 12, 26), "Q2", {3: "Домашнее задание", 10: "Ответ на уроке"}, REASONS, None)


@pytest.mark.parametrize(("raw", "grading", "expected"), [
    (5, 0, 5), ("4", 0, 4), ("зач", 0, "зач"), (5, 1, "зач"), (1, 1, "незач"), ("УП", 0, None)])
def test_lesson_marks_are_numbers_digit_strings_pass_fail_and_codes_are_not_marks(raw, grading, expected):
    assert lesson_mark(raw, grading, 1, 5, REASONS, "журнал") == expected


@pytest.mark.parametrize("raw", ["5+", 7, 3.5, "ХЗ"])
def test_a_lesson_mark_the_snapshot_cannot_hold_stops_the_pull(raw):
    with pytest.raises(SourceShapeError, match="отметк"):
        lesson_mark(raw, 0, 1, 5, REASONS, "журнал")


@pytest.mark.parametrize(("raw", "grading", "expected"), [
    (4, 0, 4), (-1, 0, "н/а"), (-2, 0, "осв"), (0, 0, None), (-5, 2, None), (5, 1, "зач"), (1, 1, "незач"),
    ("н/а", 0, "н/а")])
def test_term_marks_map_the_totals_codes(raw, grading, expected):
    assert term_mark(raw, grading, 1, 5, "итоги") == expected


def test_a_tkr_total_code_is_not_guessed():
    with pytest.raises(SourceShapeError, match="ТКР"):
        term_mark(-3, 0, 1, 5, "итоги")


def journal(**changes) -> dict:
    data = {
        "students": [{"id": 1, "free": False}, {"id": 2, "free": False}],
        "classMeeting": [{"id": 11, "date": "2026-12-01T00:00:00", "lessonId": 91},
                         {"id": 12, "date": "2026-12-08T00:00:00", "lessonId": None,
                          "assignments": [{"id": 102, "classMeetingId": 12, "typeId": 3, "name": "§ 5"}]},
                         {"id": 13, "date": "2027-01-12T00:00:00", "lessonId": None}],
        "assignments": [{"id": 101, "classMeetingId": 11, "typeId": 10, "name": "Ответ"}],
        "marks": [{"studentId": 1, "assignmentId": 101, "mark": 5},
                  {"studentId": 2, "assignmentId": 101, "mark": None, "dutyMark": True}],
        "attendance": [{"classmeetingId": 12, "studentId": 1, "reason": "ОТ"},
                       {"classmeetingId": 12, "studentId": 2, "reason": "ОСВ"}],
        "totals": [{"marks": [{"studentId": 1, "mark": 5}, {"studentId": 2, "mark": -1}]}],
        "gradingSys": 0}
    data.update(changes)
    return data


def test_a_journal_reads_into_lessons_with_homework_from_the_next_meeting_and_no_dot_or_release():
    lessons, count = read_lessons(journal(), {"minMark": 1, "maxMark": 5}, {91: "1.1 Дроби"}, None, CTX, "журнал")
    assert count == 3 and [lesson["date"] for lesson in lessons] == ["2026-12-01", "2026-12-08"]
    first, second = lessons
    assert (first["topic"], first["homework"], second["topic"], second["homework"]) == ("Дроби", "§ 5", None,
                                                                                       "Без задания")
    assert first["marks"] == [{"student_id": "1", "value": 5, "work_type": "Ответ на уроке", "set_on": "2026-12-01"}]
    assert second["absences"] == [{"student_id": "1", "code": None}]
    assert read_totals(journal(), {}, CTX, "журнал") == [{"student_id": "1", "period": "Q2", "value": 5},
                                                        {"student_id": "2", "period": "Q2", "value": "н/а"}]


def test_an_unknown_attendance_reason_or_work_type_stops_the_pull():
    bad_reason = journal(attendance=[{"classmeetingId": 11, "studentId": 1, "reason": "ХЗ"}])
    with pytest.raises(SourceShapeError, match="ХЗ"):
        read_lessons(bad_reason, {}, {91: "1.1 Дроби"}, None, CTX, "журнал")
    bad_type = journal(assignments=[{"id": 101, "classMeetingId": 11, "typeId": 77}])
    with pytest.raises(SourceShapeError, match="77"):
        read_lessons(bad_type, {}, {91: "1.1 Дроби"}, None, CTX, "журнал")


@pytest.mark.parametrize(("title", "code"), [("2 четверть", "Q2"), ("1 полугодие", "H1"), ("3 триместр", "T3")])
def test_term_titles_become_period_codes(title, code):
    assert period_of(title, "12", dt.date(2026, 11, 5), dt.date(2026, 12, 25)).code == code


def test_a_term_title_of_another_kind_is_not_guessed():
    with pytest.raises(SourceShapeError, match="Модуль"):
        period_of("Модуль A", "12", dt.date(2026, 11, 5), dt.date(2026, 12, 25))


@pytest.mark.parametrize(("title", "subject", "group"), [
    ("Английский язык, 1 группа", "Английский язык", "1 группа"),
    ("Технология (девочки)", "Технология", "девочки"),
    ("Технология, 2 группа (мальчики)", "Технология", "2 группа (мальчики)"),
    ("Англ. яз. 1 гр.", "Английский язык", "Англ. яз. 1 гр.")])
def test_a_subgroup_s_name_comes_from_its_subject_group_title(title, subject, group):
    assert group_name(title, subject) == group
