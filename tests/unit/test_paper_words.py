"""What the register, the inventory and the acts print for people, periods, sizes and classes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from archive_service.domain.actor import UNNAMED_AT_TERMINAL, known_name, printed_name
from archive_service.domain.class_names import class_sort_key
from archive_service.rendering.backup_papers import journal_row, set_mark, set_periods, set_words
from archive_service.rendering.registers import extreme_dates, inventory
from archive_service.rendering.registers_text import NBSP, megabytes, signature_name, typeset, without_paths


def test_classes_sort_by_grade_as_a_number_then_by_letter():
    names = ["10А", "1Б", "11А", "2А", "1А", "10Б", "5Ё", "5Е", "5Ж", "подготовительный"]
    assert sorted(names, key=class_sort_key) == ["1А", "1Б", "2А", "5Е", "5Ё", "5Ж", "10А", "10Б", "11А",
                                                 "подготовительный"]


def test_the_terminal_account_is_never_printed_and_a_name_is_printed_as_it_is():
    assert printed_name("cli:root") == UNNAMED_AT_TERMINAL == "администратор (командная строка)"
    assert known_name("cli:petrova") == "" and known_name("Петрова А. С.") == "Петрова А. С."
    assert printed_name("Иванова Татьяна Петровна") == "Иванова Татьяна Петровна"


@pytest.mark.parametrize("text, printed", [
    ("МБОУ СОШ № 21", f"МБОУ СОШ №{NBSP}21"),
    ("акт № 1/2027", f"акт №{NBSP}1/2027"),
    ("20__ г.", f"20__{NBSP}г."),
    ("5 лет; 12 л.", f"5{NBSP}лет; 12{NBSP}л."),
    ("Иванова Т. П.", f"Иванова{NBSP}Т.{NBSP}П."),
    ("2026/2027, II четверть", "2026/2027, II четверть"),
])
def test_russian_typography_joins_what_must_not_be_broken(text, printed):
    assert typeset(text) == printed


def test_sizes_have_a_decimal_comma_and_names_under_a_signature_their_initials_first():
    assert megabytes(27_600_000) == f"27,6{NBSP}МБ" and megabytes(800_000) == f"0,8{NBSP}МБ"
    assert signature_name("Сергеева Ольга Викторовна") == f"О.{NBSP}В.{NBSP}Сергеева"
    assert signature_name("director") == "director"


def test_a_server_path_becomes_words_and_slashes_of_numbers_stay():
    assert without_paths("восстановлена в /srv/archive/restore/bag (ключ архива открыт)") == \
        "восстановлена в папку на сервере (ключ архива открыт)"
    for kept in ("реестр № 1/2027", "2026/2027, II четверть", "н/а", "папка «2026/2027»"):
        assert without_paths(kept) == kept


def test_sets_are_named_by_their_periods_and_the_tail_of_their_identifier():
    assert set_periods("Q2,H1") == "II четверть, I полугодие" and set_periods("Q2, H1") == "II четверть, I полугодие"
    assert set_periods("year") == "учебный год" and set_periods("месяц 2026-12") == "ежемесячная копия: декабрь 2026 г."
    set_id = "2026-2027-Q2-20270110T090000-d4aee0a7"
    assert set_mark(set_id) == "d4aee0a7"
    sets = {set_id: {"academic_year": "2026/2027", "periods": "Q2"}}
    assert set_words(set_id, sets) == "2026/2027, II четверть (d4aee0a7)" and set_words("*", sets) == "все наборы"


def test_a_journal_line_is_printed_in_school_time_without_accounts_or_paths():
    row = {"seq": 7, "at": "2027-01-10T21:30:00+00:00", "person": "cli:root", "role": "заместитель директора",
           "medium": "Носитель A, Носитель B", "set_id": "x-d4aee0a7", "action": "восстановление",
           "purpose": "проверка", "result": "восстановлена в /tmp/r/bag (ключ архива открыт cli:root)"}
    shown = journal_row(row, {}, ZoneInfo("Europe/Moscow"))
    assert shown["at"] == "11.01.2027 00:30" and shown["person"] == UNNAMED_AT_TERMINAL
    assert shown["result"] == f"восстановлена в папку на сервере (ключ архива открыт {UNNAMED_AT_TERMINAL})"


def _row(number: int, class_name: str, first: str = "2026-11-05", kind: str = "class_journal") -> dict:
    return {"year": 2027, "number": number, "case_index": "02-14", "title": f"Копия, {class_name} класс",
            "period": "2026/2027, II четверть", "sheets": 4, "status": "in_archive", "retention_end": "2033-01-01",
            "superseded": None, "kind": kind, "class_name": class_name, "first_date": first,
            "last_date": "2026-12-25"}


def test_the_inventory_lists_periods_in_time_and_classes_in_natural_order_with_extreme_dates():
    rows = [_row(1, "10А"), _row(2, "1А"), _row(3, "2А", "2026-09-01"), _row(4, "11А")]
    listed = inventory(rows, {"class_journal": 5, "summary_sheet": 25})
    assert [r["class_name"] for r in listed] == ["2А", "1А", "10А", "11А"]  # the earlier quarter first
    assert listed[1]["dates"] == "05.11.2026–25.12.2026" and listed[0]["position"] == 1
    assert extreme_dates({"period": "2026/2027, учебный год"}) == "01.09.2026–31.08.2027"  # dates unknown
