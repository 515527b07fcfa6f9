"""NetSchool («Сетевой город. Образование», «Сетевой регион») as a journal source.

Sign-in (journal-systems.md §1.1): `logindata` → `auth/getdata` (lt, ver, salt) → `login` with
`pw2 = md5hex(salt + md5hex(password in windows-1251))`, `pw = pw2[:len(password)]`; 409 is a
wrong password; a `choose-session-role` entry point means: log out and sign in again with
`rolegroup`; a short HTML answer pointing to `/asp/SecurityWarning.asp` is acknowledged with
`WarnType=2` and the request repeated; every call carries the `at` header and a 401 means the
session died — signed in again with a password, or `SessionExpiredError` for an imported
token (servers that allow only Госуслуги: `Credentials.secret` is the session token and
`extra["auth"] == "token"`).

A class's period is one `grade/journal` per subject group (SGID) and term, fetched by a small
thread pool (`workers`, 5 by default) over the one transport; the `at` token is shared and a
re-sign-in happens once under a lock however many requests met the 401.

Facts NetSchool's public clients do not show for a teacher account (marked I below) are read
from the endpoint where they most plausibly live and checked: if the server does not give them,
the pull stops with a Russian `SourceShapeError` naming the field — nothing is made up:
* roster with birth dates and arrival/leaving dates: `users/studentlist?classId=` →
  `[{id, fullName, birthDate, arrivalDate, leaveDate}]` (the endpoint C, the fields I). A school
  whose server lacks them gives the school's register instead (`roster.py`, `extra["register"]`
  or the `register` argument; format in docs/connecting.md), keyed by the NetSchool student id:
  then the register alone says who is in the class in the term, with their names, birth, arrival
  and leaving dates, and `users/studentlist` is not asked. A student a whole-class journal lists
  who is not in the register, or whom it puts in another class, stops the pull naming them;
* class teacher: `classes?grade=` → `[{id, name, classTeacher{id, name}}]` (I);
* subject and teacher of a subject group: `subjectgroups/{sgId}` → `{subject{id, name},
  teachers[{id, name}]}` (I, the shape of the diary's `subjectGroup`/`teachers`);
* term dates: `terms/{id}` → `{startDate, endDate}` (I);
* `hours_per_week`: meetings of the term ÷ its weeks, one decimal (I).
* substitutes: who gave a lesson is not in any public NetSchool client's journal shapes (U; the
  diary's assignment details name the subject group's teachers, not the lesson's), so a lesson's
  `teacher` is never filled — a school on NetSchool records substitutions on paper as before.

The ОТ attendance reason («отсутствовал», not yet coded) is school policy: `extra["ot_code"]`
«Н» makes it an unexcused absence; by default it stays uncoded (null).
"""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from archive_service.adapters.sources.base import (ClassRef, Credentials, PeriodRef, SourceError, SourceInfo,
                                                   SourceShapeError, SourceUnreachableError)
from archive_service.adapters.sources.netschool_journal import (JournalContext, day_of, meetings_of, need,
                                                                need_list, plan_topics, read_lessons, read_totals)
from archive_service.adapters.sources.netschool_session import NetSchoolSession, password_hashes
from archive_service.adapters.sources.roster import SchoolRegister, register_from
from archive_service.adapters.sources.transport import Transport

__all__ = ["NetSchoolSource", "group_name", "password_hashes", "period_kind", "period_of"]

_KINDS = (("четверт", "quarter", "Q"), ("полугод", "half_year", "H"), ("триместр", "trimester", "T"))


def period_of(title: str, value: str, start: dt.date, end: dt.date) -> PeriodRef:
    """A TERMID item («2 четверть», «1 полугодие») as a snapshot period."""
    low = title.lower()
    number = re.search(r"\d", title)
    for stem, _kind, letter in _KINDS:
        if stem in low and number:
            return PeriodRef(f"{letter}{number[0]}", value, title, start.isoformat(), end.isoformat())
    raise SourceShapeError(f"Сетевой город: период «{title}» (TERMID {value}) не распознан — ожидались четверть, "
                           "полугодие или триместр с номером")


def period_kind(code: str) -> tuple[str, int]:
    return {"Q": "quarter", "H": "half_year", "T": "trimester"}[code[0]], int(code[1:])


class NetSchoolSource(NetSchoolSession):
    """One signed-in conversation with a NetSchool server: its answers as `journal-snapshot/1`."""

    system = "netschool"

    def __init__(self, credentials: Credentials, transport: Transport, *, workers: int = 5,
                 now: Callable[[], dt.datetime] | None = None, ot_code: str | None = None,
                 register: SchoolRegister | None = None):
        super().__init__(credentials, transport)
        self.register = register if register is not None else register_from(credentials, system="Сетевого города")
        self.workers = max(1, workers)
        self.now = now or (lambda: dt.datetime.now().astimezone())
        self.ot_code = ot_code if ot_code is not None else (credentials.extra.get("ot_code") or None)
        if self.ot_code not in (None, "Н"):
            raise SourceError("Сетевой город: код для причины «ОТ» может быть только «Н» или пустым")
        self._year: dict = {}
        self._school: dict = {}
        self._work_types: dict[int, str] = {}
        self._reasons: frozenset[str] = frozenset()
        self._terms: dict[str, tuple[dt.date, dt.date]] = {}

    def sign_in(self) -> SourceInfo:
        self._sign_in_session()
        context = self._get("context")
        self._year = need(context, "schoolyear", "context")
        year_id = need(self._get("years/current"), "id", "years/current")
        self._year = {**self._year, "id": year_id}
        school_id = need(context, "schoolId", "context")
        card = self._get(f"schools/{school_id}/card")
        common = need(card, "commonInfo", "schools/card")
        self._school = {"id": str(school_id), "full_name": str(need(common, "fullSchoolName", "schools/card")),
                        "short_name": str(need(common, "schoolName", "schools/card")),
                        "director": {"full_name": str(need(need(card, "managementInfo", "schools/card"),
                                                           "director", "schools/card")), "position": "Директор"}}
        self._work_types = {need(t, "id", "grade/assignment/types"): str(need(t, "name", "grade/assignment/types"))
                            for t in self._get("grade/assignment/types", all="false")}
        self._reasons = frozenset(str(need(r, "mark", "grade/attendance/reasons"))
                                  for r in self._get("grade/attendance/reasons", lng="ru"))
        sources = self._filters([])
        if "PCLID_IUP" not in sources:
            raise SourceShapeError("Сетевой город: в ответе grade/journal/filter/init нет фильтра классов "
                                   "«PCLID_IUP» — учётная запись не видит журналы классов")
        classes = [ClassRef(str(need(i, "value", "PCLID_IUP")), str(need(i, "title", "PCLID_IUP")),
                            _grade(str(i["title"]))) for i in sources["PCLID_IUP"]]
        terms = sources.get("TERMID")
        if terms is None:  # the terms may come only with a class chosen: gather them class by class
            seen: dict[str, dict] = {}
            for c in classes:
                for item in self._filters([{"filterId": "PCLID_IUP", "filterValue": c.id}]).get("TERMID", []):
                    seen.setdefault(str(need(item, "value", "TERMID")), item)
            terms = list(seen.values())
        periods = [self._period(i) for i in terms]
        return SourceInfo(self._product, self._school["short_name"], str(need(self._year, "name", "context")),
                          classes, periods)

    # ---- reference lists -----------------------------------------------------------------
    def _filters(self, selected: list[dict]) -> dict[str, list[dict]]:
        answer = self._call("POST", "grade/journal/filter/init",
                            json_body={"selectedData": selected}).json("grade/journal/filter/init")
        if not isinstance(answer, list):
            raise SourceShapeError("Сетевой город: ответ grade/journal/filter/init должен быть списком фильтров")
        return {str(need(f, "filterId", "grade/journal/filter/init")): need_list(f, "items", "filter/init")
                for f in answer}

    def _period(self, item: dict) -> PeriodRef:
        value, title = str(need(item, "value", "TERMID")), str(need(item, "title", "TERMID"))
        if value not in self._terms:
            term = self._get(f"terms/{value}")
            self._terms[value] = (day_of(need(term, "startDate", f"terms/{value}"), "startDate", "terms"),
                                  day_of(need(term, "endDate", f"terms/{value}"), "endDate", "terms"))
        start, end = self._terms[value]
        return period_of(title, value, start, end)

    # ---- one class, one period -----------------------------------------------------------
    def fetch(self, cls: ClassRef, period: PeriodRef) -> dict:
        if not self._school:
            raise SourceError("Сетевой город: сначала нужно войти (sign_in)")
        now = self.now()
        sources = self._filters([{"filterId": "PCLID_IUP", "filterValue": cls.id}])
        terms = [str(need(t, "value", "TERMID")) for t in sources.get("TERMID", [])]
        if period.system_id not in terms:
            raise SourceError(f"Сетевой город: у класса {cls.name} нет периода «{period.name}»")
        following = terms[terms.index(period.system_id) + 1] if terms.index(period.system_id) + 1 < len(terms) \
            else None
        class_id, grade = _class_params(cls)
        ctx = JournalContext(now.date(), period.code, self._work_types, self._reasons, self.ot_code)
        start, end = dt.date.fromisoformat(period.start), dt.date.fromisoformat(period.end)
        students, left = self._registered(cls.name, start, end) if self.register is not None \
            else self._roster(class_id, start, end)
        present = {s["id"] for s in students}
        groups = [(str(need(g, "value", "SGID")), str(need(g, "title", "SGID"))) for g in sources.get("SGID", [])]
        params = {"yearId": self._year["id"], "classId": class_id, "grade": grade}
        weeks = max((end - start).days + 1, 1) / 7

        def pull(group: tuple[str, str]) -> dict:
            return self._subject(group, params, period.system_id, following, ctx, weeks, (present, left, cls.name))

        subjects = self._in_parallel(pull, groups, cls.name)
        teacher = self._class_teacher(cls, class_id)
        kind, number = period_kind(period.code)
        return {"format": "journal-snapshot/1",
                "source": {"system": self._product, "exported_at": now.isoformat(timespec="seconds")},
                "school": self._school, "academic_year": str(need(self._year, "name", "context")),
                "period": {"kind": kind, "number": number, "start": period.start, "end": period.end},
                "class": {"id": class_id if class_id != "-1" else cls.id, "name": cls.name,
                          "grade": cls.grade or _grade(cls.name), "class_teacher": teacher},
                "students": students, "subjects": subjects}

    def _in_parallel(self, pull: Callable[[tuple[str, str]], dict], groups: list[tuple[str, str]],
                     class_name: str) -> list[dict]:
        """Each subject group's subject, `workers` at a time; the first failure stops the rest."""

        def one(group: tuple[str, str]) -> dict:
            try:
                return pull(group)
            except SourceUnreachableError as err:
                why = str(err).removeprefix("Сетевой город: ")
                raise SourceUnreachableError(f"Сетевой город: журнал предмета «{group[1]}» класса {class_name} "
                                             f"не получен — {why}") from None

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [pool.submit(one, g) for g in groups]
            try:
                return [f.result() for f in futures]
            finally:
                for f in futures:
                    f.cancel()

    def _roster(self, class_id: str, start: dt.date, end: dt.date) -> tuple[list[dict], set[str]]:
        """The class during the term, and everyone the roster says has left (a `free` row is theirs)."""
        where = "users/studentlist"
        out, left = [], set()
        try:
            rows = self._get("users/studentlist", classId=class_id)
        except SourceShapeError as err:
            raise SourceShapeError(f"{err}. Список класса с датами рождения, прибытия и выбытия можно дать "
                                   "реестром школы (параметр register, docs/connecting.md)") from None
        for s in rows:
            sid = str(need(s, "id", where))
            birth, arrival, leave = (need(s, key, where) for key in ("birthDate", "arrivalDate", "leaveDate"))
            if not birth:
                raise SourceShapeError(f"Сетевой город: нет даты рождения ученика «{s.get('fullName', sid)}» "
                                       "(поле birthDate в users/studentlist) — снимок её требует, а придумывать нельзя")
            birth = day_of(birth, "birthDate", where)
            arrived = day_of(arrival, "arrivalDate", where) if arrival else None
            gone = day_of(leave, "leaveDate", where) if leave else None
            if gone:
                left.add(sid)
            if (arrived and arrived > end) or (gone and gone < start):
                continue
            out.append({"id": sid, "full_name": str(need(s, "fullName", where)), "birth_date": birth.isoformat(),
                        "enrolled_on": arrived.isoformat() if arrived and arrived > start else None,
                        "left_on": gone.isoformat() if gone and gone <= end else None})
        return out, left

    def _registered(self, name: str, start: dt.date, end: dt.date) -> tuple[list[dict], set[str]]:
        """The class during the term from the school's register, instead of `users/studentlist`."""
        assert self.register is not None
        out = []
        for sid, f in sorted(self.register.in_class(name, start, end).items(), key=lambda kv: (len(kv[0]), kv[0])):
            if not f.full_name:
                raise SourceShapeError(f"Сетевой город: в реестре школы у ученика {sid} класса {name} нет ФИО "
                                       "(поле «full_name») — список класса берётся из реестра")
            out.append({"id": sid, "full_name": f.full_name, "birth_date": f.birth_date,
                        "enrolled_on": f.enrolled_on if f.enrolled_on and f.enrolled_on > start.isoformat() else None,
                        "left_on": f.left_on if f.left_on and f.left_on <= end.isoformat() else None})
        return out, {sid for sid, f in self.register.students.items() if f.left_on}

    def _class_teacher(self, cls: ClassRef, class_id: str) -> dict:
        where = "classes"
        for c in self._get("classes", grade=cls.grade or _grade(cls.name)):
            if str(need(c, "id", where)) == class_id:
                t = need(c, "classTeacher", where)
                if not t:
                    raise SourceShapeError(f"Сетевой город: у класса {cls.name} не указан классный руководитель "
                                           "(поле classTeacher в classes) — снимок его требует")
                return {"id": str(need(t, "id", where)), "full_name": str(need(t, "name", where))}
        raise SourceShapeError(f"Сетевой город: класс {cls.name} не найден в ответе classes (поле id)")

    def _subject(self, group: tuple[str, str], params: dict, term: str, following: str | None,
                 ctx: JournalContext, weeks: float, roster: tuple[set[str], set[str], str]) -> dict:
        """One subject group's subject: journal, plan, card, and the next term's first meeting."""
        sg_id, title = group
        where = f"grade/journal (предмет «{title}»)"
        answer = self._get("grade/journal", **params, sgId=sg_id, termId=term)
        journals = need_list(answer, "journals", where)
        if len(journals) != 1:
            raise SourceShapeError(f"Сетевой город: в ответе {where} ожидался один журнал в поле journals")
        journal, settings = journals[0], answer.get("markSettings") or {}
        plan = plan_topics(self._get("subjectplans/getForSubjectGroup", sgId=sg_id), "subjectplans")
        card = self._get(f"subjectgroups/{sg_id}")
        subject = need(card, "subject", "subjectgroups")
        teachers = need_list(card, "teachers", "subjectgroups")
        if not teachers:
            raise SourceShapeError(f"Сетевой город: у предмета «{title}» не указан учитель (поле teachers "
                                   "в subjectgroups) — снимок его требует")
        next_meeting = self._next_meeting(journal, params, sg_id, following, ctx, where)
        lessons, count = read_lessons(journal, settings, plan, next_meeting, ctx, where)
        if count == 0:
            raise SourceShapeError(f"Сетевой город: в журнале предмета «{title}» нет ни одного урока — "
                                   "часы в неделю не вычислить (поле classMeeting)")
        name = str(need(subject, "name", "subjectgroups"))
        students = self._group_students(journal, title, name, roster, where)
        out = {"id": sg_id, "name": name,
               "teacher": {"id": str(need(teachers[0], "id", "subjectgroups")),
                           "full_name": str(need(teachers[0], "name", "subjectgroups"))},
               "hours_per_week": round(count / weeks, 1) or 0.1,
               "lessons": lessons, "period_marks": read_totals(journal, settings, ctx, where)}
        if title != name:
            out["group"] = {"name": group_name(title, name), "student_ids": students}
        return out


    def _next_meeting(self, journal: dict, params: dict, sg_id: str, following: str | None,
                      ctx: JournalContext, where: str) -> dict | None:
        """The next term's first meeting, when the term's last one is held already (its homework is set there)."""
        meetings = meetings_of(journal, where)
        if not (following and meetings and meetings[-1]["date"] <= ctx.export_day):
            return None
        later = need_list(self._get("grade/journal", **params, sgId=sg_id, termId=following), "journals", where)
        nxt = meetings_of(later[0], where) if later else []
        return nxt[0] if nxt else None

    def _group_students(self, journal: dict, title: str, name: str, roster: tuple[set[str], set[str], str],
                        where: str) -> list[str]:
        """The students of a subject group's journal who are in the class in the term, checked."""
        students = []
        for s in need_list(journal, "students", where):
            sid = str(need(s, "id", where))
            # `free` in a subgroup may be a move to the other subgroup; in a whole-class journal it is
            # a leaver, and the roster must say when, or the snapshot would keep them in the class
            facts = self.register.facts(sid) if self.register is not None else None
            if self.register is not None and title == name and (facts is None or facts.class_name != roster[2]):
                raise SourceShapeError(f"Сетевой город: ученик {sid} из журнала «{title}» "
                                       + ("не найден в реестре школы — добавьте его в реестр" if facts is None
                                          else f"по реестру школы учится в классе {facts.class_name}, "
                                          f"а не {roster[2]}"))
            if need(s, "free", where) and title == name and sid not in roster[1]:
                raise SourceShapeError(f"Сетевой город: ученик {sid} выбыл из «{title}» (free), но дата выбытия "
                                       "не известна (поле leaveDate в users/studentlist или «left_on» в реестре школы)")
            if sid in roster[0]:  # a row of someone who left before the term is not the group's
                students.append(sid)
        return students


def group_name(title: str, subject: str) -> str:
    """The subgroup's name from its SGID title: «Английский язык, 1 группа» → «1 группа»,
    «Технология (девочки)» → «девочки»; a title not starting with the subject stays whole."""
    if not title.startswith(subject):
        return title
    rest = title[len(subject):].lstrip(" ,:;-–—/").strip()
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1].strip()
    return rest or title


def _class_params(cls: ClassRef) -> tuple[str, str]:
    """`classId`/`grade` for grade/journal from a PCLID_IUP value («101_0» or «9_1» for an IUP grade)."""
    ident, _, kind = cls.id.partition("_")
    if kind == "1":
        return "-1", ident
    return ident, "-1"


def _grade(name: str) -> int:
    digits = re.match(r"\d+", name)
    if not digits:
        raise SourceShapeError(f"Сетевой город: из названия класса «{name}» не видна параллель (PCLID_IUP title)")
    return int(digits[0])
