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
A lesson whose diary item names another `teacher` than the subject's (the teacher of most of its
diary items) was given by a substitute: the lesson's `teacher` (name only; two diaries naming
different teachers for one lesson stop the pull).
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
from typing import Any, Callable
from urllib.parse import urlsplit

from archive_service.adapters.sources.base import (ClassRef, Credentials, PeriodRef, SourceAuthError, SourceError,
                                                   SourceInfo, SourceShapeError)
from archive_service.adapters.sources.eljur_journal import (KIND_OF, SYSTEM_TITLE, ClassBuild, _day, _need,
                                                            _values, lesson_mark, period_code, period_mark)
from archive_service.adapters.sources.roster import SchoolRegister, StudentFacts, register_from
from archive_service.adapters.sources.transport import Transport

__all__ = ["EljurSource", "SchoolRegister", "StudentFacts", "period_code", "lesson_mark", "period_mark"]




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
        build = ClassBuild(end=min(end, exported.date()), notes=self.notes, teacher_ids={
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
                  students: dict[str, dict], build: "ClassBuild", exported: dt.datetime,
                  start: dt.date, end: dt.date) -> dict:
        assert self.register is not None
        schools = relations.get("schools") or []
        if not schools:
            raise SourceShapeError("ЭлЖур: в getrules (relations.schools) нет школы")
        school = schools[0]
        kind, number = ("year", 1) if period.code == "year" else (KIND_OF[period.code[0]][0], int(period.code[1:]))
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
