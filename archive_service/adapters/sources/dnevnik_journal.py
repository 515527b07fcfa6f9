"""Дневник.ру's journal of a group as the snapshot holds it: subjects with their teacher and hours,
lessons with topic and homework, lesson and period marks, attendance (the rules are in the
docstring of `dnevnik.py`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from archive_service.adapters.sources.base import PeriodRef
from archive_service.adapters.sources.dnevnik_wire import (_MARK5, ABSENCE_CODES, PASS_WORDS, PERIOD_WORDS, PRESENT,
                                                           TEACHER_KEYS, _day, _field, _full_name, _list, _shape,
                                                           map_period, period_code)


class DnevnikJournal:
    """The mapping of a group's answers; what the snapshot cannot hold is said in `notes`."""

    notes: list[str]

    def _subjects(self, pull: dict, group: dict, is_subgroup: bool, roster: set[str], teachers: dict[int, dict],
                  work_types: dict, period: PeriodRef, start: dt.date, until: dt.date) -> list[dict]:
        gid = pull["id"]
        for sid in pull["members"]:
            if sid not in roster:
                raise _shape(f"в подгруппе «{group.get('name')}» есть ученик {sid}, которого нет в списке класса: "
                             "выбывший ученик, а дату выбытия Дневник.ру не сообщает — подключите реестр школы")
        by_subject: dict[Any, list[dict]] = defaultdict(list)
        for le in pull["lessons"]:
            if _day(_field(le, "date", "lessons"), "lessons") <= until:
                by_subject[_field(_field(le, "subject", "lessons"), "id", "lessons.subject")].append(le)
        lesson_out = {str(_field(le, "id", "lessons")): self._lesson(le) for ls in by_subject.values() for le in ls}
        final_works = self._final_works(pull["final"], gid)
        self._lesson_marks(pull["marks"], lesson_out, final_works, roster, work_types, until)
        self._absences(pull["log"], lesson_out, roster)
        period_marks = self._period_marks(pull["final"], final_works, period, roster, gid)
        weeks = ((until - start).days + 1) / 7
        out = []
        for subject_id, lessons in by_subject.items():
            entry = self._subject(gid, subject_id, lessons, lesson_out, teachers, weeks)
            self._substitutes(entry, lessons, lesson_out, teachers)
            entry["period_marks"] = period_marks.pop(subject_id, [])
            if is_subgroup:
                entry["group"] = {"name": _field(group, "name", "edu-groups"), "student_ids": pull["members"]}
            out.append(entry)
        if period_marks:
            raise _shape(f"есть итоговые отметки по предмету {sorted(period_marks)[0]}, по которому в периоде нет "
                         "уроков: часы в неделю и учителя не узнать")
        return out

    @staticmethod
    def _subject(gid: str, subject_id: Any, lessons: list[dict], lesson_out: dict[str, dict],
                 teachers: dict[int, dict], weeks: float) -> dict[str, Any]:
        """A subject of a group: its teacher (who gave most of its lessons), hours a week, lessons."""
        subject_name = _field(lessons[0]["subject"], "name", "lessons.subject")
        counted = Counter(tid for le in lessons for tid in (le.get("teachers") or []))
        if not counted:
            raise _shape(f"у уроков предмета «{subject_name}» нет учителя (поле «teachers»)")
        tid = counted.most_common(1)[0][0]
        if tid not in teachers:
            raise _shape(f"учителя {tid} предмета «{subject_name}» нет в списке учителей школы")
        hours = round(len(lessons) / weeks, 1) if weeks > 0 else 0
        return {
            "id": f"{gid}-{subject_id}", "name": subject_name,
            "teacher": {"id": str(tid), "full_name": _full_name(teachers[tid], "schools/{s}/teachers", TEACHER_KEYS)},
            "hours_per_week": int(hours) if hours == int(hours) else hours,
            "lessons": sorted((lesson_out[str(le["id"])] for le in lessons), key=lambda x: (x["date"], x["id"])),
        }

    def _substitutes(self, entry: dict, lessons: list[dict], lesson_out: dict[str, dict],
                     teachers: dict[int, dict]) -> None:
        """A lesson whose `teachers` do not include the subject's teacher was given by a substitute: the
        lesson's `teacher`. Several other teachers on one lesson: the snapshot holds one, the first is
        taken and the rest are said in `notes`."""
        own = entry["teacher"]["id"]
        for le in lessons:
            given = [tid for tid in le.get("teachers") or []]
            if not given or own in {str(tid) for tid in given}:
                continue
            for tid in given:
                if tid not in teachers:
                    raise _shape(f"учителя {tid} урока {le['id']} («{entry['name']}») нет в списке учителей школы")
            lesson = lesson_out[str(le["id"])]
            lesson["teacher"] = {"id": str(given[0]),
                                 "full_name": _full_name(teachers[given[0]], "schools/{s}/teachers", TEACHER_KEYS)}
            if len(given) > 1:
                self.notes.append(f"урок «{entry['name']}» {lesson['date']}: учителей несколько, в снимок записан "
                                  f"первый ({lesson['teacher']['full_name']}), остальные не записаны")

    @staticmethod
    def _lesson(le: dict) -> dict:
        homework = [w["text"] for w in le.get("works") or [] if w.get("type") == "Homework" and w.get("text")]
        return {"id": str(le["id"]), "date": _day(le["date"], "lessons").isoformat(), "topic": le.get("title") or None,
                "homework": "\n".join(homework) if homework else None, "marks": [], "absences": []}

    def _final_works(self, final: Any, gid: str) -> dict[Any, dict]:
        where = f"edu-groups/{gid}/final-marks"
        kinds = {_field(t, "id", where + ".workTypes"): t for t in _list(_field(final, "workTypes", where), where)}
        out = {}
        for work in _list(_field(final, "works", where), where + ".works"):
            kind = kinds.get(_field(work, "workType", where + ".works"))
            if kind is None:
                raise _shape(f"тип работы {work['workType']} итоговой работы {work.get('id')} нет в {where}.workTypes")
            if _field(kind, "isFinal", where + ".workTypes") is True:
                out[_field(work, "id", where + ".works")] = work
        return out

    def _lesson_marks(self, marks: list, lessons: dict[str, dict], final_works: dict, roster: set[str],
                      work_types: dict, until: dt.date) -> None:
        for mark in marks:
            if mark.get("work") in final_works:
                continue
            lid, person = str(_field(mark, "lesson", "marks")), str(_field(mark, "person", "marks"))
            if lid not in lessons:
                if _day(_field(mark, "date", "marks"), "marks") > until:
                    continue
                raise _shape(f"отметка {mark.get('id')} относится к уроку {lid}, которого нет среди уроков периода")
            self._on_roster(person, roster, "отметка")
            title = work_types.get(_field(mark, "workType", "marks"))
            if title is None:
                raise _shape(f"тип работы {mark['workType']} отметки {mark.get('id')} нет в work-types")
            lessons[lid]["marks"].append({"student_id": person, "value": self._value(mark, lesson=True),
                                          "work_type": title,
                                          "set_on": _day(_field(mark, "date", "marks"), "marks").isoformat()})

    def _value(self, mark: dict, *, lesson: bool) -> int | str:
        value = str(_field(mark, "value", "marks")).strip()
        if mark.get("type") == "mark5" and (m := _MARK5.fullmatch(value)):
            if m.group(2):
                self.notes.append(f"отметка «{value}» ученика {mark.get('person')} записана как {m.group(1)}: "
                                  "знаки «+» и «-» формат снимка не хранит")
            return int(m.group(1))
        words = dict(PASS_WORDS) if lesson else {**PASS_WORDS, **PERIOD_WORDS}
        if value.lower() in words:
            return words[value.lower()]
        raise _shape(f"отметка «{value}» (система «{mark.get('type')}») не сопоставлена ни с 1–5, ни с "
                     f"«зач»/«незач»{'' if lesson else ', «н/а», «осв»'}")

    @staticmethod
    def _on_roster(person: str, roster: set[str], what: str) -> None:
        if person not in roster:
            raise _shape(f"{what} ученика {person}, которого нет в списке класса: выбывший ученик, а дату выбытия "
                         "Дневник.ру не сообщает — снимок не собран; подключите реестр школы с датами выбытия")

    def _absences(self, log: list, lessons: dict[str, dict], roster: set[str]) -> None:
        for entry in log:
            status = _field(entry, "status", "lesson-log-entries")
            if status == PRESENT:
                continue
            code = ABSENCE_CODES.get(status)
            if code is None:
                raise _shape(f"статус посещаемости «{status}» не сопоставлен с Н, Б, У или О")
            lid = str(_field(entry, "lesson", "lesson-log-entries"))
            person = str(_field(entry, "person", "lesson-log-entries"))
            if lid not in lessons:
                raise _shape(f"отметка посещаемости относится к уроку {lid}, которого нет среди уроков периода")
            self._on_roster(person, roster, "отметка посещаемости")
            lessons[lid]["absences"].append({"student_id": person, "code": code})

    def _period_marks(self, final: Any, works: dict, period: PeriodRef, roster: set[str], gid: str) -> dict:
        where = f"edu-groups/{gid}/final-marks"
        out: dict[Any, list[dict]] = defaultdict(list)
        for mark in _list(_field(final, "marks", where), where + ".marks"):
            work = works.get(_field(mark, "work", where + ".marks"))
            if work is None:
                continue
            kind, number = map_period(_field(work, "periodType", where + ".works"), work.get("periodNumber"), where)
            code = period_code(kind, number)
            if period.code != "year" and code != period.code:
                continue
            person = str(_field(mark, "person", where + ".marks"))
            self._on_roster(person, roster, "итоговая отметка")
            out[_field(work, "subjectId", where + ".works")].append(
                {"student_id": person, "period": code, "value": self._value(mark, lesson=False)})
        return out
