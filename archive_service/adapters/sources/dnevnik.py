"""Дневник.ру partner API v2: one class's period as `journal-snapshot/1`.

Facts and their status (C confirmed in a public client, I inferred, U unknown) are in
journal-systems.md §3; this module follows them and fails loudly where they end:

* sign-in: an OAuth access token (`Credentials.secret`, `extra={"auth": "token"}`) or the login
  form (POST `login/` with `ReturnUrl` → redirects → `result=success` and `access_token` in the
  URL fragment); the login host is `extra["login_url"]` (default https://login.dnevnik.ru/) and the
  partner's `extra["client_id"]` is required for it. Every call sends `Access-Token`.
* errors `{type, description}`: `authorizationFailed` and the token errors → `SourceAuthError`
  (mid-pull: `SessionExpiredError` for a token, one fresh sign-in for a password); server errors
  → `SourceUnreachableError` (after the transport's retries on 5xx); `parameterInvalid` and
  anything not of the documented shape → `SourceShapeError` naming the field.
* roster: `edu-groups/{g}/persons` (the current members) + `users/{userId}.birthday`. The API
  has no enrolment or leaving dates (U), so they come from the school's register (`roster.py`,
  `extra["register"]` or the `register` argument; format in docs/connecting.md), keyed by the
  person `id` of `persons` (the `person` of marks and attendance):
  - with a register: a current member takes its arrival date from it; a leaver (not among the
    current members) is taken from it whole — name, birth date, leaving date. Everyone the API
    shows (a member, or the person of a mark, attendance entry or period mark) must be in the
    register, else `SourceShapeError` names them; a register that contradicts the API stops the
    pull too: a member the register puts in another class or says has left, someone the register
    keeps in the class whom the API no longer lists, a birth date that differs, a mark or
    attendance entry dated outside the student's days in the class. A leaver's subgroups are
    those whose lessons hold their marks or attendance (I). The register's director and school
    id are not used: the API gives both.
  - without a register: leaving dates cannot be known, so a mark, absence or period mark of
    someone not on the roster (a leaver) stops the pull. Arrivals are not claimed «present from
    the start»: a student whose first attendance entry comes after the first lesson of their
    groups that has attendance (or who has none while the class has some) has arrived during the
    period, and the pull stops naming them and asking for the register; a class without any
    attendance entries for lessons already held cannot be checked and stops the same way.
* class teacher (U in the API): the one teacher of `schools/{s}/teachers` with `HouseMaster`
  who teaches lessons of the class or its subgroups (I); none or several → `SourceShapeError`.
* subgroups: edu-groups of the school whose `parentIds` hold the class (I) → subject `group`.
* homework (U which work is homework): a lesson's work with `type == "Homework"` (I); lessons
  without such a work get no homework (null), never «Без задания», since absence of a
  homework work does not prove none was set.
* marks: `mark5` values «1»…«5» with an optional «+»/«-» (the sign is dropped — the snapshot
  holds 1–5 — and said in `notes`); «зачёт»/«незачёт» of any mark type → «зач»/«незач»;
  anything else stops the pull naming the value.
* period marks: `final-marks` works whose work type has `isFinal`, period by `periodType` +
  `periodNumber` (I); an unknown `periodType` stops the pull.
* `hours_per_week`: lessons in the period ÷ weeks covered (I), to one decimal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode, urlparse

from archive_service.adapters.sources.base import (ClassRef, Credentials, PeriodRef, SessionExpiredError,
                                                   SourceAuthError, SourceInfo, SourceShapeError,
                                                   SourceUnreachableError)
from archive_service.adapters.sources.roster import SchoolRegister, register_from
from archive_service.adapters.sources.transport import Reply, Transport

PRODUCT = "Дневник.ру"
DEFAULT_LOGIN_URL = "https://login.dnevnik.ru/"
SCOPE = "CommonInfo,ContactInfo,FriendsAndRelatives,EducationalInfo"

AUTH_ERRORS = frozenset({"authorizationFailed", "authorizationInvalidToken", "authorizationTokenRequired",
                         "invalidToken", "tokenRequired"})
SCOPE_ERRORS = frozenset({"authorizationOutOfScope", "authorizationNotOwner", "authorizationOwnerForbidden",
                          "authorizationSystemForbidden", "outOfScope", "notOwner", "ownerForbidden",
                          "systemForbidden"})
SERVER_ERRORS = frozenset({"apiServerError", "apiUnknownError", "serverError", "apiRequestLimit", "requestLimit"})

#: reporting-period `type` → snapshot period kind (I: the values are not in a public source)
PERIOD_KINDS = {"Quarter": "quarter", "HalfYear": "half_year", "Semester": "half_year",
                "Trimester": "trimester", "Year": "year"}
PERIOD_PREFIX = {"quarter": "Q", "half_year": "H", "trimester": "T"}
ABSENCE_CODES = {"Absent": "Н", "Ill": "Б", "Late": "О", "Pass": "У"}
PRESENT = "Attend"
PASS_WORDS = {"зачёт": "зач", "зачет": "зач", "зач": "зач", "незачёт": "незач", "незачет": "незач", "незач": "незач"}
PERIOD_WORDS = {"н/а": "н/а", "осв": "осв", "освобождён": "осв", "освобожден": "осв"}
_MARK5 = re.compile(r"([1-5])([+-]?)")


def _shape(what: str) -> SourceShapeError:
    return SourceShapeError(f"{PRODUCT}: {what}")


def _field(obj: Any, name: str, where: str) -> Any:
    """`obj[name]`, or a `SourceShapeError` naming the field and the response it is missing from."""
    if not isinstance(obj, dict) or obj.get(name) is None:
        raise _shape(f"в ответе {where} нет поля «{name}»")
    return obj[name]


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise _shape(f"ответ {where} — не список")
    return value


def _day(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _shape(f"в ответе {where} дата «{value}» не в формате ГГГГ-ММ-ДД") from None


PERSON_KEYS = ("lastName", "firstName", "middleName")
TEACHER_KEYS = ("LastName", "FirstName", "MiddleName")  # schools/{s}/teachers spells them so (MR `SchoolTeacher`)


def _within(day: str | None, start: dt.date, end: dt.date) -> str | None:
    """A register date as the snapshot holds it: only when it falls within the period."""
    return day if day and start.isoformat() <= day <= end.isoformat() else None


def _full_name(person: dict, where: str, keys: tuple[str, ...] = PERSON_KEYS) -> str:
    last, first = _field(person, keys[0], where), _field(person, keys[1], where)
    return " ".join(p for p in (last, first, person.get(keys[2]) or "") if p).strip()


def period_code(kind: str, number: int) -> str:
    return "year" if kind == "year" else PERIOD_PREFIX[kind] + str(number)


def map_period(period_type: Any, number: Any, where: str) -> tuple[str, int]:
    """(kind, number) of a reporting period; an unknown type or number stops the pull."""
    kind = PERIOD_KINDS.get(period_type) if isinstance(period_type, str) else None
    if kind is None:
        raise _shape(f"тип периода «{period_type}» в ответе {where} не сопоставлен с четвертью, полугодием, "
                     "триместром или годом")
    limit = {"quarter": 4, "half_year": 2, "trimester": 3, "year": 1}[kind]
    if kind == "year":
        return kind, 1
    if not isinstance(number, int) or not 1 <= number <= limit:
        raise _shape(f"номер периода «{number}» (тип «{period_type}») в ответе {where} вне 1–{limit}")
    return kind, number


class DnevnikSource:
    """A signed-in conversation with Дневник.ру's partner API v2 (`JournalSource`)."""

    system = "dnevnik"

    def __init__(self, credentials: Credentials, transport: Transport, *, register: SchoolRegister | None = None,
                 now: Callable[[], dt.datetime] | None = None):
        self.credentials, self.transport = credentials, transport
        self.register = register if register is not None else register_from(credentials, system="Дневник.ру")
        self.now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self.token_mode = credentials.extra.get("auth") == "token"
        self.token: str | None = None
        self.notes: list[str] = []  # what the snapshot could not hold, said in Russian (e.g. «4-» → 4)
        self._school: dict | None = None
        self._groups: list[dict] = []
        self._periods: list[PeriodRef] = []

    # -- sign-in and requests -------------------------------------------------------------------------------------

    def _sign_in_token(self) -> str:
        if self.token_mode:
            if not self.credentials.secret:
                raise SourceAuthError(f"{PRODUCT}: не указан токен доступа")
            if not self.credentials.secret.isascii() or not self.credentials.secret.isprintable():
                raise SourceAuthError(f"{PRODUCT} не принял токен доступа: в нём есть недопустимые символы")
            return self.credentials.secret
        client_id = self.credentials.extra.get("client_id", "")
        if not client_id:
            raise SourceAuthError(f"{PRODUCT}: для входа по логину и паролю нужен client_id партнёрского "
                                  "приложения с правом EducationalInfo")
        base = self.credentials.extra.get("login_url", DEFAULT_LOGIN_URL).rstrip("/") + "/"
        return_url = base + "oauth2?" + urlencode({"response_type": "token", "client_id": client_id, "scope": SCOPE})
        reply = self.transport.request("POST", base + "login/", data={
            "ReturnUrl": return_url, "login": self.credentials.login, "password": self.credentials.secret})
        parsed = urlparse(reply.url)
        token = parse_qs(parsed.fragment).get("access_token", [""])[0]
        if parse_qs(parsed.query).get("result", [""])[0] != "success" or not token:
            raise SourceAuthError(f"{PRODUCT} не принял логин или пароль (вход не завершился выдачей токена)")
        return token

    def _get(self, path: str, params: dict | None = None) -> Any:
        """GET an API resource as JSON; a dead token means a fresh sign-in (password) or SessionExpiredError."""
        reply = self.transport.request("GET", path, params=params, headers={"Access-Token": self.token or ""})
        try:
            return self._read(reply, path)
        except SessionExpiredError:
            if self.token_mode:
                raise
            self.token = self._sign_in_token()
            reply = self.transport.request("GET", path, params=params, headers={"Access-Token": self.token})
            try:
                return self._read(reply, path)
            except SessionExpiredError:
                raise SourceAuthError(f"{PRODUCT} отклоняет новый токен сразу после входа ({path})") from None

    def _read(self, reply: Reply, path: str) -> Any:
        content_type = str({k.lower(): v for k, v in reply.headers.items()}.get("content-type", ""))
        if content_type.startswith("text/html"):
            if reply.status in (401, 403):
                raise SessionExpiredError(f"{PRODUCT}: токен доступа больше не действует — получите новый")
            raise _shape(f"на запрос {path} пришла страница ошибки (код {reply.status}) вместо данных")
        body = reply.json(f"{PRODUCT}, {path}")
        # an error is `{type, description}`; a resource may have a `type` of its own (an edu-group's «Group»)
        kind = body.get("type") if isinstance(body, dict) and "description" in body else None
        if kind in AUTH_ERRORS or (reply.status == 401 and kind is None):
            raise SessionExpiredError(f"{PRODUCT}: токен доступа больше не действует — получите новый")
        if kind in SCOPE_ERRORS:
            raise SourceAuthError(f"{PRODUCT}: учётной записи не хватает прав для {path} ({kind}); нужна учётная "
                                  "запись администратора школы и право EducationalInfo")
        if kind in SERVER_ERRORS:
            raise SourceUnreachableError(f"{PRODUCT}: ошибка на сервере при запросе {path} ({kind})")
        if kind == "parameterInvalid":
            raise _shape(f"сервер счёл параметры запроса {path} неверными: {body.get('description') or ''}".rstrip())
        if reply.status >= 400:
            raise _shape(f"на запрос {path} пришёл ответ с кодом {reply.status} ({kind or 'без описания'})")
        return body

    # -- JournalSource ----------------------------------------------------------------------------------------------

    def sign_in(self) -> SourceInfo:
        self.token = self._sign_in_token()
        try:
            context = self._read(self.transport.request("GET", "users/me/context",
                                                        headers={"Access-Token": self.token}), "users/me/context")
        except SessionExpiredError:
            what = "токен доступа" if self.token_mode else "выданный после входа токен"
            raise SourceAuthError(f"{PRODUCT} не принял {what}: он неверен или истёк") from None
        schools = _list(_field(context, "schools", "users/me/context"), "users/me/context.schools")
        wanted = self.credentials.school
        school = next((s for s in schools if not wanted or str(_field(s, "id", "users/me/context.schools")) == wanted),
                      None)
        if school is None:
            raise SourceAuthError(f"{PRODUCT}: учётной записи не видна школа {wanted or ''}".rstrip())
        sid = _field(school, "id", "users/me/context.schools")
        params = self._get(f"schools/{sid}/parameters")
        self._school = {"id": str(sid), "full_name": _field(params, "fullName", f"schools/{sid}/parameters"),
                        "short_name": _field(params, "shortName", f"schools/{sid}/parameters"),
                        "director": {"full_name": _field(params, "directorFullName", f"schools/{sid}/parameters"),
                                     "position": "Директор"}}
        self._groups = _list(self._get(f"schools/{sid}/edu-groups"), f"schools/{sid}/edu-groups")
        classes = [ClassRef(str(_field(g, "id", "edu-groups")), _field(g, "name", "edu-groups"), g.get("parallel"))
                   for g in self._groups if not g.get("parentIds")]
        self._periods = self._reporting_periods(classes[0].id) if classes else []
        year = self._academic_year(self._periods) if self._periods else ""
        return SourceInfo(PRODUCT, self._school["short_name"], year, classes, self._periods)

    def sign_out(self) -> None:
        self.token = None  # the implicit-flow token has no documented revocation call

    def _reporting_periods(self, group_id: str) -> list[PeriodRef]:
        where = f"edu-groups/{group_id}/reporting-periods"
        out = []
        for p in _list(self._get(where), where):
            kind, number = map_period(_field(p, "type", where), p.get("number"), where)
            out.append(PeriodRef(period_code(kind, number), str(_field(p, "id", where)), _field(p, "name", where),
                                 _day(_field(p, "start", where), where).isoformat(),
                                 _day(_field(p, "finish", where), where).isoformat()))
        return out

    @staticmethod
    def _academic_year(periods: list[PeriodRef]) -> str:
        first = min(dt.date.fromisoformat(p.start) for p in periods)
        year = first.year if first.month >= 7 else first.year - 1
        return f"{year}/{year + 1}"

    def fetch(self, cls: ClassRef, period: PeriodRef) -> dict:
        if self._school is None:
            raise SourceAuthError(f"{PRODUCT}: сначала нужно войти")
        exported = self.now().replace(microsecond=0)
        start = dt.date.fromisoformat(period.start)
        until = min(dt.date.fromisoformat(period.end), exported.date())
        own = {(p.code, p.start, p.end) for p in self._reporting_periods(cls.id)}
        if (period.code, period.start, period.end) not in own:
            raise _shape(f"у класса {cls.name} нет отчётного периода {period.code} "
                         f"с {period.start} по {period.end}")
        group = self._get(f"edu-groups/{cls.id}")
        grade = _field(group, "parallel", f"edu-groups/{cls.id}")
        subgroups = [g for g in self._groups if cls.id in {str(p) for p in g.get("parentIds") or []}]
        members = self._roster(cls.id)
        pulls = [self._pull_group(str(g["id"]), start, until, exported) for g in [group, *subgroups]]
        if self.register is not None:
            roster = self._registered(cls.name, members, pulls, start, dt.date.fromisoformat(period.end), until,
                                      exported.date())
        else:
            roster = members
        teachers = self._teachers()
        work_types = {w.get("id"): _field(w, "title", "work-types")
                      for w in _list(self._get(f"work-types/{self._school['id']}"), "work-types")}
        ids = {s["id"] for s in roster}
        works = [w for pull in pulls for le in pull["lessons"] for w in le.get("works") or []]
        if works and not any(w.get("type") == "Homework" for w in works):
            self.notes.append(f"{cls.name}: ни у одной работы уроков нет type «Homework» — домашние задания "
                              "не распознаны, поле homework оставлено пустым")
        subjects = []
        for pull, g in zip(pulls, [group, *subgroups]):
            subjects += self._subjects(pull, g, g is not group, ids, teachers, work_types, period, start, until)
        if self.register is None:
            self._no_arrivals(cls.name, roster, pulls)
        return {
            "format": "journal-snapshot/1",
            "source": {"system": PRODUCT, "exported_at": exported.isoformat()},
            "school": self._school, "academic_year": self._academic_year([period] + self._periods),
            "period": {"kind": {"Q": "quarter", "H": "half_year", "T": "trimester"}.get(period.code[0], "year"),
                       "number": int(period.code[1:]) if period.code != "year" else 1,
                       "start": period.start, "end": period.end},
            "class": {"id": cls.id, "name": _field(group, "name", f"edu-groups/{cls.id}"), "grade": grade,
                      "class_teacher": self._class_teacher(pulls, teachers, cls.name)},
            "students": roster, "subjects": subjects,
        }

    # -- pieces of a fetch ------------------------------------------------------------------------------------------

    def _roster(self, group_id: str) -> list[dict]:
        where = f"edu-groups/{group_id}/persons"
        out = []
        for person in _list(self._get(where), where):
            user = self._get(f"users/{_field(person, 'userId', where)}")
            birthday = _field(user, "birthday", "users/{userId}")
            out.append({"id": str(_field(person, "id", where)), "full_name": _full_name(person, where),
                        "birth_date": _day(birthday, "users/{userId}.birthday").isoformat(),
                        "enrolled_on": None, "left_on": None})
        return out

    def _traces(self, pulls: list[dict], until: dt.date) -> list[tuple[str, dt.date | None, str, str]]:
        """Everyone the class's journal shows: (person, day or None, what, group id) per lesson mark,
        attendance entry (any status) and period mark (no day: it is the period's)."""
        out: list[tuple[str, dt.date | None, str, str]] = []
        for pull in pulls:
            days = {str(_field(le, "id", "lessons")): _day(_field(le, "date", "lessons"), "lessons")
                    for le in pull["lessons"]}
            final_works = self._final_works(pull["final"], pull["id"])
            for mark in pull["marks"]:
                if mark.get("work") in final_works:
                    continue  # a period mark: taken from final-marks below
                day = _day(_field(mark, "date", "marks"), "marks")
                if day <= until:
                    out.append((str(_field(mark, "person", "marks")), day, "отметка", pull["id"]))
            for entry in pull["log"]:
                logged = days.get(str(_field(entry, "lesson", "lesson-log-entries")))
                if logged is not None and logged <= until:
                    out.append((str(_field(entry, "person", "lesson-log-entries")), logged, "посещаемость",
                                pull["id"]))
            for mark in _list(_field(pull["final"], "marks", "final-marks"), "final-marks.marks"):
                out.append((str(_field(mark, "person", "final-marks.marks")), None, "итоговая отметка", pull["id"]))
        return out

    def _registered(self, name: str, members: list[dict], pulls: list[dict], start: dt.date, end: dt.date,
                    until: dt.date, today: dt.date) -> list[dict]:
        """The class in the period from the API's current members and the school's register (see the
        module docstring); anything the two disagree on stops the pull."""
        register = self.register
        assert register is not None
        traces = self._traces(pulls, until)
        shown = {m["id"]: m["full_name"] for m in members}
        for person, _day, _what, _gid in traces:
            shown.setdefault(person, f"id {person}")
        unknown = [f"{who} ({pid})" if not who.startswith("id ") else who
                   for pid, who in shown.items() if register.facts(pid) is None]
        if unknown:
            raise _shape(f"в реестре школы нет учеников класса {name}, которых показывает Дневник.ру: "
                         f"{', '.join(unknown)}. Добавьте их в реестр (дата рождения, прибытия, выбытия)")
        problems = []
        for m in members:
            facts = register.facts(m["id"])
            assert facts is not None
            if facts.class_name != name:
                problems.append(f"{m['full_name']}: Дневник.ру числит в классе {name}, а реестр — в классе "
                                f"{facts.class_name}")
            if facts.left_on and facts.left_on < today.isoformat():
                problems.append(f"{m['full_name']}: по реестру выбыл(а) {facts.left_on}, а Дневник.ру всё ещё "
                                "числит в классе")
            if facts.birth_date != m["birth_date"]:
                problems.append(f"{m['full_name']}: дата рождения в реестре {facts.birth_date}, "
                                f"в Дневник.ру {m['birth_date']}")
        for pid, facts in register.in_class(name, start, end).items():
            if pid not in {m["id"] for m in members} and not facts.left_on:
                problems.append(f"{facts.full_name or pid}: по реестру в классе {name}, а Дневник.ру в классе "
                                "не показывает (выбытие в реестре не отмечено)")
        for person, day, what, _gid in traces:
            facts = register.facts(person)
            assert facts is not None
            who = facts.full_name or shown.get(person) or person
            if facts.class_name != name:
                problems.append(f"{who}: {what} в журнале класса {name}, а по реестру — ученик класса "
                                f"{facts.class_name}")
            elif day is not None and not facts.present_on(day):
                problems.append(f"{who}: {what} за {day.isoformat()}, а по реестру "
                                + (f"выбыл(а) {facts.left_on}" if facts.left_on and day.isoformat() > facts.left_on
                                   else f"прибыл(а) только {facts.enrolled_on}"))
            elif day is None and not facts.present_during(start, end):
                problems.append(f"{who}: {what} за период, а по реестру в классе в этом периоде не был(а)")
        if problems:
            raise _shape(f"реестр школы расходится с журналом класса {name}: " + "; ".join(dict.fromkeys(problems)))
        listed = {m["id"]: m for m in members}
        within = register.in_class(name, start, end)
        leavers = sorted((pid for pid in within if pid not in listed), key=lambda x: (len(x), x))
        out = []
        for pid in [p for p in listed if p in within] + leavers:
            facts = within[pid]
            if pid in listed:
                entry = dict(listed[pid])
            elif not facts.full_name:
                raise _shape(f"ученик {pid} выбыл из класса {name} ({facts.left_on}), Дневник.ру его больше "
                             "не показывает, а в реестре школы нет его ФИО (поле «full_name»)")
            else:
                entry = {"id": pid, "full_name": facts.full_name, "birth_date": facts.birth_date}
            entry["enrolled_on"] = _within(facts.enrolled_on, start, end)
            entry["left_on"] = _within(facts.left_on, start, end)
            out.append(entry)
        for pull in pulls:  # a leaver's subgroups: those whose journal shows them (I)
            pull["members"] += [pid for pid in leavers if pid not in pull["members"]
                                and any(t[0] == pid and t[3] == pull["id"] for t in traces)]
        return out

    def _no_arrivals(self, name: str, roster: list[dict], pulls: list[dict]) -> None:
        """Without a register: refuse students who, by the attendance log, arrived during the period."""
        held = [pull for pull in pulls if pull["lessons"]]
        first_logged: dict[str, dt.date] = {}  # group -> first lesson day with attendance
        first_seen: dict[str, dt.date] = {}  # person -> first attendance day in any of their groups
        logged = False
        for pull in held:
            days = {str(le["id"]): _day(le["date"], "lessons") for le in pull["lessons"]}
            for entry in pull["log"]:
                day = days.get(str(entry.get("lesson")))
                if day is None:
                    continue
                logged = True
                first_logged[pull["id"]] = min(day, first_logged.get(pull["id"], day))
                person = str(entry.get("person"))
                first_seen[person] = min(day, first_seen.get(person, day))
        if held and not logged:
            raise _shape(f"в классе {name} за период нет ни одной отметки посещаемости, поэтому не проверить, кто "
                         "прибыл в класс в течение периода (дат прибытия Дневник.ру не сообщает). Подключите "
                         "реестр школы с датами прибытия и выбытия")
        arrived = []
        for s in roster:
            starts = [first_logged[p["id"]] for p in held if s["id"] in p["members"] and p["id"] in first_logged]
            if not starts:
                continue
            seen = first_seen.get(s["id"])
            if seen is None or seen > min(starts):
                arrived.append(f"{s['full_name']} (впервые в журнале {seen.isoformat()})" if seen
                               else f"{s['full_name']} (ни одной отметки посещаемости)")
        if arrived:
            raise _shape(f"в классе {name} есть ученики, прибывшие в течение периода: {', '.join(arrived)}. "
                         "Дату прибытия Дневник.ру не сообщает, а считать их учившимися с начала периода нельзя "
                         "— подключите реестр школы с датами прибытия и выбытия")

    def _teachers(self) -> dict[int, dict]:
        where = f"schools/{self._school['id']}/teachers"  # type: ignore[index]
        return {_field(t, "Id", where): t for t in _list(self._get(where), where)}

    def _pull_group(self, gid: str, start: dt.date, until: dt.date, exported: dt.datetime) -> dict:
        span = f"{start.isoformat()}/{until.isoformat()}"
        lessons = [lesson for lesson in _list(self._get(f"edu-groups/{gid}/lessons/{span}"), "lessons")
                   if str(lesson.get("group", gid)) == gid]
        members = [str(_field(p, "id", "persons")) for p in _list(self._get(f"edu-groups/{gid}/persons"), "persons")]
        marks = _list(self._get(f"edu-groups/{gid}/marks/{span}"), "marks")
        final = self._get(f"edu-groups/{gid}/final-marks")
        log: list[dict] = []
        for subject_id in sorted({_field(_field(le, "subject", "lessons"), "id", "lessons.subject") for le in lessons}):
            log += _list(self._get(f"lesson-log-entries/group/{gid}",
                                   {"subject": subject_id, "from": start.isoformat(), "to": until.isoformat()}),
                         "lesson-log-entries")
        return {"id": gid, "lessons": lessons, "members": members, "marks": marks, "final": final, "log": log}

    def _class_teacher(self, pulls: list[dict], teachers: dict[int, dict], name: str) -> dict:
        teaching = {tid for pull in pulls for le in pull["lessons"] for tid in (le.get("teachers") or [])}
        masters = [t for tid, t in teachers.items() if tid in teaching and t.get("HouseMaster") is True]
        if len(masters) != 1:
            raise _shape(f"классный руководитель класса {name} не определён: API его не сообщает, а среди учителей "
                         f"класса с признаком HouseMaster {len(masters)} (нужен ровно один)")
        t = masters[0]
        return {"id": str(t["Id"]), "full_name": _full_name(t, "schools/{s}/teachers", TEACHER_KEYS)}

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
            subject_name = _field(lessons[0]["subject"], "name", "lessons.subject")
            counted = Counter(tid for le in lessons for tid in (le.get("teachers") or []))
            if not counted:
                raise _shape(f"у уроков предмета «{subject_name}» нет учителя (поле «teachers»)")
            tid = counted.most_common(1)[0][0]
            if tid not in teachers:
                raise _shape(f"учителя {tid} предмета «{subject_name}» нет в списке учителей школы")
            hours = round(len(lessons) / weeks, 1) if weeks > 0 else 0
            entry: dict[str, Any] = {
                "id": f"{gid}-{subject_id}", "name": subject_name,
                "teacher": {"id": str(tid),
                            "full_name": _full_name(teachers[tid], "schools/{s}/teachers", TEACHER_KEYS)},
                "hours_per_week": int(hours) if hours == int(hours) else hours,
                "lessons": sorted((lesson_out[str(le["id"])] for le in lessons), key=lambda x: (x["date"], x["id"])),
                "period_marks": period_marks.pop(subject_id, []),
            }
            if is_subgroup:
                entry["group"] = {"name": _field(group, "name", "edu-groups"), "student_ids": pull["members"]}
            out.append(entry)
        if period_marks:
            raise _shape(f"есть итоговые отметки по предмету {sorted(period_marks)[0]}, по которому в периоде нет "
                         "уроков: часы в неделю и учителя не узнать")
        return out

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
