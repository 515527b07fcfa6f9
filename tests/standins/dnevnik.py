"""A stand-in for Дневник.ру: the login form flow and the partner API v2 over HTTP on 127.0.0.1.

It speaks the shapes of journal-systems.md §3 (fields as the public clients read them) and
serves one school whose data comes from `journal-snapshot/1` dicts (tests/builders.py), so a
test can compare what a connector makes with what the stand-in holds: `expected(data)` is that
data with the stand-in's numeric ids. It enforces the sign-in: the login form takes only the
right login and password (anything else shows the login page again, no `result=success`),
every API call needs a live `Access-Token` (else 401 `{type: authorizationFailed}`).

Like the real API it has no arrival or leaving dates: `persons` lists the current members only,
attendance (`lesson-log-entries`, «Attend» included) is kept only for the days a student was in
the class, and the school's register for them is `register()` (roster.py's JSON).

Misbehaviour on request: `expire_after(n)` kills the current token after n more API calls,
`fail(fragment)` answers 500 `apiServerError` to every path containing it, `refuse(fragment)`
400 `parameterInvalid`, `drop(kind, field)`
removes a field from every object of one response kind; `signed={(lesson, student): "4-"}`
serves a mark with a sign.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
from typing import Any
from urllib.parse import urlencode

from standins.server import LocalServer
from werkzeug.wrappers import Request, Response

SCHOOL_ID = 1000002283077
HOMEWORK_TYPE, FINAL_TYPE = 900, 901


def _name(full: str) -> dict:
    last, first, *middle = full.split()
    return {"lastName": last, "firstName": first, "middleName": " ".join(middle) or None}


class DnevnikStandIn(LocalServer):
    """One school with classes made from snapshot dicts; `url` is the server, `api` its `/v2/`."""

    def __init__(self, classes: list[dict], *, login: str = "admin21", password: str = "верный-пароль",
                 client_id: str = "partner-app", token: str | None = None,
                 signed: dict[tuple[str, str], str] | None = None):
        self.login, self.password, self.client_id = login, password, client_id
        self.tokens: set[str] = {token} if token else set()
        self.requests: list[str] = []
        self.failing: set[str] = set()
        self.invalid: set[str] = set()
        self.dropped: dict[str, set[str]] = {}
        self.signed = dict(signed or {})
        self._expire_in: int | None = None
        self._sessions: set[str] = set()
        self._lock = threading.Lock()
        self._ids: dict[tuple[str, str], int] = {}
        self.classes = [copy.deepcopy(c) for c in classes]
        self._build()
        super().__init__(self.app)
        self.api = self.url + "v2/"


    # -- misbehaviour -----------------------------------------------------------------------------------------------

    def expire_after(self, calls: int) -> None:
        self._expire_in = calls

    def fail(self, fragment: str) -> None:
        self.failing.add(fragment)

    def refuse(self, fragment: str) -> None:
        """Answer 400 `parameterInvalid` to every path containing `fragment`."""
        self.invalid.add(fragment)

    def drop(self, kind: str, field: str) -> None:
        self.dropped.setdefault(kind, set()).add(field)

    # -- ids and data -----------------------------------------------------------------------------------------------

    def id(self, kind: str, key: str) -> int:
        """The stand-in's numeric id of a snapshot id (students, lessons, subjects, teachers, classes, groups)."""
        base = {"person": 1000, "user": 5000, "lesson": 90000, "subject": 200, "teacher": 7000, "group": 3000,
                "work": 40000, "mark": 60000, "worktype": 100}[kind]
        with self._lock:
            return self._ids.setdefault((kind, key), base + 1 + sum(1 for k in self._ids if k[0] == kind))

    def _build(self) -> None:
        self.groups: list[dict] = []
        self.persons: dict[int, list[dict]] = {}
        self.users: dict[int, dict] = {}
        self.teachers: dict[str, dict] = {}
        self.lessons: dict[int, list[dict]] = {}
        self.marks: dict[int, list[dict]] = {}
        self.log: dict[int, list[dict]] = {}
        self.final: dict[int, dict] = {}
        self.work_types: dict[str, int] = {}
        self.periods: list[dict] = []
        for data in self.classes:
            self._build_class(data)
        # a class teacher of another class: HouseMaster, but teaches none of these lessons
        self.teachers.setdefault("other-master", {"Id": self.id("teacher", "other-master"), "LastName": "Орлова",
                                                  "FirstName": "Нина", "MiddleName": "Ивановна", "HouseMaster": True})

    def _teacher(self, person: dict, master: bool = False) -> int:
        tid = self.id("teacher", person["id"])
        entry = self.teachers.setdefault(person["id"], {"Id": tid, "UserId": tid + 10000, "HouseMaster": False,
                                                        **{k[0].upper() + k[1:]: v
                                                           for k, v in _name(person["full_name"]).items()}})
        entry["HouseMaster"] = entry["HouseMaster"] or master
        return tid

    def _work_type(self, title: str) -> int:
        return self.work_types.setdefault(title, self.id("worktype", title))

    def _build_class(self, data: dict) -> None:
        self.school = data["school"]
        cls = data["class"]
        gid = self.id("group", cls["id"])
        year = int(data["academic_year"][:4])
        self.groups.append({"id": gid, "parentIds": [], "type": "Group", "name": cls["name"],
                            "fullName": cls["name"], "parallel": cls["grade"], "studyyear": year})
        self._teacher(cls["class_teacher"], master=True)
        self.persons[gid] = []
        for s in data["students"]:
            pid, uid = self.id("person", s["id"]), self.id("user", s["id"])
            self.users[uid] = {"id": uid, "personId": pid, "birthday": s["birth_date"] + "T00:00:00",
                               **_name(s["full_name"])}
            if s["left_on"] is None:  # the roster lists current members only
                self.persons[gid].append({"id": pid, "userId": uid, **_name(s["full_name"]), "sex": "Male"})
        p = data["period"]
        if not self.periods:
            kind = {"quarter": "Quarter", "half_year": "HalfYear", "trimester": "Trimester", "year": "Year"}[p["kind"]]
            self.periods = [{"id": 11, "start": p["start"] + "T00:00:00", "finish": p["end"] + "T23:59:59",
                             "number": p["number"], "type": kind, "name": f"{p['number']} четверть",
                             "year": year}]
        for subject in data["subjects"]:
            target = gid
            if subject.get("group"):
                target = self.id("group", cls["id"] + "/" + subject["group"]["name"])
                if not any(g["id"] == target for g in self.groups):
                    self.groups.append({"id": target, "parentIds": [gid], "type": "Subgroup",
                                        "name": subject["group"]["name"], "fullName": subject["group"]["name"],
                                        "parallel": cls["grade"], "studyyear": year})
                    self.persons[target] = [pp for pp in self.persons[gid]
                                            if str(pp["id"]) in {str(self.id("person", s))
                                                                 for s in subject["group"]["student_ids"]}]
            members = [s for s in data["students"]
                       if not subject.get("group") or s["id"] in subject["group"]["student_ids"]]
            self._build_subject(subject, target, data["period"], members)

    def _build_subject(self, subject: dict, gid: int, period: dict, students: list[dict]) -> None:
        sid, tid = self.id("subject", subject["name"]), self._teacher(subject["teacher"])
        ref = {"id": sid, "name": subject["name"], "knowledgeArea": None, "fgosSubjectId": None}
        for i, lesson in enumerate(subject["lessons"]):
            lid = self.id("lesson", lesson["id"])
            works = []
            if lesson["homework"] is not None:
                works.append({"id": self.id("work", lesson["id"] + "/hw"), "type": "Homework",
                              "workType": self._work_type("Домашнее задание"), "markType": "mark5", "markCount": 1,
                              "lesson": lid, "displayInJournal": True, "status": "Sent", "eduGroup": gid,
                              "text": lesson["homework"], "periodNumber": period["number"], "periodType": "Quarter",
                              "subjectId": sid, "isImportant": False, "targetDate": lesson["date"] + "T00:00:00",
                              "tasks": []})
            self.lessons.setdefault(gid, []).append({
                "id": lid, "title": lesson["topic"], "date": lesson["date"] + "T00:00:00", "number": i % 6 + 1,
                "subject": ref, "group": gid, "status": "Finished", "works": works,
                "teachers": [self._teacher(lesson["teacher"]) if lesson.get("teacher") else tid]})
            for m in lesson["marks"]:
                wt = self._work_type(m["work_type"])
                wid = self.id("work", lesson["id"] + "/" + m["work_type"])
                value = self.signed.get((lesson["id"], m["student_id"]), str(m["value"]))
                text = {"зач": "зачёт", "незач": "незачёт"}.get(str(m["value"]), value)
                self.marks.setdefault(gid, []).append({
                    "id": self.id("mark", lesson["id"] + "/" + m["student_id"]),
                    "type": "mark5" if isinstance(m["value"], int) else "markpass", "value": text,
                    "textValue": text, "person": self.id("person", m["student_id"]), "work": wid, "lesson": lid,
                    "number": 1, "date": m["set_on"] + "T12:00:00", "workType": wt, "mood": "Good",
                    "use_avg_calc": True})
            absent = {a["student_id"]: a["code"] for a in lesson["absences"]}
            for s in students:  # attendance is taken of those in the class that day, leavers included
                if (s["enrolled_on"] and lesson["date"] < s["enrolled_on"]) or \
                        (s["left_on"] and lesson["date"] > s["left_on"]):
                    continue
                status = {"Н": "Absent", "Б": "Ill", "О": "Late", "У": "Pass"}.get(absent.get(s["id"], ""), "Attend")
                self.log.setdefault(gid, []).append({"person": self.id("person", s["id"]), "lesson": lid,
                                                     "comment": None,
                                                     "status": status, "createdDate": lesson["date"] + "T09:00:00",
                                                     "subject": sid, "date": lesson["date"]})
        final = self.final.setdefault(gid, {"marks": [], "works": [], "subjects": [], "workTypes": [
            {"id": FINAL_TYPE, "schoolId": SCHOOL_ID, "abbreviation": "Ч", "name": "Четвертная", "isFinal": True,
             "isImportant": True, "kindId": 1, "kind": "FinalMark"}]})
        final["subjects"].append(ref)
        codes = {pm["period"] for pm in subject["period_marks"]}
        for code in codes:
            wid = self.id("work", f"final/{gid}/{sid}/{code}")
            final["works"].append({"id": wid, "type": "FinalMark", "workType": FINAL_TYPE, "markType": "mark5",
                                   "lesson": 0, "eduGroup": gid, "periodNumber": int(code[1:]),
                                   "periodType": {"Q": "Quarter", "H": "HalfYear", "T": "Trimester"}[code[0]],
                                   "subjectId": sid, "isImportant": True, "targetDate": period["end"] + "T00:00:00"})
            for pm in (p for p in subject["period_marks"] if p["period"] == code):
                value = {"зач": "зачёт", "незач": "незачёт"}.get(str(pm["value"]), str(pm["value"]))
                final["marks"].append({"id": self.id("mark", f"final/{sid}/{pm['student_id']}"),
                                       "type": "mark5" if isinstance(pm["value"], int) else "marktext",
                                       "value": value, "person": self.id("person", pm["student_id"]), "work": wid,
                                       "date": period["end"] + "T00:00:00", "workType": FINAL_TYPE})

    def expected(self, data: dict) -> dict:
        """`data` as the connector should make it from this stand-in with the school's register (`register()`):
        the stand-in's ids, «Дневник.ру»."""
        out = copy.deepcopy(data)
        out["source"]["system"] = "Дневник.ру"
        out["school"]["id"] = str(SCHOOL_ID)
        cls = out["class"]
        gid = self.id("group", cls["id"])
        cls["id"] = str(gid)
        cls["class_teacher"]["id"] = str(self.id("teacher", cls["class_teacher"]["id"]))
        out["students"] = [dict(s, id=str(self.id("person", s["id"]))) for s in out["students"]]
        person = lambda sid: str(self.id("person", sid))  # noqa: E731
        for subject in out["subjects"]:
            target = self.id("group", data["class"]["id"] + "/" + subject["group"]["name"]) if subject.get("group") \
                else gid
            subject["id"] = f"{target}-{self.id('subject', subject['name'])}"
            subject["teacher"]["id"] = str(self.id("teacher", subject["teacher"]["id"]))
            if subject.get("group"):
                subject["group"]["student_ids"] = [person(s) for s in subject["group"]["student_ids"]]
            for lesson in subject["lessons"]:
                lesson["id"] = str(self.id("lesson", lesson["id"]))
                if lesson.get("teacher"):
                    lesson["teacher"]["id"] = str(self.id("teacher", lesson["teacher"]["id"]))
                for m in lesson["marks"]:
                    m["student_id"] = person(m["student_id"])
                for a in lesson["absences"]:
                    a["student_id"] = person(a["student_id"])
            for pm in subject["period_marks"]:
                pm["student_id"] = person(pm["student_id"])
        return out

    def register(self) -> dict:
        """The school's register (roster.py's JSON) as the school's records would have it: every student of
        every class, leavers included, keyed by the stand-in's person ids."""
        return {"school": {"director": self.school["director"]["full_name"]},
                "students": {str(self.id("person", s["id"])): {
                    "class": data["class"]["name"], "full_name": s["full_name"], "birth_date": s["birth_date"],
                    "enrolled_on": s["enrolled_on"], "left_on": s["left_on"]}
                    for data in self.classes for s in data["students"]}}

    # -- HTTP -------------------------------------------------------------------------------------------------------

    def _json(self, body: Any, status: int = 200) -> Response:
        return Response(json.dumps(body, ensure_ascii=False), status, content_type="application/json; charset=utf-8")

    def _login_page(self) -> Response:
        return Response("<html><body><form method=post>Вход</form></body></html>", 200, content_type="text/html")

    def app(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        self.requests.append(request.path)
        if request.path.startswith("/v2/"):
            response = self._api(request)
        else:
            response = self._login(request)
        return response(environ, start_response)

    def _login(self, request: Request) -> Response:
        if request.path == "/login/" and request.method == "POST":
            form = request.form if request.form else request.args
            if form.get("login") != self.login or form.get("password") != self.password:
                return self._login_page()
            session = secrets.token_hex(8)
            self._sessions.add(session)
            response = Response("", 302, headers={"Location": form.get("ReturnUrl", "/")})
            response.set_cookie("DnevnikAuth_a", session)
            return response
        if request.path == "/oauth2" and request.method in ("GET", "POST"):
            if request.cookies.get("DnevnikAuth_a") not in self._sessions:
                return self._login_page()
            if request.args.get("client_id") != self.client_id or request.args.get("response_type") != "token":
                return Response("<html>unknown client</html>", 400, content_type="text/html")
            token = secrets.token_hex(16)
            self.tokens.add(token)
            query = urlencode({"response_type": "token", "client_id": self.client_id, "scope": "EducationalInfo",
                               "is_granted": "False", "result": "success"})
            return Response("", 302, headers={"Location": f"/oauth2/Authorization/Result?{query}"
                                                          f"#access_token={token}&state="})
        if request.path == "/oauth2/Authorization/Result":
            return Response("<html>ok</html>", 200, content_type="text/html")
        return Response("not found", 404)

    def _api(self, request: Request) -> Response:
        token = request.headers.get("Access-Token", "")
        with self._lock:
            if token not in self.tokens:
                return self._json({"type": "authorizationFailed", "description": "Токен недействителен"}, 401)
            if self._expire_in is not None:
                self._expire_in -= 1
                if self._expire_in < 0:
                    self.tokens.discard(token)
                    self._expire_in = None
                    return self._json({"type": "authorizationFailed", "description": "Токен недействителен"}, 401)
        path = request.path[len("/v2/"):]
        if any(f in path for f in self.failing):
            return self._json({"type": "apiServerError", "description": "Internal error"}, 500)
        if any(f in path for f in self.invalid):
            return self._json({"type": "parameterInvalid", "description": "Неверный формат даты"}, 400)
        kind, body = self._route(path, request.args)
        if body is None:
            return self._json({"type": "apiResourceUnavailable", "description": path}, 404)
        return self._json(self._without(kind, body))

    def _without(self, kind: str, body: Any) -> Any:
        fields = self.dropped.get(kind)
        if not fields:
            return body
        strip = lambda o: {k: v for k, v in o.items() if k not in fields}  # noqa: E731
        return [strip(o) for o in body] if isinstance(body, list) else strip(body)

    def _route(self, path: str, args: Any) -> tuple[str, Any]:
        parts = path.strip("/").split("/")
        groups = {g["id"]: g for g in self.groups}
        if parts == ["users", "me", "context"]:
            return "context", {"personId": 1, "roles": ["EduAdmin"], "schools": [
                {"id": SCHOOL_ID, "name": self.school["short_name"], "type": "School",
                 "groupIds": list(groups)}], "eduGroups": self.groups}
        if parts == ["schools", str(SCHOOL_ID), "parameters"]:
            return "parameters", {"schoolId": SCHOOL_ID, "fullName": self.school["full_name"],
                                  "shortName": self.school["short_name"],
                                  "directorFullName": self.school["director"]["full_name"]}
        if parts == ["schools", str(SCHOOL_ID), "edu-groups"]:
            return "edu-groups", self.groups
        if parts == ["schools", str(SCHOOL_ID), "teachers"]:
            return "teachers", list(self.teachers.values())
        if parts == ["work-types", str(SCHOOL_ID)]:
            return "work-types", [{"id": i, "schoolId": SCHOOL_ID, "kindId": 1, "kind": "Common", "title": t,
                                   "abbr": t[:2], "weight": 1} for t, i in self.work_types.items()]
        if len(parts) == 2 and parts[0] == "users" and parts[1].isdigit():
            return "users", self.users.get(int(parts[1]))
        if parts[0] == "lesson-log-entries" and len(parts) == 3:
            gid, subject = int(parts[2]), int(args.get("subject", 0))
            lo, hi = args.get("from", ""), args.get("to", "9999")
            return "lesson-log-entries", [{k: v for k, v in e.items() if k not in ("subject", "date")}
                                          for e in self.log.get(gid, [])
                                          if e["subject"] == subject and lo <= e["date"] <= hi]
        if parts[0] != "edu-groups" or len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) not in groups:
            return "", None
        gid = int(parts[1])
        rest = parts[2:]
        if not rest:
            return "edu-group", groups[gid]
        if rest == ["persons"]:
            return "persons", self.persons.get(gid, [])
        if rest == ["reporting-periods"]:
            return "reporting-periods", self.periods
        if rest == ["final-marks"]:
            return "final-marks", self.final.get(gid, {"marks": [], "works": [], "subjects": [], "workTypes": []})
        if len(rest) == 3 and rest[0] in ("lessons", "marks"):
            lo, hi = rest[1][:10], rest[2][:10]
            items = self.lessons if rest[0] == "lessons" else self.marks
            key = "date"
            return rest[0], [x for x in items.get(gid, []) if lo <= x[key][:10] <= hi]
        return "", None
