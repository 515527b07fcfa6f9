"""ЭлЖур's answers read as the snapshot holds them: dates, period names, mark values, and one
class's journal put together from each student's diary, marks and period marks (`ClassBuild`).

The mapping rules are in the docstring of `eljur.py`; the conversation with ЭлЖур is there too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping

from archive_service.adapters.sources.base import SourceShapeError

SYSTEM_TITLE = "ЭлЖур"
NO_HOMEWORK = "Без задания"
_ABSENCES = {"н": "Н", "Н": "Н", "оп": "О", "ОП": "О"}
_WORDS = {"зач": "зач", "зачет": "зач", "зачёт": "зач", "незач": "незач", "незачет": "незач", "незачёт": "незач"}
_PERIOD_WORDS = {**_WORDS, "н/а": "н/а", "осв": "осв", "освобожден": "осв", "освобождён": "осв"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_KINDS = {"четверть": "Q", "полугодие": "H", "триместр": "T"}
_PERIOD_NAME = re.compile(r"^(?:(\d|iv|i{1,3})\s*(?:-?я|-?е|-?й)?\s*(четверть|полугодие|триместр)"
                          r"|(четверть|полугодие|триместр)\s*(\d|iv|i{1,3}))$")
KIND_OF = {"Q": ("quarter", 4), "H": ("half_year", 2), "T": ("trimester", 3)}


def _day(value: Any, where: str) -> dt.date:
    try:
        text = str(value)
        return dt.date.fromisoformat(text) if "-" in text else dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise SourceShapeError(f"ЭлЖур: {where}: «{value}» — не дата") from None


def period_code(name: str) -> str:
    """Q1–Q4, H1–H2, T1–T3 or `year` for an ЭлЖур period name; anything else is refused."""
    text = " ".join(name.lower().split())
    if text in ("год", "учебный год", "годовая", "итоговая за год"):
        return "year"
    m = _PERIOD_NAME.match(text)
    if m:
        number, kind = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        n = _ROMAN.get(number) or int(number)
        prefix = _KINDS[kind]
        if 1 <= n <= KIND_OF[prefix][1]:
            return f"{prefix}{n}"
    raise SourceShapeError(f"ЭлЖур: период «{name}» не удаётся сопоставить с четвертью, полугодием, триместром "
                           "или годом; формат снимка других периодов не знает")


def lesson_mark(value: str, notes: list[str], who: str) -> int | str:
    """A lesson mark's value as the snapshot takes it (1–5, «зач», «незач»)."""
    return _mark(value, _WORDS, notes, who, "допустимы 1–5, «зач», «незач»")


def period_mark(value: str, notes: list[str], who: str) -> int | str:
    return _mark(value, _PERIOD_WORDS, notes, who, "допустимы 1–5, «н/а», «зач», «незач», «осв»")


def _mark(value: str, words: Mapping[str, str], notes: list[str], who: str, allowed: str) -> int | str:
    text = str(value).strip()
    if text in ("1", "2", "3", "4", "5"):
        return int(text)
    if len(text) == 2 and text[0] in "12345" and text[1] in "+-":
        notes.append(f"{who}: отметка «{text}» записана как {text[0]} — знаки «+» и «-» формат снимка не хранит")
        return int(text[0])
    if text.lower() in words:
        return words[text.lower()]
    raise SourceShapeError(f"ЭлЖур: {who}: отметка «{text}» не переводится в формат снимка ({allowed})")


def _need(obj: Any, key: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj or obj[key] is None:
        raise SourceShapeError(f"ЭлЖур: в ответе {where} нет поля «{key}»")
    return obj[key]


def _values(obj: Any, where: str) -> list:
    """ЭлЖур sends some collections as an object keyed by id and some as a list."""
    if isinstance(obj, dict):
        return list(obj.values())
    if isinstance(obj, list):
        return obj
    raise SourceShapeError(f"ЭлЖур: в ответе {where} ожидался список или объект")


@dataclass
class _Subject:
    lesson_id: str
    name: str
    grp: str
    teachers: Counter = field(default_factory=Counter)
    students: set = field(default_factory=set)
    lessons: dict = field(default_factory=dict)  # (date, num) -> lesson dict
    period_marks: list = field(default_factory=list)


class ClassBuild:
    """The whole class put together from each student's diary, marks and period marks."""

    def __init__(self, end: dt.date, notes: list[str], teacher_ids: dict[str, str]):
        self.end, self.notes, self.teacher_ids = end, notes, teacher_ids
        self._subjects: dict[tuple[str, str], _Subject] = {}
        self._taken: dict[tuple[str, str], list[_Subject]] = {}  # (student, lesson_id) -> subjects

    def add_diary(self, sid: str, record: dict) -> None:
        for day in _values(_need(record, "days", "getdiary") or {}, "getdiary (days)"):
            date = _day(_need(day, "name", "getdiary (days)"), "день дневника")
            if date > self.end:
                continue  # scheduled lessons after the export moment are not journal yet
            for item in _values(day.get("items") or {}, "getdiary (items)"):
                self._add_item(sid, date, item)

    def _add_item(self, sid: str, date: dt.date, item: dict) -> None:
        lesson_id = str(_need(item, "lesson_id", "getdiary (items)"))
        grp = str(item.get("grp") or "")
        subject = self._subjects.get((lesson_id, grp))
        if subject is None:
            subject = self._subjects[(lesson_id, grp)] = _Subject(lesson_id, str(_need(item, "name", "getdiary")), grp)
        if subject not in self._taken.setdefault((sid, lesson_id), []):
            self._taken[(sid, lesson_id)].append(subject)
        subject.students.add(sid)
        teacher = str(_need(item, "teacher", "getdiary (items)")).strip()
        if not teacher:
            raise SourceShapeError(f"ЭлЖур: в дневнике ученика {sid} у урока «{subject.name}» {date.isoformat()} "
                                   "пустое поле «teacher» (учитель)")
        subject.teachers[teacher] += 1
        num = int(_need(item, "num", "getdiary (items)"))
        lesson = subject.lessons.setdefault((date, num), {"date": date, "topic": None, "homework": {},
                                                          "marks": [], "absences": [], "teacher": teacher})
        if lesson["teacher"] != teacher:
            raise SourceShapeError(f"ЭлЖур: у урока «{subject.name}» {date.isoformat()} ({num}-й урок) в дневниках "
                                   f"учеников разные учителя: «{lesson['teacher']}» и «{teacher}»")
        topic = str(item.get("topic") or "").strip()
        lesson["topic"] = lesson["topic"] or topic or None
        for hw in _values(item.get("homework") or {}, "getdiary (homework)"):
            if not hw.get("individual") and str(hw.get("value") or "").strip():
                lesson["homework"][str(hw.get("id"))] = str(hw["value"]).strip()

    def add_marks(self, sid: str, record: dict) -> None:
        for subject_marks in _need(record, "lessons", "getmarks"):
            lesson_id = str(_need(subject_marks, "lesson_id", "getmarks (lessons)"))
            name = str(subject_marks.get("name") or lesson_id)
            for mark in _need(subject_marks, "marks", "getmarks (lessons)"):
                self._add_mark(sid, lesson_id, name, mark)

    def _add_mark(self, sid: str, lesson_id: str, name: str, mark: dict) -> None:
        value = str(_need(mark, "value", "getmarks (marks)")).strip()
        date = _day(_need(mark, "date", "getmarks (marks)"), "дата отметки")
        if date > self.end:
            return
        who = f"ученик {sid}, «{name}», {date.isoformat()}"
        if value in _ABSENCES:
            lessons = self._lessons_on(sid, lesson_id, date, who)
            free = [les for les in lessons if all(a["student_id"] != sid for a in les["absences"])]
            if free:
                free[0]["absences"].append({"student_id": sid, "code": _ABSENCES[value]})
            return
        if _need(mark, "count", "getmarks (marks)") is False:
            # not counted by ЭлЖур itself (a debt, a dot, a comment): not a mark, but said
            self.notes.append(f"{who}: запись «{value}» ЭлЖур не учитывает как отметку (count=false), "
                              "в снимок она не взята")
            return
        work_type = str(_need(_need(mark, "mtype", "getmarks (marks)"), "type", "getmarks (marks.mtype)"))
        self._lessons_on(sid, lesson_id, date, who)[0]["marks"].append(
            {"student_id": sid, "value": lesson_mark(value, self.notes, who), "work_type": work_type,
             "set_on": date.isoformat()})

    def _lessons_on(self, sid: str, lesson_id: str, date: dt.date, who: str) -> list[dict]:
        lessons = [les for subject in self._taken.get((sid, lesson_id), [])
                   for (day, _num), les in sorted(subject.lessons.items()) if day == date]
        if not lessons:
            raise SourceShapeError(f"ЭлЖур: {who}: отметка за день, в который в дневнике ученика нет урока "
                                   "этого предмета")
        return lessons

    def add_finals(self, sid: str, record: dict, code: str) -> None:
        for item in _need(record, "items", "getfinalassessments"):
            name = str(_need(item, "name", "getfinalassessments (items)"))
            for a in _need(item, "assessments", "getfinalassessments (items)"):
                value = str(_need(a, "value", "getfinalassessments (assessments)")).strip()
                mark_code = period_code(str(_need(a, "period", "getfinalassessments (assessments)")))
                if not value or (code != "year" and mark_code != code):
                    continue
                subjects = {s.name: s for (s_sid, _), subs in self._taken.items() if s_sid == sid for s in subs}
                if name not in subjects:
                    raise SourceShapeError(f"ЭлЖур: итоговая отметка ученика {sid} по предмету «{name}», "
                                           "которого нет в его дневнике за период")
                subjects[name].period_marks.append({"student_id": sid, "period": mark_code, "value": period_mark(
                    value, self.notes, f"ученик {sid}, «{name}», итог за {mark_code}")})

    def _substitute(self, given_by: str, subject_teacher: str) -> dict:
        """The lesson's `teacher` when the diary names another teacher than the subject's (who gave most of
        its lessons): a substitute. ЭлЖур gives a name only; its id is the one `getrules` gives a class
        teacher of that name, else the name itself (as for the subject's teacher)."""
        if given_by == subject_teacher:
            return {}
        return {"teacher": {"id": self.teacher_ids.get(given_by, given_by), "full_name": given_by}}

    def subjects(self, start: dt.date, end: dt.date) -> list[dict]:
        weeks = ((end - start).days + 1) / 7
        out = []
        for (lesson_id, grp), s in sorted(self._subjects.items(), key=lambda kv: (kv[1].name, kv[1].grp)):
            teacher = s.teachers.most_common(1)[0][0]
            subject_id = lesson_id if not grp else f"{lesson_id}-{grp}"[:64]
            lessons = [{"id": f"{subject_id[:40]}-{day:%Y%m%d}-{num}", "date": day.isoformat(),
                        "topic": les["topic"],
                        "homework": "\n".join(v for _, v in sorted(les["homework"].items())) or NO_HOMEWORK,
                        "marks": les["marks"], "absences": les["absences"],
                        **self._substitute(les["teacher"], teacher)}
                       for (day, num), les in sorted(s.lessons.items())]
            subject = {"id": subject_id, "name": s.name,
                       "teacher": {"id": self.teacher_ids.get(teacher, teacher), "full_name": teacher},
                       "hours_per_week": max(round(len(lessons) / weeks, 1), 0.1),
                       "lessons": lessons, "period_marks": s.period_marks}
            if grp:
                subject["group"] = {"name": grp, "student_ids": sorted(s.students, key=lambda x: (len(x), x))}
            out.append(subject)
        return out
