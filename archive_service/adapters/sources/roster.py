"""The school's register: the roster facts a journal system's API does not give, from the school's records.

`journal-snapshot/1` needs per student a birth date and the dates of arriving in or leaving the
class within the period, and the school's director. ЭлЖур's API has none of these, Дневник.ру's
has no arrival or leaving dates, NetSchool's roster endpoint is inferred (journal-systems.md: U).
A connector never makes them up: it takes them from this register, a JSON file the school keeps
(path in `Credentials.extra["register"]`; format in docs/connecting.md, «Реестр школы»):

    {"school": {"id": "…", "director": "Фамилия Имя Отчество", "director_position": "Директор"},
     "students": {"<the system's student id>": {"class": "5А", "full_name": "…",
                                                 "birth_date": "2015-03-14",
                                                 "enrolled_on": "2026-11-16", "left_on": null}}}

`enrolled_on` is the day the student arrived in the class (null: before the school year's
periods in question), `left_on` the day they left (null: still in the class). A file that cannot
be read stops with a Russian message naming the line (bad JSON) or the student and field.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from archive_service.adapters.sources.base import Credentials, SourceError

_STUDENT_FIELDS = ("class", "full_name", "birth_date", "enrolled_on", "left_on")


@dataclass(frozen=True)
class StudentFacts:
    """What the school's register says of one student."""

    class_name: str
    birth_date: str  # ISO date
    full_name: str = ""  # the name in the school's records (used where the system gives none)
    enrolled_on: str | None = None  # arrived in the class (None: before the period)
    left_on: str | None = None  # left the class (None: still in it)

    def present_during(self, start: dt.date, end: dt.date) -> bool:
        """In the class on at least one day of [start, end]."""
        return not (self.left_on and self.left_on < start.isoformat()) and \
            not (self.enrolled_on and self.enrolled_on > end.isoformat())

    def present_on(self, day: dt.date) -> bool:
        """In the class on `day` (a leaver's last day is `left_on`, an arrival's first `enrolled_on`)."""
        return not (self.enrolled_on and day.isoformat() < self.enrolled_on) and \
            not (self.left_on and day.isoformat() > self.left_on)


@dataclass(frozen=True)
class SchoolRegister:
    """The facts `journal-snapshot/1` needs that a system's API lacks, keyed by the system's student id."""

    director: str = ""
    director_position: str = "Директор"
    school_id: str = ""  # the archive's school id; empty: the connector's own
    students: Mapping[str, StudentFacts] = field(default_factory=dict)

    def facts(self, student_id: str) -> StudentFacts | None:
        return self.students.get(str(student_id))

    def in_class(self, class_name: str, start: dt.date, end: dt.date) -> dict[str, StudentFacts]:
        """The register's students of the class on at least one day of the period, by id."""
        return {sid: f for sid, f in self.students.items()
                if f.class_name == class_name and f.present_during(start, end)}

    @classmethod
    def from_dict(cls, data: Any, *, system: str = "журнальной системы",
                  director_required: bool = False) -> "SchoolRegister":
        """The register from its JSON object; `system` (genitive: «ЭлЖура») names it in messages."""
        def wrong(where: str) -> SourceError:
            return SourceError(f"Реестр школы для {system} заполнен неверно: {where}")

        if not isinstance(data, dict):
            raise wrong("ожидался объект с полями «school» и «students»")
        school = data.get("school", {})
        if not isinstance(school, dict):
            raise wrong("поле «school» должно быть объектом")
        director = str(school.get("director") or "").strip()
        if director_required and not director:
            raise wrong("нет поля «school» → «director» (ФИО директора)")
        students_in = data.get("students", {})
        if not isinstance(students_in, dict):
            raise wrong("поле «students» должно быть объектом: ключ — id ученика в системе")
        students = {str(sid): _student_facts(s, f"«students» → «{sid}»", wrong) for sid, s in students_in.items()}
        return cls(director=director, director_position=str(school.get("director_position") or "Директор"),
                   school_id=str(school.get("id") or ""), students=students)

    @classmethod
    def from_file(cls, path: Path, *, system: str = "журнальной системы",
                  director_required: bool = False) -> "SchoolRegister":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise SourceError(f"Не удалось прочитать реестр школы для {system}: {path}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(f"Реестр школы для {system} ({path}) — не JSON: строка {exc.lineno}, "
                              f"позиция {exc.colno}") from None
        return cls.from_dict(data, system=system, director_required=director_required)


def register_from(credentials: Credentials, *, system: str, director_required: bool = False) -> SchoolRegister | None:
    """The register named by `extra["register"]`, or None when the source has none."""
    path = (credentials.extra or {}).get("register")
    return SchoolRegister.from_file(Path(path), system=system, director_required=director_required) if path else None


def _student_facts(s: Any, where: str, wrong: Callable[[str], SourceError]) -> StudentFacts:
    """One student's entry of the register, checked field by field."""
    if not isinstance(s, dict):
        raise wrong(f"{where} должно быть объектом")
    unknown = sorted(set(s) - set(_STUDENT_FIELDS))
    if unknown:
        raise wrong(f"{where}: неизвестное поле «{unknown[0]}» (допустимы: {', '.join(_STUDENT_FIELDS)})")
    for name in ("class", "birth_date"):
        if not str(s.get(name) or "").strip():
            raise wrong(f"{where}: нет поля «{name}»")
    facts = StudentFacts(class_name=str(s["class"]).strip(),
                         birth_date=_iso(s["birth_date"], f"{where} → «birth_date»", wrong),
                         full_name=str(s.get("full_name") or "").strip(),
                         enrolled_on=_iso(s["enrolled_on"], f"{where} → «enrolled_on»", wrong)
                         if s.get("enrolled_on") else None,
                         left_on=_iso(s["left_on"], f"{where} → «left_on»", wrong) if s.get("left_on") else None)
    if facts.enrolled_on and facts.left_on and facts.left_on < facts.enrolled_on:
        raise wrong(f"{where}: дата выбытия «left_on» {facts.left_on} раньше даты прибытия "
                    f"«enrolled_on» {facts.enrolled_on}")
    return facts


def _iso(value: Any, where: str, wrong: Any) -> str:
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise wrong(f"{where}: «{value}» — не дата в формате ГГГГ-ММ-ДД") from None
