"""The rules of lending paper files: working days, return-by dates, loans paired from movements, words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive_service.domain.file_issues import (
    Loan,
    issue_note,
    loans,
    recorded,
    return_by_problem,
    return_problem,
    working_days_after,
)
from archive_service.rendering.names import RUSSIAN_NAMES


@dataclass(frozen=True)
class Step:
    action: str
    person: str
    purpose: str
    on: dt.date
    recorded_by: str
    return_by: dt.date | None = None


def test_working_days_skip_saturdays_and_sundays():
    friday = dt.date(2027, 1, 8)
    assert working_days_after(friday, 1) == dt.date(2027, 1, 11)  # Monday
    assert working_days_after(friday, 10) == dt.date(2027, 1, 22)
    assert working_days_after(dt.date(2027, 1, 9), 5) == dt.date(2027, 1, 15)  # from a Saturday


def test_a_return_by_date_is_the_issue_day_or_later_and_within_a_year():
    on = dt.date(2027, 3, 1)
    assert return_by_problem(on, on) is None and return_by_problem(on, dt.date(2028, 3, 1)) is None
    assert return_by_problem(on, dt.date(2027, 2, 28)) == (
        "срок возврата 28.02.2027 раньше даты выдачи 01.03.2027: дело возвращают в день выдачи или позже")
    assert return_by_problem(on, None) == "укажите, до какого числа дело должно вернуться в архив"
    assert "дальше чем через год" in (return_by_problem(on, dt.date(2028, 3, 2)) or "")
    assert return_problem(on, dt.date(2027, 2, 27)) == "дата возврата 27.02.2027 раньше даты выдачи 01.03.2027"
    assert return_problem(on, on) is None


def test_movements_pair_into_loans_in_order():
    steps = [Step("issued", "Орлов О. О.", "проверка", dt.date(2027, 3, 1), "Петрова Анна Сергеевна",
                  dt.date(2027, 3, 15)),
             Step("returned", "Орлов О. О.", "", dt.date(2027, 3, 10), "Иванов Пётр Петрович"),
             Step("issued", "Смирнова Е. В.", "справка", dt.date(2027, 4, 1), "Петрова Анна Сергеевна", None)]
    first, second = loans(steps)
    assert first == Loan("Орлов О. О.", "проверка", dt.date(2027, 3, 1), dt.date(2027, 3, 15),
                         "Петрова Анна Сергеевна", dt.date(2027, 3, 10), "Орлов О. О.", "Иванов Пётр Петрович")
    assert second.returned_on is None and not second.overdue(dt.date(2030, 1, 1))  # an old issue without a date
    assert not first.overdue(dt.date(2027, 4, 1))  # returned
    out = loans(steps[:1])[0]
    assert not out.overdue(dt.date(2027, 3, 15)) and out.overdue(dt.date(2027, 3, 16))
    assert out.days_overdue(dt.date(2027, 3, 18)) == 3


def test_the_verb_agrees_with_the_person_and_the_printed_note_says_overdue():
    assert recorded("Петрова Анна Сергеевна", RUSSIAN_NAMES) == "записала Петрова Анна Сергеевна"
    assert recorded("Иванов Пётр Петрович", RUSSIAN_NAMES) == "записал Иванов Пётр Петрович"
    assert recorded("Орлов О. О.", RUSSIAN_NAMES) == "записал(а) Орлов О. О."
    note = issue_note("Орлов О. О., инспектор", "проверка", dt.date(2027, 3, 1), dt.date(2027, 3, 15),
                      dt.date(2027, 3, 16))
    assert note == "Орлов О. О., инспектор (проверка), с 01.03.2027, вернуть до 15.03.2027 — просрочен возврат"
    undated = issue_note("Орлов О. О.", "", dt.date(2027, 3, 1), None, dt.date(2030, 1, 1))
    assert undated == "Орлов О. О., с 01.03.2027"
