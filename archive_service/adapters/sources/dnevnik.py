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
* substitutes: a lesson whose `teachers` do not include the subject's teacher (who gave most of
  its lessons) was given by a substitute → the lesson's `teacher` (I); several other teachers on
  one lesson: the first, the rest said in `notes` (the snapshot holds one).
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
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode, urlparse

from archive_service.adapters.sources.base import (ClassRef, Credentials, PeriodRef, SessionExpiredError,
                                                   SourceAuthError, SourceInfo)
from archive_service.adapters.sources.dnevnik_register import DnevnikRegister
from archive_service.adapters.sources.dnevnik_wire import (DEFAULT_LOGIN_URL, PRODUCT, SCOPE, TEACHER_KEYS, _day,
                                                           _field, _full_name, _list, _shape, map_period,
                                                           period_code, read_reply)
from archive_service.adapters.sources.roster import SchoolRegister, register_from
from archive_service.adapters.sources.transport import Transport

__all__ = ["DnevnikSource", "map_period", "period_code"]


class DnevnikSource(DnevnikRegister):
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
            return read_reply(reply, path)
        except SessionExpiredError:
            if self.token_mode:
                raise
            self.token = self._sign_in_token()
            reply = self.transport.request("GET", path, params=params, headers={"Access-Token": self.token})
            try:
                return read_reply(reply, path)
            except SessionExpiredError:
                raise SourceAuthError(f"{PRODUCT} отклоняет новый токен сразу после входа ({path})") from None

    # -- JournalSource ----------------------------------------------------------------------------------------------

    def sign_in(self) -> SourceInfo:
        self.token = self._sign_in_token()
        try:
            context = read_reply(self.transport.request("GET", "users/me/context",
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
        work_types = self._work_types()
        ids = {s["id"] for s in roster}
        self._note_homework(cls.name, pulls)
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

    def _work_types(self) -> dict[Any, str]:
        where = f"work-types/{self._school['id']}"  # type: ignore[index]
        return {w.get("id"): _field(w, "title", "work-types") for w in _list(self._get(where), "work-types")}

    def _note_homework(self, name: str, pulls: list[dict]) -> None:
        """Works but none of type «Homework»: the homework could not be recognised, which is said."""
        works = [w for pull in pulls for le in pull["lessons"] for w in le.get("works") or []]
        if works and not any(w.get("type") == "Homework" for w in works):
            self.notes.append(f"{name}: ни у одной работы уроков нет type «Homework» — домашние задания "
                              "не распознаны, поле homework оставлено пустым")

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
