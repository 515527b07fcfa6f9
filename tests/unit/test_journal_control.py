"""The monthly control's rules, on a snapshot that breaks each of them exactly once in December."""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.domain.journal_control import (ControlRules, Month, MonthError, checking_days, control,
                                                    is_written_work, month_norm)
from archive_service.domain.preflight import PreflightThresholds
from archive_service.schema import parse_snapshot
from builders import as_bytes
from builders import subject
from control_support import BROKEN, broken_once, clean_december


class Weekdays:
    """Monday to Friday (the production calendar's December 2026 has no holiday before the 31st)."""

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5


NORMS = PreflightThresholds()  # 3 marks a period at one hour a week, 5 at more
RULES = ControlRules(Weekdays(), NORMS)
DECEMBER = Month(2026, 12)


def report(data: dict, month: Month = DECEMBER, rules: ControlRules = RULES):
    return control([parse_snapshot(as_bytes(data))], month, rules)


def test_a_clean_month_has_no_findings():
    found = report(clean_december())
    assert found.findings == [] and sum(found.counts.values()) == 0
    assert [(c.class_name, c.period, c.exported_on) for c in found.checked] == [("5А", "Q2", dt.date(2026, 12, 26))]


def test_each_rule_broken_once_is_counted_once():
    found = report(broken_once())
    assert found.counts == BROKEN
    by = {f.code: f for f in found.findings}
    assert (by["no_marks"].subject, by["no_marks"].student) == ("Музыка", "Алексеев Иван Петрович")
    assert (by["one_mark"].subject, by["one_mark"].student) == ("Иностранный язык (английский)",
                                                                "Борисова Мария Андреевна")
    assert by["too_few_marks"].student == "Васильев Олег Ильич" and "2 при норме 5" in by["too_few_marks"].text
    assert by["lesson_without_topic"].date == dt.date(2026, 12, 9)
    assert by["lesson_without_homework"].date == dt.date(2026, 12, 10)
    assert "через 9 дн." in by["late_mark"].text and "7 дн." in by["late_mark"].text
    assert "через 18 дн." in by["backdated_mark"].text
    absence = by["absence_without_reason"]
    assert absence.date == dt.date(2026, 12, 15) and "17.12.2026" in absence.text


def test_the_report_groups_by_class_and_by_teacher():
    found = report(broken_once())
    assert found.by("class_name") == [("5А", BROKEN)]
    teachers = dict(found.by("teacher"))
    assert sum(teachers["Николаева Елена Павловна"].values()) == 5  # mathematics
    assert teachers["Ким Виктор Алексеевич"]["no_marks"] == 1
    assert teachers["Смирнова Дарья Олеговна"] == {**{k: 0 for k in BROKEN}, "one_mark": 1,
                                                   "lesson_without_homework": 1}
    music = next(a for a in found.accumulation if a.subject == "Музыка")
    assert (music.pupils, music.norm, music.no_marks, music.share(music.no_marks)) == (3, 3, 1, 33)
    assert found.as_dict()["counts"] == BROKEN


def test_a_month_reads_only_its_own_lessons():
    data = broken_once()
    data["period"]["end"] = "2027-01-15"  # the quarter goes on into January: January's lessons are not December's
    data["source"]["exported_at"] = "2027-01-16T18:30:00+07:00"
    subject(data, "math")["lessons"].append({"id": "m-jan", "date": "2027-01-12", "topic": None, "homework": None,
                                             "marks": [], "absences": [{"student_id": "s2", "code": None}]})
    # exported later, the absence of 24.12 not yet coded is overdue now (its 2 working days ended on 28.12)
    assert report(data).counts == {**BROKEN, "absence_without_reason": 2}
    january = report(data, Month(2027, 1)).counts
    assert (january["lesson_without_topic"], january["lesson_without_homework"],
            january["absence_without_reason"]) == (1, 1, 1)
    assert report(broken_once(), Month(2026, 11)).checked == []


def test_in_grades_10_and_11_a_written_test_has_ten_days():
    data = broken_once()
    data["class"] = {**data["class"], "name": "10А", "grade": 10}
    assert report(data).counts["late_mark"] == 0
    assert checking_days(9) == 7 and checking_days(10) == 10 and checking_days(11) == 10


def test_the_backdating_threshold_is_a_setting():
    assert report(broken_once(), rules=ControlRules(Weekdays(), NORMS, backdated_days=30)).counts["backdated_mark"] == 0
    # at 8 days the oral answer entered on the 9th day is backdated too, and the test entered on the 9th day
    # counts as backdated, no longer as late: one rule per mark
    strict = report(broken_once(), rules=ControlRules(Weekdays(), NORMS, backdated_days=8)).counts
    assert (strict["backdated_mark"], strict["late_mark"]) == (3, 0)


def test_the_norm_of_marks_is_the_preflight_norm_prorated_to_the_month():
    start, end = dt.date(2026, 11, 5), dt.date(2026, 12, 25)  # a quarter of 51 days
    assert month_norm(5, start, end, dt.date(2026, 12, 1), end) == 2  # 25 days: 2,45
    assert month_norm(5, start, end, start, dt.date(2026, 11, 30)) == 3  # 26 days: 2,55
    assert month_norm(3, start, end, dt.date(2026, 12, 1), end) == 1
    assert month_norm(3, start, end, start, end) == 3 and month_norm(0, start, end, start, end) == 0
    lenient = report(broken_once(), rules=ControlRules(Weekdays(), PreflightThresholds(0, 0))).counts
    assert lenient["no_marks"] == lenient["one_mark"] == lenient["too_few_marks"] == 0


def test_a_working_day_calendar_decides_the_absences():
    class EveryDayOff(Weekdays):
        def is_working_day(self, day: dt.date) -> bool:
            return day.day in (15, 28, 29)  # the 2nd working day after 15.12 is 29.12: after the export
    assert report(broken_once(), rules=ControlRules(EveryDayOff(), NORMS)).counts["absence_without_reason"] == 0


@pytest.mark.parametrize("work, written", [("Контрольная работа", True), ("Контрольный диктант", True),
                                           ("Диктант", True), ("Сочинение", True), ("Изложение", True),
                                           ("Проверочная работа", True), ("Тест", True),
                                           ("Итоговое тестирование", True), ("Самостоятельная работа", True),
                                           ("Ответ на уроке", False), ("Домашняя работа", False),
                                           ("Практическая работа", False), ("Лабораторная работа", False)])
def test_written_works(work, written):
    assert is_written_work(work) is written


def test_a_month_is_read_or_refused_in_russian():
    assert (Month.parse("2026-12").academic_year, Month.parse("2027-01").academic_year) == ("2026/2027", "2026/2027")
    assert Month.parse("2026-12").title == "декабрь 2026 г." and Month(2026, 12).last == dt.date(2026, 12, 31)
    with pytest.raises(MonthError, match="например 2026-12"):
        Month.parse("12.2026")


def test_classes_are_reported_in_the_order_of_grades_not_of_letters():
    """10А after 5Б, not before 2А as a sort of the names would put it."""
    snaps = []
    for name, grade in (("10А", 10), ("5Б", 5), ("2А", 2)):
        data = clean_december()
        data["class"] = {**data["class"], "id": f"c-{name}", "name": name, "grade": grade}
        snaps.append(parse_snapshot(as_bytes(data)))
    assert [c.class_name for c in control(snaps, DECEMBER, RULES).checked] == ["2А", "5Б", "10А"]
