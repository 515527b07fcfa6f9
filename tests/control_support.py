"""A snapshot for the monthly control: the builder's 5А with a second quarter shortened to December
(so the month is the whole period and the norms of marks are the pre-flight's own: 5 in a subject of
two or more hours a week, 3 in one of an hour), December lessons that break nothing, and the same
snapshot breaking each rule of the control exactly once."""

from __future__ import annotations

import copy

from builders import snapshot, subject

PUPILS = ["s1", "s2", "s3"]  # in the class for the whole of December (s4 leaves on 04.12: not judged)
DECEMBER = {"math": ["2026-12-01", "2026-12-02", "2026-12-08", "2026-12-09", "2026-12-15", "2026-12-16",
                     "2026-12-24"],
            "music": ["2026-12-02", "2026-12-09", "2026-12-16"],
            "eng-1": ["2026-12-03", "2026-12-07", "2026-12-10", "2026-12-14", "2026-12-17"]}
BROKEN = {"no_marks": 1, "one_mark": 1, "too_few_marks": 1, "lesson_without_topic": 1,
          "lesson_without_homework": 1, "late_mark": 1, "backdated_mark": 1, "absence_without_reason": 1}


def _lesson(subject_id: str, day: str, pupils: list[str]) -> dict:
    return {"id": f"{subject_id}-{day}", "date": day, "topic": f"Тема урока {day}", "homework": "§ 12, № 4",
            "marks": [{"student_id": sid, "value": 4, "work_type": "Ответ на уроке", "set_on": day} for sid in pupils],
            "absences": []}


def lesson(data: dict, subject_id: str, day: str) -> dict:
    return next(x for x in subject(data, subject_id)["lessons"] if x["date"] == day)


def clean_december() -> dict:
    """Every December lesson with a topic and homework, every pupil marked at every lesson on the day."""
    data = snapshot()
    data["period"]["start"] = "2026-12-01"
    data["students"][2]["enrolled_on"] = None
    for sid, days in DECEMBER.items():
        subj = subject(data, sid)
        members = subj["group"]["student_ids"] if "group" in subj else PUPILS
        subj["lessons"] = [_lesson(sid, day, members) for day in days]
    # 24.12 (Thu): s3 absent, not yet coded — but the 2 working days end on 28.12, after the export (26.12)
    last = lesson(data, "math", "2026-12-24")
    last["marks"] = [m for m in last["marks"] if m["student_id"] != "s3"]
    last["absences"] = [{"student_id": "s3", "code": None}]
    # a written test entered on the 7th day and an oral answer on the 9th: both in time
    for mark in lesson(data, "eng-1", "2026-12-03")["marks"]:
        mark.update(work_type="Тест", set_on="2026-12-10")
    lesson(data, "math", "2026-12-16")["marks"][1]["set_on"] = "2026-12-25"
    return data


def broken_once() -> dict:
    """`clean_december()` breaking each rule of `BROKEN` exactly once."""
    data = copy.deepcopy(clean_december())
    for day in DECEMBER["music"]:  # no_marks: Алексеев in music
        _drop(lesson(data, "music", day), "s1")
    for day in DECEMBER["eng-1"][1:]:  # one_mark: Борисова in English
        _drop(lesson(data, "eng-1", day), "s2")
    for day in DECEMBER["math"][2:]:  # too_few_marks: Васильев has 2 of the 5 in mathematics
        _drop(lesson(data, "math", day), "s3")
    lesson(data, "math", "2026-12-09")["topic"] = None
    lesson(data, "eng-1", "2026-12-10")["homework"] = ""
    lesson(data, "math", "2026-12-08")["marks"][1].update(work_type="Контрольная работа", set_on="2026-12-17")
    lesson(data, "math", "2026-12-02")["marks"][0]["set_on"] = "2026-12-20"
    absent = lesson(data, "math", "2026-12-15")  # Tue: the 2 working days end on Thu 17.12
    _drop(absent, "s1")
    absent["absences"] = [{"student_id": "s1", "code": None}]
    return data


def _drop(at: dict, student_id: str) -> None:
    at["marks"] = [m for m in at["marks"] if m["student_id"] != student_id]
