"""Each ready procedure's deadlines, counted by the Russian production calendar (the `holidays`
library's RU calendar, with its transferred days off), for a quarter that ends before the New Year
holidays and for one that ends before the May holidays.

The dates below are worked out by hand from the decrees' calendars (2026: 1–8 and 9 January off,
31 December a day off moved from 4 January, 1 May a Friday, 9 May a Saturday → Monday 11 May off;
2027: 1–8 January, Saturday 20 February a working day for Monday 22 February, 1 May a Saturday →
Monday 3 May off) — not computed by the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from archive_service.adapters.production_calendar import CALENDAR
from dataclasses import replace

from archive_service.domain.procedures import (
    Dates,
    Deadline,
    ProcedureError,
    as_dict,
    check,
    due_dates,
    from_dict,
    waits_for_event,
    working_days_after,
)
from archive_service.domain.ready_procedures import READY, REF000, REF002, REF003, REF004

D = dt.date
WINTER = Dates(D(2026, 12, 25), "2026/2027")
"""II четверть ends on Friday 25 December 2026: the New Year holidays follow."""
WINTER_MON = Dates(D(2026, 12, 21), "2026/2027")
"""…or on Monday 21 December: a week later is Monday 28 December, three working days run into the
transferred day off of 31 December and the New Year holidays."""
SPRING = Dates(D(2026, 4, 30), "2025/2026")
"""The year's last quarter of a school ending on Thursday 30 April 2026, before the May holidays."""


def test_the_production_calendar_knows_transferred_days_off_and_working_saturdays():
    assert not CALENDAR.is_working_day(D(2026, 12, 31))  # moved from Sunday 4 January 2026
    assert "перенес" in (CALENDAR.day_off_name(D(2026, 12, 31)) or "")
    assert not CALENDAR.is_working_day(D(2026, 1, 9)) and not CALENDAR.is_working_day(D(2026, 5, 11))
    assert CALENDAR.is_working_day(D(2027, 2, 20))  # a Saturday made a working day…
    assert not CALENDAR.is_working_day(D(2027, 2, 22))  # …for Monday 22 February
    assert CALENDAR.is_working_day(D(2026, 5, 8))  # the Friday between the May holidays works


def test_working_days_are_counted_by_the_production_calendar():
    assert working_days_after(D(2026, 12, 28), 3, CALENDAR) == D(2027, 1, 11)  # 29, 30 Dec; 31 Dec off; 11 Jan
    assert working_days_after(D(2027, 2, 18), 3, CALENDAR) == D(2027, 2, 24)  # 19, Saturday 20, (22, 23 off) 24
    assert working_days_after(D(2026, 5, 7), 3, CALENDAR) == D(2026, 5, 13)  # 8; 9–11 May off; 12, 13
    assert working_days_after(D(2027, 1, 1), 0, CALENDAR) == D(2027, 1, 11)  # «on the day» of a holiday: the next
    assert working_days_after(D(2026, 12, 29), 0, CALENDAR) == D(2026, 12, 29)


def test_reference_000_counts_days_of_the_holidays_whatever_the_calendar():
    due = due_dates(REF000, "Q2", WINTER, CALENDAR)
    assert due == {"marks_checked": D(2026, 12, 26), "backups": D(2026, 12, 27), "copies_printed": D(2026, 12, 27),
                   "teachers_signed": D(2026, 12, 28), "class_teacher_certified": D(2026, 12, 29),
                   "deputy_certified": D(2026, 12, 30), "director_signed": D(2026, 12, 30),
                   "director_e_signed": D(2026, 12, 30), "registered": D(2026, 12, 30)}
    spring = due_dates(REF000, "Q4", SPRING, CALENDAR)
    assert (spring["marks_checked"], spring["registered"]) == (D(2026, 5, 1), D(2026, 5, 5))


def test_reference_002_has_no_deadline_for_the_quarter_and_30_june_at_the_years_end():
    assert due_dates(REF002, "Q2", WINTER, CALENDAR) == {"copies_printed": None}
    assert due_dates(REF002, "Q4", SPRING, CALENDAR) == {
        "copies_printed": None, "copies_bound": D(2026, 6, 30), "director_signed": D(2026, 6, 30),
        "registered": D(2026, 6, 30), "backups": D(2026, 6, 30)}


def test_reference_003_a_week_then_three_working_days_across_the_new_year():
    assert due_dates(REF003, "Q2", WINTER, CALENDAR) == {
        "files_formed": D(2027, 1, 1), "deputy_checked": D(2027, 1, 13), "second_copy": None}
    # a week after Monday 21 December is 28 December; then 29, 30 December — 31 December is a day off
    # moved from 4 January 2026 — and the holidays to 10 January: the third working day is 11 January
    assert due_dates(REF003, "Q2", WINTER_MON, CALENDAR)["deputy_checked"] == D(2027, 1, 11)


def test_reference_003_before_the_may_holidays_and_the_graduating_classes():
    due = due_dates(REF003, "Q4", SPRING, CALENDAR)
    # 7 May; then Friday 8 May works, 9–11 May are off (Victory Day moved to Monday), 12 and 13 May
    assert (due["files_formed"], due["deputy_checked"]) == (D(2026, 5, 7), D(2026, 5, 13))
    assert due["graduates_final"] is None and due["paper_printed"] == due["director_signed"] == D(2026, 6, 30)
    assert waits_for_event(REF003.step("graduates_final"), REF003, SPRING) == \
        "срок считается от даты результатов ГИА — внесите её"
    # results on Thursday 11 June: Friday 12 June is Russia Day, then 15, 16, 17 June
    with_gia = Dates(SPRING.period_end, SPRING.academic_year, gia_results=D(2026, 6, 11))
    assert due_dates(REF003, "Q4", with_gia, CALENDAR)["graduates_final"] == D(2026, 6, 17)
    assert waits_for_event(REF003.step("graduates_final"), REF003, with_gia) is None
    assert REF003.step("graduates_final").applies("Q4", 9) and not REF003.step("graduates_final").applies("Q4", 8)
    assert not REF003.step("graduates_final").applies("Q2", 11)  # only at the year's end


def test_reference_004_the_monthly_copy_on_the_first_working_day_of_the_next_month():
    winter = due_dates(REF004, "Q2", WINTER, CALENDAR)
    assert winter["monthly_backup"] == D(2027, 1, 11)  # December's copy: 31 Dec and 1–10 January are off
    assert {k for k, v in winter.items() if v is None} == {"copies_printed", "deputy_certified", "director_signed",
                                                           "director_e_signed", "registered"}
    spring = due_dates(REF004, "Q4", SPRING, CALENDAR)
    assert spring["monthly_backup"] == D(2026, 5, 4)  # April's copy: 1 May (Friday) off, then the weekend
    assert "yearly_copy" in spring and "yearly_copy" not in winter


@pytest.mark.parametrize("key", sorted(READY))
def test_every_ready_procedure_cites_its_sections_and_passes_its_own_check(key):
    procedure = READY[key]
    assert procedure.source and all(step.source for step in procedure.steps)
    assert check(procedure) is procedure and from_dict(as_dict(procedure)) == procedure


@pytest.mark.parametrize("key", sorted(READY))
def test_the_two_signatures_of_the_director_are_different_steps_where_a_procedure_has_both(key):
    codes = READY[key].codes
    if "director_e_signed" in codes:
        paper, electronic = codes["director_signed"], codes["director_e_signed"]
        assert paper.manual and paper.role == "director" and paper.fact == ""
        assert not electronic.manual and electronic.fact == "e_signature"


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: replace(p, title=" "), "название порядка"),
    (lambda p: replace(p, steps=()), "нет ни одного шага"),
    (lambda p: replace(p, steps=p.steps + (p.steps[0],)), "такой шаг уже есть"),
    (lambda p: replace(p, steps=(replace(p.steps[0], role="admin"),) + p.steps[1:]), "кто отвечает"),
    (lambda p: replace(p, steps=(p.steps[1], p.steps[0]) + p.steps[2:]), "раньше"),  # counted from a later step
    (lambda p: replace(p, steps=(replace(p.steps[0], deadline=Deadline("period_end", 400)),) + p.steps[1:]),
     "число дней"),
    (lambda p: replace(p, steps=(replace(p.steps[0], deadline=Deadline("year_end", 2, "holiday")),) + p.steps[1:]),
     "дни каникул"),
    (lambda p: replace(p, steps=(replace(p.steps[0], grades=(12,)),) + p.steps[1:]), "классы"),
])
def test_a_procedure_that_cannot_be_used_is_refused_in_russian(change, message):
    with pytest.raises(ProcedureError, match=message):
        check(change(REF003))


def test_malformed_stored_data_is_refused_not_guessed():
    data = as_dict(REF003)
    data["steps"][0]["deadline"] = {"event": "period_end", "days": 7}
    with pytest.raises(ProcedureError, match="неверном виде"):
        from_dict(data)
    with pytest.raises(ProcedureError, match="неверном виде"):
        from_dict({"title": "без шагов"})


def test_deadlines_in_words():
    titles = {s.code: s.title for s in REF003.steps}
    assert REF000.deadline_words(REF000.step("teachers_signed")) == "3-й день каникул"
    assert REF003.deadline_words(REF003.step("files_formed")) == "7 календарных дней после окончания периода"
    assert REF003.deadline_words(REF003.step("deputy_checked")) == \
        f"3 рабочих дня после срока шага «{titles['files_formed']}»"
    assert REF003.deadline_words(REF003.step("second_copy")) == "срок не установлен"
    assert REF003.deadline_words(REF003.step("paper_printed")) == "до 30 июня"
    assert REF004.deadline_words(REF004.step("monthly_backup")) == \
        "1 рабочий день после конца месяца, в котором кончается период"
