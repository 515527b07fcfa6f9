"""A stand-in ЭлЖур apiv3 server on 127.0.0.1, speaking the documented envelope.

It serves one class from a *truth* snapshot (`eljur_truth()`, built from `tests/builders.py`
and narrowed to what ЭлЖур can say: absences only «н»/«оп», numeric student ids), so a test can
compare the connector's snapshot with what the server holds. Enforced as documented:
`auth` needs login, password, vendor and devkey (a wrong one → `state` 400 + `error`); every
other method needs `devkey`, `vendor`, `out_format=json` and a live `auth_token` (missing or
expired → HTTP 400, `state` 400 + `error`). Faults on request: `expire_token_after` (the token
dies after that many data calls), `fail_method` (HTTP 500 on every call of that method),
`drop` = (method, field) (that key removed everywhere in the method's result).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets
import threading
from typing import Any

from standins.server import LocalServer
from werkzeug.wrappers import Request, Response

from builders import snapshot, subject

DEVKEY = "5f2b1c9e0d7a4e3b8c6d1f0a9b8c7d6e"
VENDOR = "school21"
LOGIN = "zavuch21"
PASSWORD = "Весна-2026!"
CLASS = "5А"
IDS = {"s1": "1001", "s2": "1002", "s3": "1003", "s4": "1004"}
PERIODS = [("I четверть", "20260901", "20261027"), ("II четверть", "20261105", "20261225"),
           ("III четверть", "20270111", "20270320"), ("IV четверть", "20270330", "20270531"),
           ("Год", "20260901", "20270531")]
LESSON_IDS = {"Математика": "345", "Музыка": "346", "Иностранный язык (английский)": "347",
              "Физическая культура": "348"}
TEACHER_ID = "77"
SUBSTITUTE = "Руденко Лариса Вячеславовна"
"""Gives one maths lesson while its teacher is away: the diary names her on that lesson."""


def eljur_truth() -> dict:
    """The class as the stand-in holds it: a valid `journal-snapshot/1` ЭлЖур can express."""
    data = snapshot(source={"system": "ЭлЖур", "exported_at": "2026-12-26T18:30:00+07:00"})
    text = json.dumps(data, ensure_ascii=False)
    for old, new in IDS.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    data = json.loads(text)
    math = subject(data, "math")
    for lesson in math["lessons"]:
        for a in lesson["absences"]:
            a["code"] = {"Б": "Н"}.get(a["code"], a["code"])  # ЭлЖур's API has no reasons
    math["lessons"][2]["absences"].append({"student_id": "1002", "code": "Н"})
    math["lessons"][2]["marks"] = [m for m in math["lessons"][2]["marks"] if m["student_id"] != "1002"]
    math["lessons"][3]["teacher"] = {"id": SUBSTITUTE, "full_name": SUBSTITUTE}  # ЭлЖур names the teacher only
    subject(data, "music")["period_marks"][2]["value"] = "н/а"
    eng1 = subject(data, "eng-1")
    eng1["group"]["name"] = "1 группа"
    eng2 = copy.deepcopy(eng1)
    eng2.update(id="eng-2", teacher={"id": "t5", "full_name": "Лебедева Инна Сергеевна"},
                group={"name": "2 группа", "student_ids": ["1003", "1004"]},
                period_marks=[{"student_id": "1003", "period": "Q2", "value": 4}])
    eng2_marks = {"2026-11-12": [("1004", 4, "Диктант")], "2026-11-19": [("1003", 3, "Самостоятельная работа")],
                  "2026-11-26": [("1004", 5, "Самостоятельная работа")],
                  "2026-12-03": [("1003", 4, "Самостоятельная работа"), ("1004", 3, "Самостоятельная работа")],
                  "2026-12-10": [("1003", 5, "Диктант")]}
    for k, lesson in enumerate(eng2["lessons"]):
        lesson.update(id=f"e2-{k + 1}", topic=f"Unit {k + 1}", homework="Без задания", absences=[],
                      marks=[{"student_id": sid, "value": value, "work_type": work, "set_on": lesson["date"]}
                             for sid, value, work in eng2_marks[lesson["date"]]])
    pe_days = ["2026-11-13", "2026-11-20", "2026-11-27", "2026-12-04", "2026-12-11", "2026-12-18"]
    pe = {"id": "pe", "name": "Физическая культура", "teacher": {"id": "t4", "full_name": "Орлов Павел Игоревич"},
          "hours_per_week": 1, "lessons": [], "period_marks": [
              {"student_id": "1001", "period": "Q2", "value": "зач"},
              {"student_id": "1002", "period": "Q2", "value": "осв"},
              {"student_id": "1003", "period": "Q2", "value": "незач"}]}
    for k, day in enumerate(pe_days):
        marks = [{"student_id": "1001", "value": "зач", "work_type": "Норматив", "set_on": day}]
        if day > "2026-11-16":
            marks.append({"student_id": "1003", "value": "незач" if k % 2 else "зач", "work_type": "Норматив",
                          "set_on": day})
        absences = [{"student_id": "1004", "code": "О"}] if day == "2026-11-27" else []
        pe["lessons"].append({"id": f"pe-{k + 1}", "date": day, "topic": None if k == 5 else f"Лёгкая атлетика {k + 1}",
                              "homework": "Без задания", "marks": marks, "absences": absences})
    data["subjects"] += [eng2, pe]
    return data


def _in_class(student: dict, day: str) -> bool:
    return (not student["enrolled_on"] or student["enrolled_on"] <= day) and \
        (not student["left_on"] or day <= student["left_on"])


def _takes(subj: dict, sid: str) -> bool:
    return "group" not in subj or sid in subj["group"]["student_ids"]


class EljurStandIn(LocalServer):
    """The server: `with EljurStandIn() as server: server.url` (the apiv3 base)."""

    def __init__(self, truth: dict | None = None):
        self.truth = truth or eljur_truth()
        self.tokens: set[str] = set()
        self.issued: list[str] = []
        self.auth_calls = 0
        self.data_calls = 0
        self.expire_token_after: int | None = None
        self.fail_method: str | None = None
        self.drop: tuple[str, str] | None = None
        self._lock = threading.Lock()
        super().__init__(self.wsgi, "/apiv3")

    # -- HTTP ---------------------------------------------------------------------------------

    def wsgi(self, environ: dict, start_response: Any) -> Any:
        request = Request(environ)
        method = request.path.rsplit("/", 1)[-1]
        if not request.path.startswith("/apiv3/"):
            return Response("not found", status=404)(environ, start_response)
        if method == self.fail_method:
            return Response("<h1>502 Bad Gateway</h1>", status=500)(environ, start_response)
        args = request.values
        with self._lock:
            response = self.answer(method, args)
        return response(environ, start_response)

    @staticmethod
    def _ok(result: Any) -> Response:
        return Response(json.dumps({"response": {"state": 200, "error": None, "result": result}},
                                   ensure_ascii=False), content_type="application/json; charset=utf-8")

    @staticmethod
    def _failed(error: str) -> Response:
        return Response(json.dumps({"response": {"state": 400, "error": error, "result": {}}}, ensure_ascii=False),
                        status=400, content_type="application/json; charset=utf-8")

    def answer(self, method: str, args: Any) -> Response:
        if args.get("devkey") != DEVKEY or args.get("vendor") != VENDOR:
            return self._failed("не удалось авторизовать разработчика")
        if args.get("out_format") != "json":
            return self._failed("неизвестный формат вывода")
        if method == "auth":
            self.auth_calls += 1
            if args.get("login") != LOGIN or args.get("password") != PASSWORD:
                return self._failed("Неверный логин или пароль")
            token = secrets.token_hex(16)
            self.tokens.add(token)
            self.issued.append(token)
            return self._ok(self._dropped("auth", {"token": token, "expires": "2027-03-26 18:30:00"}))
        if args.get("auth_token") not in self.tokens:
            return self._failed("Ошибка авторизации: токен недействителен или истёк")
        self.data_calls += 1
        if self.expire_token_after is not None and self.data_calls > self.expire_token_after:
            self.tokens.clear()
            self.expire_token_after = None
            return self._failed("Ошибка авторизации: токен недействителен или истёк")
        handler = getattr(self, f"m_{method}", None)
        if handler is None:
            return self._failed(f"метод {method} не найден")
        student = args.get("student")
        if student is not None and student not in self._students():
            return self._failed("нет доступа к ученику")
        if method not in ("getrules", "getperiods") and not args.get("days"):
            return self._failed("не указан параметр days")
        return self._ok(self._dropped(method, handler(student, args.get("days", ""))))

    def _dropped(self, method: str, result: Any) -> Any:
        return _without(result, self.drop[1]) if self.drop and self.drop[0] == method else result

    # -- methods ------------------------------------------------------------------------------

    def _students(self) -> dict[str, dict]:
        return {s["id"]: s for s in self.truth["students"]}

    def _chosen(self, student: str | None) -> list[dict]:
        return [s for sid, s in self._students().items() if student in (None, sid)]

    def m_getrules(self, _student: str | None, _days: str) -> dict:
        t = self.truth
        teacher = t["class"]["class_teacher"]["full_name"]
        students = {s["id"]: {"name": s["id"], "title": s["full_name"], "lastname": s["full_name"].split()[0],
                              "firstname": s["full_name"].split()[1], "class": CLASS, "parallel": 5,
                              "gender": "", "rel": "student", "rules": [], "city": "Екатеринбург"}
                    for s in t["students"]}
        students["2001"] = {"name": "2001", "title": "Яковлев Пётр Романович", "lastname": "Яковлев",
                            "firstname": "Пётр", "class": "6Б", "parallel": 6, "gender": "male", "rel": "student",
                            "rules": [], "city": "Екатеринбург"}
        return {"name": "900", "title": "Зайцева Марина Олеговна", "roles": ["employee", "administrator"],
                "relations": {"groups": {CLASS: {"name": CLASS, "parallel": 5, "hometeacher_id": TEACHER_ID,
                                                 "hometeacher_name": teacher, "rel": "teacher", "rules": [],
                                                 "balls": 0},
                                        # a class the account is linked to but whose students it does not see
                                        "5Б": {"name": "5Б", "parallel": 5, "hometeacher_id": "78",
                                               "hometeacher_name": "Титова Вера Андреевна", "rel": "teacher",
                                               "rules": [], "balls": 0}},
                              "schools": [{"title": t["school"]["short_name"], "title_full": t["school"]["full_name"],
                                           "number": "21", "inn": "6601000021", "kpp": "660101001"}],
                              "students": students},
                "vendor": VENDOR, "vendor_id": 21}

    def m_getperiods(self, student: str | None, _days: str) -> dict:
        periods = [{"name": n, "fullname": n, "start": a, "end": b, "ambigious": False, "disabled": False}
                   for n, a, b in PERIODS]
        return {"students": [{"name": s["id"], "title": s["full_name"], "periods": periods}
                             for s in self._chosen(student)]}

    def _lessons(self, sid: str, days: str):
        """(subject, lesson, num) the student had in the requested days, as the diary shows them."""
        first, last = (dt.datetime.strptime(d, "%Y%m%d").date().isoformat() for d in days.split("-"))
        student = self._students()[sid]
        for subj in self.truth["subjects"]:
            if not _takes(subj, sid):
                continue
            for lesson in subj["lessons"]:
                if first <= lesson["date"] <= last and _in_class(student, lesson["date"]):
                    yield subj, lesson, self._num(subj, lesson["date"])

    def _num(self, subj: dict, day: str) -> int:
        ids = sorted({LESSON_IDS[s["name"]] for s in self.truth["subjects"]
                      if any(les["date"] == day for les in s["lessons"])})
        return ids.index(LESSON_IDS[subj["name"]]) + 1

    def m_getdiary(self, student: str | None, days: str) -> dict:
        out = {}
        for s in self._chosen(student):
            record: dict = {"name": s["id"], "title": s["full_name"], "parent_signed": False, "days": {}}
            for subj, lesson, num in self._lessons(s["id"], days):
                key = lesson["date"].replace("-", "")
                day = record["days"].setdefault(key, {"name": key, "title": lesson["date"], "items": {}})
                item = {"name": subj["name"], "num": str(num), "lesson_id": LESSON_IDS[subj["name"]],
                        "teacher": lesson.get("teacher", subj["teacher"])["full_name"], "room": "21",
                        "sort": num * 100,
                        "is_control": False, "files": [], "resources": [], "assessments": [],
                        "homework": {} if lesson["homework"] == "Без задания" else
                        {"1": {"id": 1, "value": lesson["homework"], "individual": False}}}
                if lesson["topic"]:
                    item["topic"] = lesson["topic"]
                if "group" in subj:
                    item["grp"] = subj["group"]["name"]
                    item["grp_short"] = subj["group"]["name"].split()[0] + "гр"
                day["items"][str(num)] = item
            if s["id"] == "1001":  # an individual task is the student's own, not the lesson's homework
                for day in record["days"].values():
                    for item in day["items"].values():
                        item["homework"]["9"] = {"id": 9, "value": "Доклад (индивидуально)", "individual": True}
                        break
                    break
            out[s["id"]] = record
        return {"students": out}

    def m_getmarks(self, student: str | None, days: str) -> dict:
        out = {}
        for s in self._chosen(student):
            by_subject: dict[str, dict] = {}
            for subj, lesson, _num in self._lessons(s["id"], days):
                entry = by_subject.setdefault(subj["name"], {
                    "name": subj["name"], "lesson_id": LESSON_IDS[subj["name"]], "average": "0", "averageConvert": 0,
                    "marks": []})
                for nm, m in enumerate(x for x in lesson["marks"] if x["student_id"] == s["id"]):
                    entry["marks"].append({"value": str(m["value"]), "date": m["set_on"],
                                           "lesson_id": LESSON_IDS[subj["name"]], "nm": str(nm), "weight": 1,
                                           "weight_float": 1.0, "count": True, "countas": str(m["value"]),
                                           "convert": m["value"] if isinstance(m["value"], int) else 0,
                                           "comment": "", "lesson_comment": None, "max_mark": 5,
                                           "mtype": {"id": 1, "short": m["work_type"][:2], "type": m["work_type"]}})
                for a in lesson["absences"]:
                    if a["student_id"] == s["id"]:
                        value = {"Н": "н" if s["id"] < "1003" else "Н", "О": "оп" if s["id"] < "1003" else "ОП"}
                        entry["marks"].append({"value": value[a["code"]], "date": lesson["date"],
                                               "lesson_id": LESSON_IDS[subj["name"]], "nm": "9", "weight": 0,
                                               "weight_float": 0, "count": False, "countas": 0, "convert": 0,
                                               "comment": "", "lesson_comment": None, "max_mark": None})
            if s["id"] == "1002" and "Математика" in by_subject:  # not counted by ЭлЖур: not a mark
                by_subject["Математика"]["marks"].append({
                    "value": "•", "date": "2026-11-09", "lesson_id": "345", "nm": "5", "weight": 0, "weight_float": 0,
                    "count": False, "countas": 0, "convert": 0, "comment": "долг", "lesson_comment": None,
                    "max_mark": 5, "mtype": {"id": 1, "short": "ОУ", "type": "Ответ на уроке"}})
            out[s["id"]] = {"name": s["id"], "title": s["full_name"], "lessons": list(by_subject.values())}
        return {"students": out}

    def m_getfinalassessments(self, student: str | None, _days: str) -> dict:
        out = {}
        for s in self._chosen(student):
            items = []
            for subj in self.truth["subjects"]:
                marks = [pm for pm in subj["period_marks"] if pm["student_id"] == s["id"]]
                if marks:
                    # the first quarter's mark is served too: the connector keeps only the period asked for
                    items.append({"name": subj["name"], "assessments": [
                        {"value": "4", "period": "I четверть", "comment": "", "convert": 4},
                        *({"value": str(pm["value"]), "period": "II четверть", "comment": "", "convert": 0}
                          for pm in marks),
                        {"value": "", "period": "Год", "comment": "", "convert": 0}]})
            out[s["id"]] = {"name": s["id"], "title": s["full_name"], "items": items}
        return {"students": out}


def _without(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, key) for k, v in value.items() if k != key}
    if isinstance(value, list):
        return [_without(v, key) for v in value]
    return value
