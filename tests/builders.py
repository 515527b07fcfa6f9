"""Builders of test data with overridable defaults.

`snapshot()` is a small but complete, valid `journal-snapshot/1` of class 5А for the second
quarter of 2026/2027: four students (one arrives and one leaves during the quarter), a
two-hour subject, a one-hour subject and an English subgroup. Tests change what they need.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

Q2_START, Q2_END = dt.date(2026, 11, 5), dt.date(2026, 12, 25)
EXPORTED_AT = "2026-12-26T18:30:00+07:00"

STUDENTS = [
    {"id": "s1", "full_name": "Алексеев Иван Петрович", "birth_date": "2015-03-14", "enrolled_on": None,
     "left_on": None},
    {"id": "s2", "full_name": "Борисова Мария Андреевна", "birth_date": "2015-07-02", "enrolled_on": None,
     "left_on": None},
    {"id": "s3", "full_name": "Васильев Олег Ильич", "birth_date": "2015-01-20", "enrolled_on": "2026-11-16",
     "left_on": None},
    {"id": "s4", "full_name": "Григорьева Анна Сергеевна", "birth_date": "2014-12-05", "enrolled_on": None,
     "left_on": "2026-12-04"},
]


def _lessons(prefix: str, dates: list[str], marks: dict[str, list[tuple[str, Any]]] | None = None,
             absences: dict[str, list[tuple[str, str | None]]] | None = None) -> list[dict]:
    out = []
    for i, day in enumerate(dates):
        out.append({
            "id": f"{prefix}-{i + 1}", "date": day, "topic": f"Тема урока {i + 1}",
            "homework": f"§ {i + 1}, упр. {100 + i}",
            "marks": [{"student_id": sid, "value": value, "work_type": "Ответ на уроке", "set_on": day}
                      for sid, value in (marks or {}).get(day, [])],
            "absences": [{"student_id": sid, "code": code} for sid, code in (absences or {}).get(day, [])],
        })
    return out


def snapshot(**overrides: Any) -> dict:
    """A valid snapshot as a dict; keyword arguments replace top-level keys."""
    math_days = ["2026-11-09", "2026-11-10", "2026-11-16", "2026-11-17", "2026-11-23", "2026-12-01",
                 "2026-12-08", "2026-12-15"]
    math_marks = {d: [("s1", 5), ("s2", 4)] for d in math_days[:6]}
    math_marks["2026-11-09"].append(("s4", 3))
    for d in ("2026-11-17", "2026-11-23", "2026-12-01", "2026-12-08", "2026-12-15"):
        math_marks.setdefault(d, []).append(("s3", 4))
    math_absences = {"2026-12-08": [("s1", "Б")], "2026-12-15": [("s2", "О")]}
    music_days = ["2026-11-11", "2026-11-18", "2026-11-25", "2026-12-02"]
    music_marks = {d: [("s1", 5), ("s2", 5), ("s3", 4)] for d in music_days[1:]}
    data = {
        "format": "journal-snapshot/1",
        "source": {"system": "Сетевой город. Образование", "exported_at": EXPORTED_AT},
        "school": {"id": "school-21", "full_name": "МБОУ «Средняя общеобразовательная школа № 21»",
                   "short_name": "МБОУ СОШ № 21",
                   "director": {"full_name": "Сергеева Ольга Викторовна", "position": "Директор"}},
        "academic_year": "2026/2027",
        "period": {"kind": "quarter", "number": 2, "start": Q2_START.isoformat(), "end": Q2_END.isoformat()},
        "class": {"id": "c-5a", "name": "5А", "grade": 5,
                  "class_teacher": {"id": "t1", "full_name": "Николаева Елена Павловна"}},
        "students": copy.deepcopy(STUDENTS),
        "subjects": [
            {"id": "math", "name": "Математика", "teacher": {"id": "t1", "full_name": "Николаева Елена Павловна"},
             "hours_per_week": 5, "lessons": _lessons("m", math_days, math_marks, math_absences),
             "period_marks": [{"student_id": "s1", "period": "Q2", "value": 5},
                              {"student_id": "s2", "period": "Q2", "value": 4},
                              {"student_id": "s3", "period": "Q2", "value": 4}]},
            {"id": "music", "name": "Музыка", "teacher": {"id": "t2", "full_name": "Ким Виктор Алексеевич"},
             "hours_per_week": 1, "lessons": _lessons("mu", music_days, music_marks),
             "period_marks": [{"student_id": "s1", "period": "Q2", "value": 5},
                              {"student_id": "s2", "period": "Q2", "value": 5},
                              {"student_id": "s3", "period": "Q2", "value": 4}]},
            {"id": "eng-1", "name": "Иностранный язык (английский)",
             "teacher": {"id": "t3", "full_name": "Смирнова Дарья Олеговна"}, "hours_per_week": 3,
             "group": {"name": "1 группа", "student_ids": ["s1", "s2"]},
             "lessons": _lessons("e", ["2026-11-12", "2026-11-19", "2026-11-26", "2026-12-03", "2026-12-10"],
                                 {d: [("s1", 4), ("s2", "зач")] for d in
                                  ["2026-11-12", "2026-11-19", "2026-11-26", "2026-12-03", "2026-12-10"]}),
             "period_marks": [{"student_id": "s1", "period": "Q2", "value": 4},
                              {"student_id": "s2", "period": "Q2", "value": 5}]},
        ],
    }
    data.update(overrides)
    return copy.deepcopy(data)


def subject(data: dict, subject_id: str) -> dict:
    return next(s for s in data["subjects"] if s["id"] == subject_id)


LATE_ARRIVAL = "Петров Иван Сергеевич"
_EXTRA_SUBJECTS = [("art", "Изобразительное искусство", "t4", "Орлова Нина Игоревна"),
         ("tech", "Труд (технология)", "t4", "Орлова Нина Игоревна"),
         ("pe", "Физическая культура", "t5", "Ёлкин Пётр Семёнович")]


def snapshot_with_late_arrival() -> dict:
    """The builder's 5А with three more one-hour subjects and a pupil who came on 21.12 (four days
    before the quarter ends): no marks and «н/а» in each of his five subjects."""
    data = snapshot()
    for sid, name, tid, teacher in _EXTRA_SUBJECTS:
        extra = copy.deepcopy(subject(data, "music"))
        extra.update(id=sid, name=name, teacher={"id": tid, "full_name": teacher})
        for lesson in extra["lessons"]:
            lesson["id"] = f"{sid}-{lesson['id']}"
        data["subjects"].append(extra)
    data["students"].append({"id": "s5", "full_name": LATE_ARRIVAL, "birth_date": "2015-05-05",
                             "enrolled_on": "2026-12-21", "left_on": None})
    for subj in data["subjects"]:
        if "group" not in subj:
            subj["period_marks"].append({"student_id": "s5", "period": "Q2", "value": "н/а"})
    subject(data, "math")["lessons"][1]["homework"] = None
    subject(data, "math")["lessons"][4]["homework"] = " "
    subject(data, "math")["lessons"][6]["homework"] = None
    return data


def as_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def render_journals(archive, letters: str, now: dt.datetime) -> list[str]:
    """Class journal copies of the builder's period for classes 5<letter>, rendered and awaiting the
    director's signature; their document ids."""
    from archive_service.domain.actor import Actor
    from archive_service.services import documents
    from archive_service.services.ingest import ingest_snapshot

    ids = []
    for letter in letters:
        data = snapshot()
        data["class"] = {**data["class"], "id": f"c-5{letter}", "name": f"5{letter}"}
        stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=now)
        ids.append(documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                             "class_journal", archive.render_options, actor=Actor("deputy", "deputy"),
                                             now=now).document_id)
    return ids


YEAR_END = dt.date(2026, 5, 25)
"""The last day of the builder's year-end quarter (IV четверть of 2025/2026)."""


def year_end_snapshot(name: str = "5А", grade: int = 5) -> dict:
    """The builder's class moved to the last quarter of 2025/2026 (5 April – 25 May 2026, exported on
    26 May): the November and December lessons fall in April and May; `name` and `grade` as given
    (9 or 11: a graduating class)."""
    text = json.dumps(snapshot(), ensure_ascii=False)
    for old, new in (("2026-11-", "2026-04-"), ("2026-12-", "2026-05-"), ('"Q2"', '"Q4"'),
                     ("2026/2027", "2025/2026")):
        text = text.replace(old, new)
    data = json.loads(text)
    data["period"] = {"kind": "quarter", "number": 4, "start": "2026-04-05", "end": YEAR_END.isoformat()}
    data["source"]["exported_at"] = "2026-05-26T18:30:00+07:00"
    data["class"] = {**data["class"], "id": f"c-{grade}-{name}", "name": name, "grade": grade}
    return data


GIA_EXPORT = "2026-06-30T18:30:00+07:00"
"""When the builder's graduating year snapshot was exported: after the state exams' results."""


def graduating_year_snapshot(name: str = "9А", grade: int = 9) -> dict:
    """The year snapshot of `year_end_snapshot`'s class for 2025/2026 (1 September – 25 May, exported on
    30 June after the state exams): year, exam and final marks, every pupil still in the class
    graduated with a certificate (s2's with honours), and their state exams — ОГЭ in Russian and
    mathematics in grade 9, ЕГЭ (test scores; basic mathematics as a mark) in grade 11."""
    data = year_end_snapshot(name, grade)
    data["period"] = {"kind": "year", "number": 1, "start": "2025-09-01", "end": YEAR_END.isoformat()}
    data["source"]["exported_at"] = GIA_EXPORT
    for subj in data["subjects"]:
        marks = [m for m in subj["period_marks"] if m["student_id"] != "s4"]
        subj["period_marks"] = [{**m, "period": code} for code in ("year", "final") for m in marks]
    for sid, value in (("s1", 4), ("s2", 5), ("s3", 4)):
        subject(data, "math")["period_marks"].append({"student_id": sid, "period": "exam", "value": value})
    graduates = ("s1", "s2", "s3")
    data["promotion"] = [
        {"student_id": sid, "decision": "graduated", "protocol_number": "12", "protocol_date": "2026-06-25",
         "certificate": {"number": f"0562400001234{i}", "issued_on": "2026-06-27", "with_honours": sid == "s2"}}
        for i, sid in enumerate(graduates, start=1)]
    if grade == 9:
        exams = [{"form": "OGE", "subject_id": "math", "date": "2026-06-05", "mark": mark, "score": score}
                 for mark, score in ((4, 19), (5, 28), (4, 17))]
    else:
        exams = [{"form": "EGE", "subject_id": "math", "date": "2026-06-05", "score": score}
                 for score in (72, 94, 68)]
        exams[2] = {"form": "EGE", "subject_id": "math", "date": "2026-06-04", "mark": 4}  # basic mathematics
    data["state_exams"] = [{"student_id": sid, **exam} for sid, exam in zip(graduates, exams)]
    return data


QUARTERS_2025 = {"Q1": ("2025-09-01", "2025-10-26", "2025-09-", "2025-10-"),
                 "Q2": ("2025-11-05", "2025-12-28", "2025-11-", "2025-12-"),
                 "Q3": ("2026-01-09", "2026-03-20", "2026-01-", "2026-02-"),
                 "Q4": ("2026-04-05", YEAR_END.isoformat(), "2026-04-", "2026-05-")}
"""The builder's four quarters of 2025/2026: first and last day, and the two months its lessons
(the builder's November and December days) are moved to."""


def year_snapshots(name: str = "5А", grade: int = 5) -> dict[str, dict]:
    """The builder's class through the whole of 2025/2026: «Q1»…«Q4» (the builder's quarter moved
    to each quarter, exported the day after it ends) and «year» (no lessons; every quarter mark,
    and the year marks, of each student), all with class `name` of `grade`."""
    out: dict[str, dict] = {}
    for number, (code, (start, end, first_month, second_month)) in enumerate(QUARTERS_2025.items(), start=1):
        text = json.dumps(snapshot(), ensure_ascii=False)
        for old, new in (("2026-11-", first_month), ("2026-12-", second_month), ('"Q2"', f'"{code}"'),
                         ("2026/2027", "2025/2026")):
            text = text.replace(old, new)
        data = json.loads(text)
        data["period"] = {"kind": "quarter", "number": number, "start": start, "end": end}
        exported = dt.date.fromisoformat(end) + dt.timedelta(days=1)
        data["source"]["exported_at"] = f"{exported.isoformat()}T18:30:00+07:00"
        data["class"] = {**data["class"], "id": f"c-{grade}-{name}", "name": name, "grade": grade}
        out[code] = data
    year = copy.deepcopy(out["Q4"])
    year["period"] = {"kind": "year", "number": 1, "start": QUARTERS_2025["Q1"][0], "end": YEAR_END.isoformat()}
    year["source"]["exported_at"] = "2026-06-01T18:30:00+07:00"
    for k, subj in enumerate(year["subjects"]):
        subj["lessons"] = []
        marks = [m for code in QUARTERS_2025 for m in out[code]["subjects"][k]["period_marks"]]
        subj["period_marks"] = marks + [{**m, "period": "year"} for m in out["Q4"]["subjects"][k]["period_marks"]]
    out["year"] = year
    return out
