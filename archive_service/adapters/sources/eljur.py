"""ЭлЖур apiv3: a class's journal for one period, assembled from the per-student diary methods.

Wire format (journal-systems.md §2; BetterJournal/EljurAPI, samplec0de/eljur-bot):

* Sign-in: `POST auth` with `login, password, vendor, devkey, out_format=json` →
  `response.result.token`. Every later call is a GET with `devkey, vendor, out_format=json,
  auth_token` in the query; answers come in `{"response": {"state", "error", "result"}}`, a
  failure is `state` 400 with an `error` text.
* `getrules` → the account's `relations` (classes with their class teacher, schools, students);
  `getperiods` → the periods with `start`/`end` as `YYYYMMDD`; per student `getdiary`,
  `getmarks`, `getfinalassessments` with `student=<id>&days=<start>-<end>`.

Credentials: `Credentials.url` is the apiv3 address (`https://api.eljur.ru/apiv3` or
`https://<vendor>.eljur.ru/apiv3`), `login` and `secret` (the password) an account's, and
`extra["devkey"]` the developer key ЭлЖур issues; `extra["vendor"]` is the school's subdomain
(taken from the address when it is `<vendor>.eljur.ru`). A token that stops working in the
middle of a pull (`state` ≠ 200 on a data call) is answered by one fresh sign-in with the
password and one repeat of the call; a second refusal is reported.

**Which account.** apiv3 has no teacher-journal methods: a class is the loop over the students
the account sees in `getrules.relations.students`. Pupil and parent accounts see only
themselves or their children and are refused (`SourceAuthError`). Whether a class-teacher or
administrator account sees every student of its class is not publicly known; use an account
that does. Since the API cannot say how many students a class has, the check is the school's
register (below): a student the register puts in the class during the period whom the account
does not see stops the pull with a message naming the students. Whether ЭлЖур still lists a
student who left during the period is also unknown; if it does not, that check stops the pull
rather than leave the leaver's marks out.

**What ЭлЖур does not give, and the register.** `journal-snapshot/1` requires each student's
birth date and the director's name; apiv3 has neither, nor enrolment/leaving dates. They come
from the school's own records as a `SchoolRegister` (constructor argument, or a JSON file named
by `extra["register"]`; shared module `roster.py`, format in docs/connecting.md). Without it, or with a student
missing from it, `fetch` raises `SourceShapeError` naming what is missing — nothing is made up.

**Mapping.** Students: `relations.students` of the class (`title` = full name). Subjects: one
per diary `lesson_id` and `grp`; a subgroup's `group` = the students whose diary has it. Lessons:
diary items by day and lesson number (after the export moment left out), topic = `topic`,
homework = the non-individual `homework` values, else «Без задания». Marks: `getmarks` entries
with `count` ≠ false (the others are named in `notes`), work type = `mtype.type`, `set_on` = the
mark's `date`, attached to that day's lesson of the subject (the first one when it has two).
Absences: `н`/`Н` → Н, `оп`/`ОП` → О (ЭлЖур's API has no Б/У reasons). Values: «5» → 5; «4-»/«5+» →
4/5 with a note in `notes` (the format has no signs); «зач»/«зачёт», «незач»/«незачёт»; any other
value (e.g. «5/4») stops the pull naming it. Period marks: `getfinalassessments` by the period's
name (only the fetched period's; a year snapshot takes them all); «н/а», «осв»/«освобождён» besides
the above.
Periods: names like «2 четверть», «II четверть», «1 полугодие», «1 триместр», «Год»; any other
name stops with `SourceShapeError` naming it; `fetch` checks the class has the period asked for
(classes may have quarters or half-years) and takes its dates from the class. `hours_per_week` =
lessons ÷ weeks of the period (inferred).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from archive_service.adapters.sources.base import (ClassRef, Credentials, PeriodRef, SourceAuthError, SourceError,
                                                   SourceInfo, SourceShapeError)
from archive_service.adapters.sources.roster import SchoolRegister, StudentFacts, register_from
from archive_service.adapters.sources.transport import Transport

__all__ = ["EljurSource", "SchoolRegister", "StudentFacts", "period_code", "lesson_mark", "period_mark"]

SYSTEM_TITLE = "ЭлЖур"
NO_HOMEWORK = "Без задания"
_ABSENCES = {"н": "Н", "Н": "Н", "оп": "О", "ОП": "О"}
_WORDS = {"зач": "зач", "зачет": "зач", "зачёт": "зач", "незач": "незач", "незачет": "незач", "незачёт": "незач"}
_PERIOD_WORDS = {**_WORDS, "н/а": "н/а", "осв": "осв", "освобожден": "осв", "освобождён": "осв"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_KINDS = {"четверть": "Q", "полугодие": "H", "триместр": "T"}
_PERIOD_NAME = re.compile(r"^(?:(\d|iv|i{1,3})\s*(?:-?я|-?е|-?й)?\s*(четверть|полугодие|триместр)"
                          r"|(четверть|полугодие|триместр)\s*(\d|iv|i{1,3}))$")
_KIND_OF = {"Q": ("quarter", 4), "H": ("half_year", 2), "T": ("trimester", 3)}


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
        if 1 <= n <= _KIND_OF[prefix][1]:
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


class EljurSource:
    """One signed-in conversation with ЭлЖур apiv3 (see the module docstring)."""

    system = "eljur"

    def __init__(self, credentials: Credentials, transport: Transport, *, register: SchoolRegister | None = None,
                 now: Callable[[], dt.datetime] | None = None):
        self.credentials = credentials
        self.transport = transport
        self.devkey = credentials.extra.get("devkey", "")
        host = urlsplit(credentials.url).hostname or ""
        self.vendor = credentials.extra.get("vendor") or (host.split(".")[0] if host.endswith(".eljur.ru")
                                                          and not host.startswith("api.") else "")
        if register is None:
            register = register_from(credentials, system="ЭлЖура", director_required=True)
        self.register = register
        self.now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self.notes: list[str] = []  # what the pull changed on the way (e.g. «4-» stored as 4)
        self._token: str | None = None
        self._rules: dict | None = None

    # -- the conversation -------------------------------------------------------------------

    def _authenticate(self) -> None:
        if not self.devkey or not self.vendor:
            raise SourceAuthError("Для ЭлЖура нужны ключ разработчика (devkey) и поддомен школы (vendor)")
        form = {"login": self.credentials.login, "password": self.credentials.secret, "vendor": self.vendor,
                "devkey": self.devkey, "out_format": "json"}
        response = self._envelope(self.transport.request("POST", "auth", data=form), "auth")
        if response["state"] != 200:
            raise SourceAuthError(f"ЭлЖур не пустил: {_error_text(response)}. Проверьте логин, пароль, "
                                  "ключ разработчика и поддомен школы")
        self._token = str(_need(response.get("result"), "token", "auth"))

    def _call(self, method: str, **params: str) -> Any:
        if self._token is None:
            self._authenticate()
        for attempt in (1, 2):
            query = {"devkey": self.devkey, "vendor": self.vendor, "out_format": "json",
                     "auth_token": self._token, **params}
            response = self._envelope(self.transport.request("GET", method, params=query), method)
            if response["state"] == 200:
                return response.get("result")
            if attempt == 1:  # the token expired or was revoked: sign in again with the password
                self._authenticate()
        raise SourceError(f"ЭлЖур отказал в запросе {method}: {_error_text(response)}")

    @staticmethod
    def _envelope(reply: Any, method: str) -> dict:
        body = reply.json(f"ЭлЖур ({method})")
        response = _need(body, "response", method)
        state = _need(response, "state", method)
        try:
            response["state"] = int(state)
        except (TypeError, ValueError):
            raise SourceShapeError(f"ЭлЖур: в ответе {method} поле «state» не число: «{state}»") from None
        return response

    def sign_in(self) -> SourceInfo:
        self._authenticate()
        rules = self._load_rules()
        relations = _need(rules, "relations", "getrules")
        groups = relations.get("groups") or {}
        classes = {name: ClassRef(id=name, name=name, grade=_int(g.get("parallel")))
                   for name, g in groups.items() if isinstance(g, dict)}
        for s in _values(relations.get("students") or {}, "getrules (relations.students)"):
            name = str(_need(s, "class", "getrules (relations.students)"))
            classes.setdefault(name, ClassRef(id=name, name=name, grade=_int(s.get("parallel"))))
        periods = self._periods(None)
        schools = relations.get("schools") or []
        school = str(schools[0].get("title_full") or schools[0].get("title")) if schools else self.vendor
        return SourceInfo(system=SYSTEM_TITLE, school=school, academic_year=_academic_year(periods),
                          classes=sorted(classes.values(), key=lambda c: (c.grade or 0, c.name)), periods=periods)

    def sign_out(self) -> None:
        # apiv3 has no documented sign-out: the token is forgotten here and expires by itself
        self._token, self._rules = None, None

    def _load_rules(self) -> dict:
        if self._rules is None:
            rules = self._call("getrules")
            if not isinstance(rules, dict):
                raise SourceShapeError("ЭлЖур: в ответе getrules нет поля «result»")
            self._rules = rules
        return self._rules

    def _periods(self, student: str | None) -> list[PeriodRef]:
        result = self._call("getperiods", **({"student": student} if student else {}))
        records = _values(_need(result, "students", "getperiods"), "getperiods (students)")
        if not records:
            raise SourceAuthError("Учётная запись ЭлЖура не видит ни одного ученика: нужна учётная запись, "
                                  "которая видит всех учеников класса")
        seen: dict[str, PeriodRef] = {}
        for record in records:  # classes may differ (quarters below grade 10, half-years above)
            for p in _need(record, "periods", "getperiods"):
                name = str(_need(p, "name", "getperiods (periods)"))
                code = period_code(name)
                start = _day(_need(p, "start", "getperiods (periods)"), "начало периода")
                end = _day(_need(p, "end", "getperiods (periods)"), "конец периода")
                seen.setdefault(code, PeriodRef(code=code, system_id=name, name=str(p.get("fullname") or name),
                                                start=start.isoformat(), end=end.isoformat()))
        order = {"Q": 0, "T": 1, "H": 2, "y": 3}
        return sorted(seen.values(), key=lambda p: (order[p.code[0]], p.code))

    # -- one class, one period --------------------------------------------------------------

    def fetch(self, cls: ClassRef, period: PeriodRef) -> dict:
        """The class's journal for the period as `journal-snapshot/1` (see the module docstring)."""
        exported = self.now().astimezone(dt.timezone.utc).replace(microsecond=0)
        rules = self._load_rules()
        if set(rules.get("roles") or []) <= {"student", "parent"} and rules.get("roles"):
            raise SourceAuthError("Учётная запись ученика или родителя в ЭлЖуре видит только своих детей; "
                                  "для выгрузки класса нужна учётная запись, которая видит весь класс")
        relations = _need(rules, "relations", "getrules")
        group = (relations.get("groups") or {}).get(cls.name)
        if not isinstance(group, dict):
            raise SourceShapeError(f"ЭлЖур: в getrules (relations.groups) нет класса «{cls.name}» с классным "
                                   "руководителем (hometeacher_id, hometeacher_name)")
        start, end = dt.date.fromisoformat(period.start), dt.date.fromisoformat(period.end)
        students = self._roster(relations, cls, start, end)
        if not students:
            raise SourceShapeError(f"ЭлЖур: в классе {cls.name} за период нет ни одного ученика — ни учётная "
                                   "запись, ни реестр школы их не знают")
        own = {p.code: p for p in self._periods(next(iter(students)))}
        if period.code not in own:
            raise SourceShapeError(f"ЭлЖур: у класса {cls.name} нет периода {period.code} («{period.name}»); "
                                   f"его периоды: {', '.join(own) or 'нет'}")
        start, end = dt.date.fromisoformat(own[period.code].start), dt.date.fromisoformat(own[period.code].end)
        build = _ClassBuild(end=min(end, exported.date()), notes=self.notes, teacher_ids={
            str(_need(group, "hometeacher_name", "getrules (relations.groups)")):
                str(_need(group, "hometeacher_id", "getrules (relations.groups)"))})
        days = f"{start:%Y%m%d}-{end:%Y%m%d}"
        for sid in students:
            build.add_diary(sid, self._student_record("getdiary", sid, days))
        for sid in students:
            build.add_marks(sid, self._student_record("getmarks", sid, days))
            build.add_finals(sid, self._student_record("getfinalassessments", sid, days), period.code)
        return self._snapshot(cls, period, group, relations, students, build, exported, start, end)

    def _student_record(self, method: str, sid: str, days: str) -> dict:
        result = self._call(method, student=sid, days=days)
        records = _need(result, "students", method)
        if isinstance(records, dict):
            record = records.get(sid)
        else:
            record = next((r for r in _values(records, method) if str(r.get("name")) == sid), None)
        if not isinstance(record, dict):
            raise SourceShapeError(f"ЭлЖур: в ответе {method} нет ученика {sid}")
        return record

    def _roster(self, relations: dict, cls: ClassRef, start: dt.date, end: dt.date) -> dict[str, dict]:
        """The class's students in the period: those the account sees, checked against the register."""
        seen = {str(_need(s, "name", "getrules (relations.students)")): s
                for s in _values(relations.get("students") or {}, "getrules (relations.students)")
                if str(s.get("class")) == cls.name}
        if self.register is None:
            raise SourceShapeError("ЭлЖур не передаёт даты рождения учеников и имя директора, а формат снимка их "
                                   "требует: подключите реестр школы (даты рождения, прибытия и выбытия, директор)")
        expected = self.register.in_class(cls.name, start, end)
        unseen = sorted(set(expected) - set(seen))
        if unseen:
            names = ", ".join(expected[sid].full_name or sid for sid in unseen)
            raise SourceAuthError(f"Учётная запись ЭлЖура видит не всех учеников класса {cls.name}: не видны "
                                  f"{names}. Нужна учётная запись, которая видит весь класс")
        unknown = sorted(set(seen) - set(self.register.students))
        if unknown:
            names = ", ".join(str(seen[sid].get("title") or sid) for sid in unknown)
            raise SourceShapeError(f"ЭлЖур не передаёт даты рождения, а в реестре школы нет учеников класса "
                                   f"{cls.name}: {names}. Добавьте их в реестр")
        return {sid: seen[sid] for sid in sorted(expected, key=lambda s: (len(s), s))}

    def _snapshot(self, cls: ClassRef, period: PeriodRef, group: dict, relations: dict,
                  students: dict[str, dict], build: "_ClassBuild", exported: dt.datetime,
                  start: dt.date, end: dt.date) -> dict:
        assert self.register is not None
        schools = relations.get("schools") or []
        if not schools:
            raise SourceShapeError("ЭлЖур: в getrules (relations.schools) нет школы")
        school = schools[0]
        kind, number = ("year", 1) if period.code == "year" else (_KIND_OF[period.code[0]][0], int(period.code[1:]))
        grade = _int(group.get("parallel")) or cls.grade
        if grade is None:
            raise SourceShapeError(f"ЭлЖур: у класса «{cls.name}» нет параллели (parallel)")
        return {
            "format": "journal-snapshot/1",
            "source": {"system": SYSTEM_TITLE, "exported_at": exported.isoformat()},
            "school": {"id": self.register.school_id or self.vendor,
                       "full_name": str(_need(school, "title_full", "getrules (relations.schools)")),
                       "short_name": str(_need(school, "title", "getrules (relations.schools)")),
                       "director": {"full_name": self.register.director,
                                    "position": self.register.director_position}},
            "academic_year": f"{start.year if start.month >= 7 else start.year - 1}/"
                             f"{start.year + 1 if start.month >= 7 else start.year}",
            "period": {"kind": kind, "number": number, "start": start.isoformat(), "end": end.isoformat()},
            "class": {"id": cls.id, "name": cls.name, "grade": grade,
                      "class_teacher": {"id": str(group["hometeacher_id"]),
                                        "full_name": str(group["hometeacher_name"])}},
            "students": [{"id": sid, "full_name": str(_need(s, "title", "getrules (relations.students)")),
                          "birth_date": self.register.students[sid].birth_date,
                          "enrolled_on": _within(self.register.students[sid].enrolled_on, start, end),
                          "left_on": _within(self.register.students[sid].left_on, start, end)}
                         for sid, s in students.items()],
            "subjects": build.subjects(start, end),
        }


def _within(day: str | None, start: dt.date, end: dt.date) -> str | None:
    return day if day and start.isoformat() <= day <= end.isoformat() else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _error_text(response: dict) -> str:
    error = response.get("error")
    return f"«{error}»" if error else f"код {response.get('state')}"


def _academic_year(periods: list[PeriodRef]) -> str:
    if not periods:
        return ""
    first = min(dt.date.fromisoformat(p.start) for p in periods)
    year = first.year if first.month >= 7 else first.year - 1
    return f"{year}/{year + 1}"


@dataclass
class _Subject:
    lesson_id: str
    name: str
    grp: str
    teachers: Counter = field(default_factory=Counter)
    students: set = field(default_factory=set)
    lessons: dict = field(default_factory=dict)  # (date, num) -> lesson dict
    period_marks: list = field(default_factory=list)


class _ClassBuild:
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
                                                          "marks": [], "absences": []})
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

    def subjects(self, start: dt.date, end: dt.date) -> list[dict]:
        weeks = ((end - start).days + 1) / 7
        out = []
        for (lesson_id, grp), s in sorted(self._subjects.items(), key=lambda kv: (kv[1].name, kv[1].grp)):
            teacher = s.teachers.most_common(1)[0][0]
            subject_id = lesson_id if not grp else f"{lesson_id}-{grp}"[:64]
            lessons = [{"id": f"{subject_id[:40]}-{day:%Y%m%d}-{num}", "date": day.isoformat(),
                        "topic": les["topic"],
                        "homework": "\n".join(v for _, v in sorted(les["homework"].items())) or NO_HOMEWORK,
                        "marks": les["marks"], "absences": les["absences"]}
                       for (day, num), les in sorted(s.lessons.items())]
            subject = {"id": subject_id, "name": s.name,
                       "teacher": {"id": self.teacher_ids.get(teacher, teacher), "full_name": teacher},
                       "hours_per_week": max(round(len(lessons) / weeks, 1), 0.1),
                       "lessons": lessons, "period_marks": s.period_marks}
            if grp:
                subject["group"] = {"name": grp, "student_ids": sorted(s.students, key=lambda x: (len(x), x))}
            out.append(subject)
        return out
