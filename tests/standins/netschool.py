"""A NetSchool («Сетевой город. Образование») stand-in server on 127.0.0.1 for the connector's tests.

It is built from `journal-snapshot/1` dicts (tests/builders.py or the demo school) and serves them
in NetSchool's wire format (journal-systems.md §1): the salted password sign-in with single-use
`lt`, 409 for a wrong password, 401 without a live `at`, an optional security-warning page and
role choice; classes, terms, subject groups (subgroups are their own SGID), one journal per
subject group and term, subject plans with the topics, homework on the meeting where it is due
(the last lesson's in the next term), attendance reasons, term marks in `totals` (−1 н/а,
−2 осв, pass/fail journals with `gradingSys` 1), a «точка» and an ОСВ row that are not data.

`holds(class_name, code)` is the snapshot the server's data stands for, with NetSchool's ids —
what a correct connector must produce (hours per week aside: NetSchool has none).

Faults: `delay` seconds per request, `expire_after` authenticated requests then every session
dies, `fail_sgids` answer 500, `drop_field` removes a key from every JSON answer;
`terms_need_class` lists terms only once a class is chosen. `peak` is the most requests seen
in flight at once.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import secrets
import threading
import time
from typing import Any

from standins.server import LocalServer
from werkzeug.wrappers import Request, Response

from archive_service.demo.calendar import HALVES, QUARTERS

PRODUCT = "Сетевой город. Образование"
SCHOOL_ID = 21
YEAR_ID = 1001
WORK_TYPE_IDS = {"Домашнее задание": 3, "Контрольная работа": 4, "Диктант": 8, "Ответ на уроке": 10, "Тест": 14}
REASON_OF = {"Н": "НП", "Б": "Б", "У": "УП", "О": "ОП", None: "ОТ"}
REASONS = [{"mark": "ОТ", "localMark": "н", "name": "отсутствовал"}, {"mark": "УП", "localMark": "н",
           "name": "уважительная причина"}, {"mark": "НП", "localMark": "н", "name": "неуважительная причина"},
           {"mark": "Б", "localMark": "н", "name": "болезнь"}, {"mark": "ОП", "localMark": "оп", "name": "опоздал"},
           {"mark": "ОСВ", "localMark": "осв", "name": "освобождён"}]
PASS, FAIL = 5, 1
TERMS = {t.code: {"id": str(10 + t.number if t.kind == "quarter" else 20 + t.number), "code": t.code,
                  "title": f"{t.number} {'четверть' if t.kind == 'quarter' else 'полугодие'}",
                  "start": t.start.isoformat(), "end": t.end.isoformat()} for t in (*QUARTERS, *HALVES)}
_WORDS = {"зач", "незач", "н/а", "осв"}


def pw2_of(password: str, salt: str) -> str:
    inner = hashlib.md5(password.encode("windows-1251")).hexdigest()
    return hashlib.md5((salt + inner).encode()).hexdigest()


class _Data:
    """The school in NetSchool's terms, built from snapshots."""

    def __init__(self, snapshots: list[dict]):
        self.ids = itertools.count(1)
        self.people: dict[str, int] = {}
        self.classes: dict[str, dict] = {}
        self.groups: dict[int, dict] = {}
        self.journals: dict[tuple[int, str], dict] = {}
        self.plans: dict[int, list[dict]] = {}
        self.work_types = dict(WORK_TYPE_IDS)
        self.expected: dict[tuple[str, str], dict] = {}
        self.school: dict = {}
        carry: list[tuple[int, str, str, dict]] = []
        for snap in snapshots:
            carry.extend(self._add(snap))
        for sg, code, text, expected_lesson in carry:
            self._carry_homework(sg, code, text, expected_lesson)

    def person(self, key: str, base: int) -> int:
        return self.people.setdefault(key, base + len(self.people) + 1)

    def _class(self, snap: dict) -> dict:
        c = snap["class"]
        if c["id"] not in self.classes:
            codes = [t for t in TERMS if t[0] == ("Q" if snap["period"]["kind"] == "quarter" else "H")]
            self.classes[c["id"]] = {"id": 101 + len(self.classes), "name": c["name"], "grade": c["grade"],
                                     "terms": codes, "roster": {}, "sg": {},
                                     "teacher": {"id": self.person("t:" + c["class_teacher"]["id"], 900),
                                                 "name": c["class_teacher"]["full_name"]}}
        return self.classes[c["id"]]

    def _add(self, snap: dict) -> list:
        self.school = {"id": str(SCHOOL_ID), **{k: snap["school"][k] for k in ("full_name", "short_name")},
                       "director": {"full_name": snap["school"]["director"]["full_name"], "position": "Директор"}}
        klass, code = self._class(snap), "Q" + str(snap["period"]["number"]) if snap["period"]["kind"] == "quarter" \
            else "H" + str(snap["period"]["number"])
        sid = {s["id"]: self.person("s:" + s["id"], 500) for s in snap["students"]}
        for s in snap["students"]:
            row = klass["roster"].setdefault(sid[s["id"]], {"id": sid[s["id"]], "fullName": s["full_name"],
                                                            "birthDate": s["birth_date"] + "T00:00:00",
                                                            "arrivalDate": None, "leaveDate": None})
            row["arrivalDate"] = row["arrivalDate"] or (s["enrolled_on"] and s["enrolled_on"] + "T00:00:00")
            row["leaveDate"] = row["leaveDate"] or (s["left_on"] and s["left_on"] + "T00:00:00")
        expected = copy.deepcopy(snap)
        expected["school"] = self.school
        expected["class"] = {"id": str(klass["id"]), "name": klass["name"], "grade": klass["grade"],
                             "class_teacher": {"id": str(klass["teacher"]["id"]),
                                               "full_name": klass["teacher"]["name"]}}
        for s in expected["students"]:
            s["id"] = str(sid[s["id"]])
        carry = []
        for sub, exp in zip(snap["subjects"], expected["subjects"]):
            sg = self._group(klass, sub, sid)
            left = {s["id"] for s in snap["students"] if s["left_on"]}
            text, last = self._journal(sg, code, sub, sid, left, exp)
            if last is not None:
                carry.append((sg, code, text, last))
        self.expected[(klass["name"], code)] = expected
        return carry

    def _group(self, klass: dict, sub: dict, sid: dict) -> int:
        key = sub["id"]
        if key not in klass["sg"]:
            sg = 2001 + len(self.groups)
            title = sub["name"] + (f", {sub['group']['name']}" if sub.get("group") else "")
            self.groups[sg] = {"id": sg, "class": klass["id"], "title": title, "subject": sub["name"],
                               "teacher": {"id": self.person("t:" + sub["teacher"]["id"], 900),
                                           "name": sub["teacher"]["full_name"]}}
            klass["sg"][key] = sg
            self.plans[sg] = []
        return klass["sg"][key]

    def _journal(self, sg: int, code: str, sub: dict, sid: dict, left: set, exp: dict):
        members = sub["group"]["student_ids"] if sub.get("group") else list(sid)
        words = ([m["value"] for lesson in sub["lessons"] for m in lesson["marks"]]
                 + [m["value"] for m in sub["period_marks"]])
        passfail = bool(words) and all(isinstance(v, str) and v in _WORDS for v in words) and \
            any(v in ("зач", "незач") for v in words)
        j = {"students": [{"id": sid[m], "free": m in left, "individualEduc": False} for m in members],
             "classMeeting": [], "assignments": [], "marks": [], "attendance": [], "totals": [{"marks": []}],
             "gradingSys": 1 if passfail else 0, "subjectGroupId": sg, "lastAccess": None}
        self.journals[(sg, code)] = j
        exp["id"] = str(sg)
        exp["teacher"] = {"id": str(self.groups[sg]["teacher"]["id"]), "full_name": self.groups[sg]["teacher"]["name"]}
        if exp.get("group"):
            exp["group"]["student_ids"] = [str(sid[m]) for m in exp["group"]["student_ids"]]
        elif "group" in exp:
            del exp["group"]
        previous = None
        for lesson, el in zip(sub["lessons"], exp["lessons"]):
            cm = self._meeting(sg, j, lesson)
            el["id"] = str(cm["id"])
            self._marks(j, cm, lesson, sid, passfail, members)
            for a in lesson["absences"]:
                j["attendance"].append({"classmeetingId": cm["id"], "studentId": sid[a["student_id"]],
                                        "reason": REASON_OF[a["code"]]})
            if previous is not None:
                self._homework(j, cm, previous[0])
            previous = (lesson["homework"], el)
            for m in el["marks"]:
                m["student_id"], m["set_on"] = str(sid[m["student_id"]]), lesson["date"]
            for a in el["absences"]:
                a["student_id"] = str(sid[a["student_id"]])
        for el in exp["lessons"]:
            el["homework"] = el["homework"] or "Без задания"
        for pm in sub["period_marks"]:
            j["totals"][0]["marks"].append({"studentId": sid[pm["student_id"]], "mark": _total(pm["value"], passfail)})
        for pm in exp["period_marks"]:
            pm["student_id"] = str(sid[pm["student_id"]])
        self._noise(j, members, sid)
        return (previous[0], previous[1]) if previous else (None, None)

    def _meeting(self, sg: int, j: dict, lesson: dict) -> dict:
        cm = {"id": 7000 + next(self.ids), "date": lesson["date"] + "T00:00:00", "lessonId": None, "isTkr": False}
        if lesson["topic"] is not None:
            plan = self.plans[sg]
            plan.append({"id": 90000 + next(self.ids), "hours": 1, "hoursStudied": 1, "lastStudyDay": cm["date"],
                         "displayName": f"1.{len(plan) + 1} {lesson['topic']}"})
            cm["lessonId"] = plan[-1]["id"]
        j["classMeeting"].append(cm)
        return cm

    def _marks(self, j: dict, cm: dict, lesson: dict, sid: dict, passfail: bool, members: list) -> None:
        mine: list[dict] = []
        for m in lesson["marks"]:
            type_id = self.work_types.setdefault(m["work_type"], 20 + len(self.work_types))
            student = sid[m["student_id"]]
            target = next((a for a in mine if a["typeId"] == type_id and student not in a["_who"]), None)
            if target is None:
                target = {"id": 80000 + next(self.ids), "classMeetingId": cm["id"], "typeId": type_id, "weight": 1,
                          "dueDate": cm["date"], "name": m["work_type"], "_who": set()}
                mine.append(target)
            target["_who"].add(student)
            value = m["value"]
            if passfail:
                value = PASS if value == "зач" else FAIL
            elif isinstance(value, int) and target["id"] % 2 == 0:
                value = str(value)  # NetSchool sends marks as numbers or digit strings
            j["marks"].append({"studentId": student, "assignmentId": target["id"], "mark": value})
        for a in mine:
            del a["_who"]
        j["assignments"].extend(mine)

    def _homework(self, j: dict, cm: dict, text: str | None) -> None:
        if text and text != "Без задания":
            j["assignments"].append({"id": 80000 + next(self.ids), "classMeetingId": cm["id"], "typeId": 3,
                                     "weight": 0, "dueDate": cm["date"], "name": text})

    def _noise(self, j: dict, members: list, sid: dict) -> None:
        """A «точка» and an ОСВ row: in the journal, not in the snapshot."""
        if not j["classMeeting"]:
            return
        busy = {(m["studentId"], m["assignmentId"]) for m in j["marks"]}
        first = next((a for a in j["assignments"] if a["typeId"] != 3), None)
        if first is not None:
            who = next((sid[m] for m in members if (sid[m], first["id"]) not in busy), None)
            if who is not None:
                j["marks"].append({"studentId": who, "assignmentId": first["id"], "mark": None, "dutyMark": True})
        last = j["classMeeting"][-1]
        taken = {a["studentId"] for a in j["attendance"] if a["classmeetingId"] == last["id"]}
        marked_ids = {a["id"] for a in j["assignments"] if a["classMeetingId"] == last["id"]}
        taken |= {m["studentId"] for m in j["marks"] if m["assignmentId"] in marked_ids}
        who = next((sid[m] for m in members if sid[m] not in taken), None)
        if who is not None:
            j["attendance"].append({"classmeetingId": last["id"], "studentId": who, "reason": "ОСВ"})

    def _carry_homework(self, sg: int, code: str, text: str | None, expected_lesson: dict) -> None:
        klass = next(c for c in self.classes.values() if c["id"] == self.groups[sg]["class"])
        terms = klass["terms"]
        if terms.index(code) + 1 >= len(terms):
            expected_lesson["homework"] = "Без задания"  # nowhere for it to be due
            return
        nxt = terms[terms.index(code) + 1]
        j = self.journals.setdefault((sg, nxt), {
            "students": [], "classMeeting": [], "assignments": [], "marks": [], "attendance": [],
            "totals": [], "gradingSys": 0, "subjectGroupId": sg, "lastAccess": None})
        if not j["classMeeting"]:
            j["classMeeting"].append({"id": 7000 + next(self.ids), "date": TERMS[nxt]["start"] + "T00:00:00",
                                      "lessonId": None, "isTkr": False})
        self._homework(j, j["classMeeting"][0], text)
        expected_lesson["homework"] = text or "Без задания"


def _total(value: Any, passfail: bool) -> Any:
    if value == "н/а":
        return -1
    if value == "осв":
        return -2
    if passfail and value in ("зач", "незач"):
        return PASS if value == "зач" else FAIL
    return value


def _drop(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        return {k: _drop(v, key) for k, v in node.items() if k != key}
    if isinstance(node, list):
        return [_drop(v, key) for v in node]
    return node


class NetSchoolStandIn(LocalServer):
    """The server: `with NetSchoolStandIn(snapshots) as server: server.url …`."""

    def __init__(self, snapshots: list[dict], *, login: str = "zavuch", password: str = "Журнал-2026",
                 esia_only: bool = False, security_warning: bool = False, choose_role: bool = False):
        self.data = _Data(snapshots)
        self.login, self.password = login, password
        self.esia_only, self.security_warning, self.choose_role = esia_only, security_warning, choose_role
        self.delay = 0.0
        self.expire_after: int | None = None
        self.fail_sgids: set[int] = set()
        self.drop_field: str | None = None
        self.terms_need_class = False  # the terms offered only once a class is chosen
        self.listed_terms: set[str] | None = None  # the terms the school-wide filter offers (None: every one)
        self.serve_studentlist = True  # False: `users/studentlist` (an inferred endpoint) answers 404
        self.requests = 0
        self.peak = 0  # the most requests in flight at once
        self._in_flight = 0
        self.logins = 0
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[str, str]] = {}
        self._sessions: dict[str, dict] = {}
        super().__init__(self._wsgi)

    # ---- what tests ask ----------------------------------------------------------------
    def holds(self, class_name: str, code: str) -> dict:
        return copy.deepcopy(self.data.expected[(class_name, code)])

    def register(self, class_name: str, code: str) -> dict:
        """The school's register (roster.py's JSON) for the class, keyed by the server's student ids."""
        snap = self.holds(class_name, code)
        return {"school": {"director": snap["school"]["director"]["full_name"]},
                "students": {s["id"]: {"class": class_name, "full_name": s["full_name"], "birth_date": s["birth_date"],
                                       "enrolled_on": s["enrolled_on"], "left_on": s["left_on"]}
                             for s in snap["students"]}}

    def sgid_of(self, class_name: str, title: str) -> int:
        klass = next(c for c in self.data.classes.values() if c["name"] == class_name)
        return next(sg for sg in klass["sg"].values() if self.data.groups[sg]["title"] == title)

    def issue_token(self) -> str:
        """A session as one imported after a Госуслуги sign-in."""
        token = secrets.token_hex(16)
        with self._lock:
            self._sessions[token] = {"role": True, "warned": True}
        return token

    # ---- the wire ----------------------------------------------------------------------
    def _wsgi(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        with self._lock:
            self.requests += 1
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            response = self._route(request)
        finally:
            with self._lock:
                self._in_flight -= 1
        return response(environ, start_response)

    def _json(self, body: Any, status: int = 200) -> Response:
        if self.drop_field:
            body = _drop(body, self.drop_field)
        return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")

    def _route(self, rq: Request) -> Response:
        path = rq.path
        if path == "/webapi/logindata":
            resp = self._json({"productName": PRODUCT, "version": "5.40", "schoolLogin": not self.esia_only,
                               "esiaLogin": True, "esiaMainAuth": self.esia_only, "cacheVer": "1"})
            resp.set_cookie("NSSESSIONID", secrets.token_hex(8))
            return resp
        if path == "/webapi/prepareloginform":
            return self._json({"cid": 2, "sid": 1, "pid": -1, "cn": 3, "sft": 2, "scid": SCHOOL_ID,
                               "schools": [{"id": SCHOOL_ID, "name": self.data.school.get("short_name", "")}]})
        if path == "/webapi/auth/getdata" and rq.method == "POST":
            lt, salt = str(secrets.randbelow(10 ** 9)), str(secrets.randbelow(10 ** 9))
            with self._lock:
                self._pending[lt] = (salt, "768253229")
            return self._json({"lt": lt, "ver": "768253229", "salt": salt})
        if path == "/webapi/login" and rq.method == "POST":
            return self._sign_in(rq.form)
        if path == "/asp/SecurityWarning.asp" and rq.method == "POST":
            session = self._sessions.get(rq.form.get("at", ""))
            if session is None or rq.form.get("WarnType") != "2":
                return Response("bad", status=400)
            session["warned"] = True
            return Response("<html>ok</html>", mimetype="text/html")
        return self._authenticated(rq)

    def _sign_in(self, form: Any) -> Response:
        with self._lock:
            pending = self._pending.pop(form.get("lt", ""), None)
        if pending is None or form.get("ver") != pending[1] or form.get("scid") != str(SCHOOL_ID):
            return self._json({"message": "Сеанс входа устарел, обновите страницу"}, 409)
        pw2 = pw2_of(self.password, pending[0])
        if self.esia_only or form.get("un") != self.login or form.get("pw2") != pw2 \
                or form.get("pw") != pw2[: len(self.password)] or form.get("loginType") != "1":
            return self._json({"message": "Неправильный логин или пароль"}, 409)
        token = secrets.token_hex(16)
        role_chosen = not self.choose_role or bool(form.get("rolegroup"))
        with self._lock:
            self._sessions[token] = {"role": role_chosen, "warned": not self.security_warning}
            self.logins += 1
        roles = [{"userId": 1, "schoolId": SCHOOL_ID, "role": {"id": 4, "name": "Завуч"}},
                 {"userId": 1, "schoolId": SCHOOL_ID, "role": {"id": 2, "name": "Учитель"}}]
        entry = "/app/school/journal/" if role_chosen else "/app/choose-session-role"
        return self._json({"at": token, "timeOut": 900000, "entryPoint": entry, "requestData": None,
                           "accountInfo": {"user": {"id": 1, "name": "Завуч"}, "userRoles": roles,
                                           "currentOrganization": {"id": SCHOOL_ID, "name": "школа"}}})

    def _authenticated(self, rq: Request) -> Response:
        token = rq.headers.get("at", "")
        with self._lock:
            if self.expire_after is not None:
                self.expire_after -= 1
                if self.expire_after < 0:
                    self.expire_after = None
                    self._sessions.clear()
            session = self._sessions.get(token)
        if session is None:
            return Response("", status=401)
        if rq.path == "/webapi/auth/logout":
            with self._lock:
                self._sessions.pop(token, None)
            return Response("", status=200)
        if not session["role"]:
            return Response("", status=401)
        if not session["warned"]:
            return Response('<html><script>location.href="/asp/SecurityWarning.asp"</script></html>',
                            mimetype="text/html")
        return self._api(rq, rq.path.removeprefix("/webapi/"))

    def _api(self, rq: Request, path: str) -> Response:
        d, a = self.data, rq.args
        if path == "context":
            return self._json({"schoolId": SCHOOL_ID, "userId": 1, "user": {"id": 1, "name": "Завуч"},
                               "schoolyear": {"id": YEAR_ID, "name": "2026/2027", "startDate": "2026-09-01T00:00:00",
                                              "endDate": "2027-08-31T00:00:00"}})
        if path == "years/current":
            return self._json({"id": YEAR_ID, "name": "2026/2027"})
        if path == f"schools/{SCHOOL_ID}/card":
            return self._json({"commonInfo": {"schoolName": d.school["short_name"],
                                              "fullSchoolName": d.school["full_name"]},
                               "managementInfo": {"director": d.school["director"]["full_name"]},
                               "contactInfo": {}})
        if path == "grade/assignment/types":
            return self._json([{"id": i, "name": n, "abbr": n[:2], "order": i} for n, i in d.work_types.items()])
        if path == "grade/attendance/reasons":
            return self._json(REASONS)
        if path.startswith("terms/"):
            term = next((t for t in TERMS.values() if t["id"] == path[6:]), None)
            if term is None:
                return Response("", status=404)
            return self._json({"id": int(term["id"]), "name": term["title"], "termTypeId": 1,
                               "startDate": term["start"] + "T00:00:00", "endDate": term["end"] + "T00:00:00"})
        if path == "grade/journal/filter/init" and rq.method == "POST":
            return self._filters(rq.get_json(silent=True) or {})
        if path == "classes":
            return self._json([{"id": c["id"], "name": c["name"], "classTeacher": c["teacher"]}
                               for c in d.classes.values() if str(c["grade"]) == a.get("grade")])
        if path == "users/studentlist" and self.serve_studentlist:
            klass = next((c for c in d.classes.values() if str(c["id"]) == a.get("classId")), None)
            return self._json(list(klass["roster"].values()) if klass else [])
        if path.startswith("subjectgroups/") and int(path.split("/")[1]) in d.groups:
            g = d.groups[int(path.split("/")[1])]
            klass = next(c for c in d.classes.values() if c["id"] == g["class"])
            return self._json({"id": g["id"], "name": f"{klass['name']}/{g['title']}",
                               "subject": {"id": g["id"] % 1000, "name": g["subject"]}, "teachers": [g["teacher"]]})
        if path == "subjectplans/getForSubjectGroup":
            sg = int(a.get("sgId", "0"))
            return self._json({"subjectPlanId": sg, "variantsExists": False, "lessons": d.plans.get(sg, [])})
        if path == "grade/journal":
            return self._journal(a)
        return Response("", status=404)

    def _filters(self, body: dict) -> Response:
        chosen = {s.get("filterId"): s.get("filterValue") for s in body.get("selectedData") or []}
        classes = list(self.data.classes.values())
        if "PCLID_IUP" not in chosen:
            codes = [c for c in TERMS if any(c in k["terms"] for k in classes)
                     and (self.listed_terms is None or c in self.listed_terms)]
            answer = [{"filterId": "PCLID_IUP", "items": [{"title": c["name"], "value": f"{c['id']}_0"}
                                                          for c in classes]},
                      {"filterId": "TERMID", "items": [{"title": TERMS[c]["title"], "value": TERMS[c]["id"]}
                                                       for c in codes]}]
            return self._json(answer[:1] if self.terms_need_class else answer)
        klass = next((c for c in classes if f"{c['id']}_0" == chosen["PCLID_IUP"]), None)
        if klass is None:
            return self._json({"message": "Класс не найден"}, 400)
        sgs = [{"title": self.data.groups[sg]["title"], "value": str(sg)} for sg in klass["sg"].values()]
        return self._json([{"filterId": "SGID", "items": sgs, "defaultValue": sgs[0]["value"] if sgs else None},
                           {"filterId": "TERMID", "items": [{"title": TERMS[c]["title"], "value": TERMS[c]["id"]}
                                                            for c in klass["terms"]]}])

    def _journal(self, a: Any) -> Response:
        sg, term = int(a.get("sgId", "0")), a.get("termId", "")
        if sg in self.fail_sgids:
            return Response("Internal Server Error", status=500)
        group = self.data.groups.get(sg)
        code = next((t["code"] for t in TERMS.values() if t["id"] == term), None)
        if group is None or code is None or a.get("yearId") != str(YEAR_ID) or a.get("classId") != str(group["class"]):
            return self._json({"message": "Неверные параметры журнала"}, 400)
        journal = self.data.journals.get((sg, code)) or {
            "students": [], "classMeeting": [], "assignments": [], "marks": [], "attendance": [], "totals": [],
            "gradingSys": 0, "subjectGroupId": sg, "lastAccess": None}
        return self._json({"journals": [journal],
                           "editLimit": {"readOnly": True, "limitPastEdit": False, "limitPastDays": 0,
                                         "limitCmAccess": [], "limitPastEditHomeAssigns": False},
                           "markSettings": {"minMark": 1, "maxMark": 5, "useWeight": True}, "lastEditCmId": None})
