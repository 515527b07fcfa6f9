"""The rule of deadline reminders (`domain.reminders`) on boards built by hand: the day before a
deadline, the day after it (and any later day), done steps, steps without a deadline, steps not
for a class, and the same answer however often it is asked."""

from __future__ import annotations

import datetime as dt

from archive_service.domain.procedure import ClassRow, PeriodBoard, Record, cell, not_applicable
from archive_service.domain.procedures import Deadline, Procedure, Step
from archive_service.domain.reminders import due_reminders, school_year_of

END = dt.date(2026, 12, 25)
CHECKED = Step("marks_checked", "Итоговые отметки проверены", "deputy", Deadline("period_end", 1, "holiday"))
SIGNED = Step("director_signed", "Директор подписал, печать", "director", Deadline("period_end", 5, "holiday"))
KEPT = Step("kept", "Копии приняты на хранение", "secretary", None)
GRADUATES = Step("graduates", "Дела выпускников сформированы", "deputy", Deadline("period_end", 3, "working"),
                 grades=(9, 11))
STEPS = (CHECKED, SIGNED, KEPT, GRADUATES)
DEADLINES = {"marks_checked": dt.date(2026, 12, 29), "director_signed": dt.date(2027, 1, 2), "kept": None,
             "graduates": dt.date(2026, 12, 30)}
DONE = Record(True, dt.datetime(2026, 12, 28, 9, tzinfo=dt.timezone.utc), "Иванова Т. П.", "")


def board(today: dt.date, done: dict[str, set[str]] | None = None) -> PeriodBoard:
    """5А and 9Б of II четверть 2026/2027; `done`: step → the classes that recorded it."""
    done = done or {}
    rows = []
    for name, grade in (("5А", 5), ("9Б", 9)):
        cells = [cell(s, DONE if name in done.get(s.code, set()) else None, (), DEADLINES[s.code], today)
                 if s.applies("Q2", grade) else not_applicable(s) for s in STEPS]
        rows.append(ClassRow(name, grade, 25, cells))
    procedure = Procedure("test", "Порядок школы", "положение", STEPS)
    return PeriodBoard("2026/2027", "Q2", END, DEADLINES, procedure, STEPS, rows)


def due(today: dt.date, done: dict[str, set[str]] | None = None) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(r.step, r.kind): r.classes for r in due_reminders(board(today, done), today)}


def test_the_day_before_a_deadline_reminds_of_the_classes_not_done():
    reminders = due_reminders(board(dt.date(2026, 12, 28)), dt.date(2026, 12, 28))
    assert [(r.step, r.kind, r.classes, r.role) for r in reminders] == [
        ("marks_checked", "tomorrow", ("5А", "9Б"), "deputy")]
    reminder = reminders[0]
    assert reminder.deadline == dt.date(2026, 12, 29) and reminder.due_on == dt.date(2026, 12, 28)
    assert reminder.subject == "Завтра срок: «Итоговые отметки проверены», II четверть 2026/2027 учебного года"
    assert reminder.text == ("Завтра, 29.12.2026, срок шага «Итоговые отметки проверены» (II четверть 2026/2027 "
                             "учебного года). Не выполнено в классах: 5А, 9Б.")


def test_the_deadline_day_itself_calls_for_nothing_new():
    assert due(dt.date(2026, 12, 29)) == {("graduates", "tomorrow"): ("9Б",)}


def test_the_day_after_a_deadline_and_any_later_day_say_it_is_missed():
    assert due(dt.date(2026, 12, 30), {"marks_checked": {"5А"}}) == {("marks_checked", "missed"): ("9Б",)}
    later = due(dt.date(2027, 1, 5), {"marks_checked": {"5А"}})
    assert later == {("marks_checked", "missed"): ("9Б",), ("graduates", "missed"): ("9Б",),
                     ("director_signed", "missed"): ("5А", "9Б")}
    missed = next(r for r in due_reminders(board(dt.date(2027, 1, 5)), dt.date(2027, 1, 5))
                  if r.step == "director_signed")
    assert missed.role == "director" and missed.due_on == dt.date(2027, 1, 3)
    assert missed.text.startswith("Срок шага «Директор подписал, печать» пропущен: он истёк 02.01.2027")


def test_steps_every_class_has_done_never_remind():
    everyone = {"marks_checked": {"5А", "9Б"}, "director_signed": {"5А", "9Б"}, "graduates": {"9Б"}}
    for day in (dt.date(2026, 12, 28), dt.date(2026, 12, 30), dt.date(2027, 1, 1), dt.date(2027, 2, 1)):
        assert due(day, everyone) == {}


def test_steps_without_a_deadline_never_remind():
    for day in range(40):
        today = END + dt.timedelta(days=day)
        assert all(r.step != "kept" for r in due_reminders(board(today), today))


def test_a_step_not_for_a_class_never_names_it():
    reminders = due(dt.date(2026, 12, 31))
    assert reminders[("graduates", "missed")] == ("9Б",)  # only graduating grades; 5А's cell is «none»
    assert due(dt.date(2026, 12, 31), {"graduates": {"9Б"}}).get(("graduates", "missed")) is None


def test_asking_again_gives_the_same_reminders():
    today = dt.date(2027, 1, 5)
    first, again = due_reminders(board(today), today), due_reminders(board(today), today)
    assert first == again and len({(r.step, r.kind) for r in first}) == len(first)


def test_the_school_year_runs_from_september_to_august():
    assert school_year_of(dt.date(2026, 9, 1)) == "2026/2027"
    assert school_year_of(dt.date(2027, 6, 30)) == "2026/2027"
    assert school_year_of(dt.date(2026, 8, 31)) == "2025/2026"


def test_a_deadline_missed_long_ago_is_not_reminded_of_any_more():
    """An archive installed mid-year does not flood people with the year's old periods."""
    from archive_service.domain.reminders import MISSED_WITHIN, kind_on

    deadline = dt.date(2026, 12, 29)
    assert kind_on(deadline, deadline + MISSED_WITHIN) == "missed"
    assert kind_on(deadline, deadline + MISSED_WITHIN + dt.timedelta(days=1)) is None
    assert kind_on(deadline, deadline) is None and kind_on(deadline, deadline - dt.timedelta(days=1)) == "tomorrow"
