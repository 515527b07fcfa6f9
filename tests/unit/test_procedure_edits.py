"""Editing a school's copy of a procedure: each change gives a checked procedure and says in Russian
what changed; a change that would leave the procedure unusable is refused with a Russian message."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from archive_service.domain import procedure_edits as edits
from archive_service.domain.procedures import Deadline, ProcedureError
from archive_service.domain.ready_procedures import REF000, REF003

COPY = replace(REF003, key="school_1", title="Наш порядок", based_on="ref003")


def codes(procedure) -> list[str]:
    return [s.code for s in procedure.steps]


def test_renaming_the_procedure_says_both_titles_and_an_empty_title_is_refused():
    changed, what = edits.rename_procedure(COPY, "  Порядок 2027  ")
    assert changed.title == "Порядок 2027" and what == "название порядка: «Наш порядок» → «Порядок 2027»"
    with pytest.raises(ProcedureError, match="название порядка не может быть пустым"):
        edits.rename_procedure(COPY, "   ")
    with pytest.raises(ProcedureError, match="от 1 до 120 знаков"):
        edits.rename_procedure(COPY, "я" * 121)


def test_an_added_step_goes_last_with_a_new_code_and_no_deadline():
    changed, what = edits.add_step(COPY, "Журнал сдан в архив", "secretary", performer="секретарь")
    added = changed.steps[-1]
    assert (added.code, added.title, added.role, added.deadline, added.performer) == (
        "step_1", "Журнал сдан в архив", "secretary", None, "секретарь")
    assert what == "добавлен шаг «Журнал сдан в архив»" and codes(changed)[:-1] == codes(COPY)
    assert edits.add_step(changed, "Ещё шаг", "deputy").procedure.steps[-1].code == "step_2"
    with pytest.raises(ProcedureError, match="должно быть название"):
        edits.add_step(COPY, " ", "deputy")
    with pytest.raises(ProcedureError, match="выберите, кто отвечает за шаг"):
        edits.add_step(COPY, "Шаг", "inspector")


def test_a_step_others_depend_on_cannot_be_removed_and_a_free_one_can():
    with pytest.raises(ProcedureError, match="«Файлы журналов сформированы» нельзя удалить: от него зависит "
                                             "«Заместитель директора проверил файлы»"):
        edits.remove_step(COPY, "files_formed")
    changed, what = edits.remove_step(COPY, "graduates_final")
    assert "graduates_final" not in codes(changed) and what == "удалён шаг «Окончательная версия выпускных классов»"


def test_moving_a_step_keeps_it_after_the_steps_it_depends_on():
    changed, what = edits.move_step(COPY, "graduates_final", -1)
    assert codes(changed)[2:4] == ["graduates_final", "second_copy"] and what.endswith("перемещён выше")
    assert codes(edits.move_step(changed, "graduates_final", 1).procedure) == codes(COPY)
    with pytest.raises(ProcedureError, match="не может стоять раньше шага «Файлы журналов сформированы»"):
        edits.move_step(COPY, "deputy_checked", -1)
    with pytest.raises(ProcedureError, match="уже первый"):
        edits.move_step(COPY, "files_formed", -1)
    with pytest.raises(ProcedureError, match="уже последний"):
        edits.move_step(COPY, "director_signed", 1)


def test_a_deadline_change_says_the_old_and_the_new_deadline_in_words():
    changed, what = edits.set_deadline(COPY, "deputy_checked", Deadline("step", 5, "working", "files_formed"))
    assert changed.step("deputy_checked").deadline == Deadline("step", 5, "working", "files_formed")
    assert what == ("срок шага «Заместитель директора проверил файлы»: 3 рабочих дня после срока шага «Файлы "
                    "журналов сформированы» → 5 рабочих дней после срока шага «Файлы журналов сформированы»")
    assert edits.set_deadline(COPY, "files_formed", None).what.endswith("→ срок не установлен")


def test_a_deadline_counted_from_a_later_step_or_itself_is_refused():
    with pytest.raises(ProcedureError, match="только от шага, который стоит в порядке раньше"):
        edits.set_deadline(COPY, "files_formed", Deadline("step", 1, "working", "deputy_checked"))
    with pytest.raises(ProcedureError, match="от срока самого шага"):
        edits.set_deadline(COPY, "files_formed", Deadline("step", 1, "working", "files_formed"))
    with pytest.raises(ProcedureError, match="дни каникул считаются только от окончания периода"):
        edits.set_deadline(COPY, "files_formed", Deadline("year_end", 1, "holiday"))


def test_the_deadline_fields_are_read_with_russian_refusals():
    assert edits.parse_deadline("none", "", "calendar") is None
    assert edits.parse_deadline("gia_results", " 3 ", "working", "files_formed") == Deadline("gia_results", 3,
                                                                                              "working")
    for count, message in (("пять", "целое число от 0 до 366"), ("367", "от 0 до 366"), ("-1", "от 0 до 366")):
        with pytest.raises(ProcedureError, match=message):
            edits.parse_deadline("period_end", count, "calendar")
    with pytest.raises(ProcedureError, match="выберите шаг"):
        edits.parse_deadline("step", "1", "working", "")
    with pytest.raises(ProcedureError, match="от чего считается срок"):
        edits.parse_deadline("tomorrow", "1", "working")


def test_role_scope_grades_and_the_step_it_follows_change_with_their_words():
    assert edits.set_role(COPY, "second_copy", "secretary").what == (
        "отвечает за шаг «Вторая копия на съёмном диске в сейфе»: заместитель директора → секретарь")
    changed, what = edits.set_scope(COPY, "second_copy", "year_end", edits.parse_grades("11; 9 9"))
    assert changed.step("second_copy").grades == (9, 11)
    assert what == ("шаг «Вторая копия на съёмном диске в сейфе» относится: каждый период, все классы → только "
                    "последний период учебного года, классы 9, 11")
    changed, what = edits.set_after(COPY, "second_copy", "")
    assert changed.step("second_copy").after == "" and what.endswith("после шага «Заместитель директора проверил "
                                                                     "файлы» → не ждёт другого шага")
    with pytest.raises(ProcedureError, match="должен стоять в порядке раньше"):
        edits.set_after(COPY, "files_formed", "director_signed")
    with pytest.raises(ProcedureError, match="после самого себя"):
        edits.set_after(COPY, "files_formed", "files_formed")
    for text in ("12", "девятые"):
        with pytest.raises(ProcedureError, match="классы — числа от 1 до 11"):
            edits.parse_grades(text)


def test_the_step_form_changes_only_what_differs_and_says_each_change():
    step = COPY.step("second_copy")
    same = dict(title=step.title, hint=step.hint, performer=step.performer, role=step.role, deadline=step.deadline,
                scope=step.scope, grades=step.grades, after=step.after)
    assert edits.edit_step(COPY, "second_copy", **same) == (COPY, "")
    changed, what = edits.edit_step(COPY, "second_copy", **{**same, "title": "Копия в сейфе", "performer": "",
                                                           "deadline": Deadline("period_end", 10, "calendar")})
    assert changed.step("second_copy").title == "Копия в сейфе" and changed.step("second_copy").performer == ""
    assert what == ("название шага «Вторая копия на съёмном диске в сейфе» → «Копия в сейфе»; кто выполняет шаг "
                    "«Копия в сейфе»: «администратор ЭЖ» → «не указано»; срок шага «Копия в сейфе»: срок не "
                    "установлен → 10 календарных дней после окончания периода")
    with pytest.raises(ProcedureError, match="должно быть название"):
        edits.edit_step(COPY, "second_copy", **{**same, "title": ""})


def test_a_ready_procedure_is_never_changed_in_place():
    edits.rename_step(REF000, "marks_checked", "Отметки проверены")
    assert REF000.step("marks_checked").title == "Итоговые отметки проверены"  # frozen: a new procedure is made


def test_a_date_field_is_read_or_refused_in_russian():
    assert edits.parse_day("2027-06-28") == dt.date(2027, 6, 28)
    with pytest.raises(ProcedureError, match="укажите дату полностью"):
        edits.parse_day("28.06")
