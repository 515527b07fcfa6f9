"""The school's register (adapters/sources/roster.py): reading the file, and who is in a class when."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from archive_service.adapters.sources.base import Credentials, SourceError
from archive_service.adapters.sources.roster import SchoolRegister, StudentFacts, register_from

GOOD = {"school": {"id": "21", "director": "Сергеева Ольга Викторовна"},
        "students": {"1003": {"class": "5А", "full_name": "Васильев Олег Ильич", "birth_date": "2015-01-20",
                              "enrolled_on": "2026-11-16", "left_on": None},
                     "1004": {"class": "5А", "full_name": "Григорьева Анна Сергеевна", "birth_date": "2014-12-05",
                              "left_on": "2026-12-04"},
                     "1005": {"class": "5Б", "birth_date": "2015-02-02"}}}


def test_a_register_file_named_in_the_credentials_is_read_into_facts_by_the_systems_student_id(tmp_path: Path):
    path = tmp_path / "реестр.json"
    path.write_text(json.dumps(GOOD, ensure_ascii=False), encoding="utf-8")
    register = register_from(Credentials(url="x", extra={"register": str(path)}), system="Дневник.ру")
    assert register is not None and register.director == "Сергеева Ольга Викторовна" and register.school_id == "21"
    assert register.facts("1004") == StudentFacts(class_name="5А", birth_date="2014-12-05",
                                                  full_name="Григорьева Анна Сергеевна", left_on="2026-12-04")
    assert register.facts("9999") is None
    assert register_from(Credentials(url="x"), system="Дневник.ру") is None


def test_who_is_in_a_class_depends_on_the_arrival_and_leaving_days():
    register = SchoolRegister.from_dict(GOOD)
    assert sorted(register.in_class("5А", dt.date(2026, 11, 5), dt.date(2026, 12, 25))) == ["1003", "1004"]
    assert sorted(register.in_class("5А", dt.date(2026, 12, 5), dt.date(2026, 12, 25))) == ["1003"]
    assert sorted(register.in_class("5А", dt.date(2026, 9, 1), dt.date(2026, 10, 30))) == ["1004"]
    leaver, arrival = register.facts("1004"), register.facts("1003")
    assert leaver.present_on(dt.date(2026, 12, 4)) and not leaver.present_on(dt.date(2026, 12, 5))
    assert arrival.present_on(dt.date(2026, 11, 16)) and not arrival.present_on(dt.date(2026, 11, 15))


def test_a_file_that_is_not_json_is_refused_naming_the_line(tmp_path: Path):
    path = tmp_path / "реестр.json"
    path.write_text('{"students": {\n  "1003": {"class": "5А",\n  "birth_date": 2015-01-20}\n}}', encoding="utf-8")
    with pytest.raises(SourceError, match="Реестр школы для ЭлЖура .* не JSON: строка 3"):
        SchoolRegister.from_file(path, system="ЭлЖура")
    with pytest.raises(SourceError, match="Не удалось прочитать реестр школы для ЭлЖура"):
        SchoolRegister.from_file(tmp_path / "нет.json", system="ЭлЖура")


@pytest.mark.parametrize("change, named", [
    (lambda d: d["students"]["1003"].update(birth_date="2015-13-01"),
     "«students» → «1003» → «birth_date»: «2015-13-01» — не дата в формате ГГГГ-ММ-ДД"),
    (lambda d: d["students"]["1004"].pop("class"), "«students» → «1004»: нет поля «class»"),
    (lambda d: d["students"]["1004"].update(leftOn="2026-12-04"), "«students» → «1004»: неизвестное поле «leftOn»"),
    (lambda d: d["students"]["1003"].update(left_on="2026-11-01"),
     "«students» → «1003»: дата выбытия «left_on» 2026-11-01 раньше даты прибытия"),
    (lambda d: d.update(students=[]), "поле «students» должно быть объектом"),
])
def test_a_wrong_entry_is_refused_naming_the_student_and_the_field(change, named):
    data = json.loads(json.dumps(GOOD))
    change(data)
    with pytest.raises(SourceError, match=f"Реестр школы для Дневник.ру заполнен неверно: {named}"):
        SchoolRegister.from_dict(data, system="Дневник.ру")


def test_the_director_is_required_only_where_the_system_has_none():
    data = {"students": {}}
    assert SchoolRegister.from_dict(data, system="Дневник.ру").director == ""
    with pytest.raises(SourceError, match="нет поля «school» → «director»"):
        SchoolRegister.from_dict(data, system="ЭлЖура", director_required=True)
