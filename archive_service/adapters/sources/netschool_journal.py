"""Turning one NetSchool subject-group journal (`grade/journal`) into a `journal-snapshot/1` subject.

Pure mapping, no HTTP: `NetSchoolSource` fetches, this module reads. Every field it needs is
read through `need`, so a response of another shape stops the pull with a Russian
`SourceShapeError` naming the field instead of producing a wrong snapshot.

Rules (journal-systems.md §1.4–§1.7):
* meetings dated after the export moment are left out;
* a mark is `mark` of `marks[]`; a «точка» (`mark: null`, `dutyMark`/`duty`) and attendance codes in
  the mark list are not marks; `set_on` is the lesson date (NetSchool gives no entry date here);
* attendance reasons: Б→Б, УП→У, НП→Н, ОП→О; ОТ («отсутствовал», not yet coded) → the school's
  setting (null by default, «Н» if the school treats an uncoded absence as unexcused); ОСВ
  (released from the lesson) is not an absence and is left out;
* term marks come from `totals[0].marks`: 1–5, −1 «н/а», −2 «осв», 0 and −5 «нет отметки»; in a
  pass/fail journal (`gradingSys` 1) `maxMark` is «зач» and `minMark` «незач»;
* homework is the `typeId 3` assignment of the **next** meeting (it hangs on the meeting where it
  is due); none → «Без задания».
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from archive_service.adapters.sources.base import SourceShapeError

HOMEWORK_TYPE = 3
NO_HOMEWORK = "Без задания"
#: NetSchool attendance reason → snapshot absence code; ОТ is the school's setting, ОСВ no absence
REASONS = {"Б": "Б", "УП": "У", "НП": "Н", "ОП": "О"}
NOT_CODED, RELEASED = "ОТ", "ОСВ"
_TOTALS = {-1: "н/а", -2: "осв"}
_NO_TOTAL = {0, -5}  # «без оценки», «не оценивается»
_PLAN_NUMBER = re.compile(r"^\d+\.\d+ ")


def need(obj: Any, key: str, where: str) -> Any:
    """`obj[key]`, or a `SourceShapeError` naming the field and the request."""
    if not isinstance(obj, dict):
        raise SourceShapeError(f"Сетевой город: ответ {where} не того вида — ожидался объект с полем «{key}»")
    if key not in obj:
        raise SourceShapeError(f"Сетевой город: в ответе {where} нет поля «{key}»")
    return obj[key]


def need_list(obj: Any, key: str, where: str) -> list:
    value = need(obj, key, where)
    if not isinstance(value, list):
        raise SourceShapeError(f"Сетевой город: поле «{key}» в ответе {where} должно быть списком")
    return value


def day_of(value: Any, field: str, where: str) -> dt.date:
    """A NetSchool date («2026-11-09T00:00:00» or «2026-11-09»)."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise SourceShapeError(f"Сетевой город: поле «{field}» в ответе {where} — не дата: «{value}»") from None


@dataclass(frozen=True)
class JournalContext:
    """What a journal is read with: the export moment, the period code, the school's lists."""

    export_day: dt.date
    period_code: str
    work_types: dict[int, str]
    reasons: frozenset[str]
    not_coded: str | None  # the code ОТ becomes (None or «Н»)


def meetings_of(journal: dict, where: str) -> list[dict]:
    """The meetings sorted by date and id, each with its assignments (top-level or embedded)."""
    meetings = []
    for m in need_list(journal, "classMeeting", where):
        meetings.append({"id": need(m, "id", where), "date": day_of(need(m, "date", where), "date", where),
                         "lessonId": m.get("lessonId"), "assignments": list(m.get("assignments") or [])})
    by_id = {m["id"]: m for m in meetings}
    for a in journal.get("assignments") or []:
        meeting = by_id.get(need(a, "classMeetingId", where))
        if meeting is not None and all(x.get("id") != a.get("id") for x in meeting["assignments"]):
            meeting["assignments"].append(a)
    return sorted(meetings, key=lambda m: (m["date"], len(str(m["id"])), str(m["id"])))


def homework_on(meeting: dict | None, where: str) -> str:
    """The homework due at `meeting` (set at the lesson before it)."""
    if meeting is None:
        return NO_HOMEWORK
    texts = [str(need(a, "name", where)).strip() for a in meeting["assignments"]
             if need(a, "typeId", where) == HOMEWORK_TYPE]
    texts = [t for t in texts if t]
    return "\n".join(texts) if texts else NO_HOMEWORK


def topic_of(lesson_id: Any, plan: dict[Any, str], where: str) -> str | None:
    if lesson_id is None:
        return None
    if lesson_id not in plan:
        raise SourceShapeError(f"Сетевой город: урок плана {lesson_id} из {where} не найден в тематическом плане "
                               "(subjectplans/getForSubjectGroup, поле lessons)")
    return _PLAN_NUMBER.sub("", plan[lesson_id], count=1)


def plan_topics(plan: dict, where: str) -> dict[Any, str]:
    return {need(x, "id", where): str(need(x, "displayName", where)) for x in need_list(plan, "lessons", where)}


def _scale(journal: dict, settings: dict) -> tuple[int, int, int]:
    grading = journal.get("gradingSys", 0)
    return grading, settings.get("minMark", 2), settings.get("maxMark", 5)


def lesson_mark(value: Any, grading: int, low: int, high: int, reasons: frozenset[str], where: str):
    """A snapshot mark value, or None for what is not a mark (a code in the mark list)."""
    if isinstance(value, str):
        if value in ("зач", "незач"):
            return value
        if value.upper() in reasons:
            return None
        if not value.isdigit():
            raise SourceShapeError(f"Сетевой город: неизвестная отметка «{value}» в {where}")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SourceShapeError(f"Сетевой город: поле «mark» в {where} — не отметка: «{value}»")
    if grading == 1:
        if value in (high, low):
            return "зач" if value == high else "незач"
        raise SourceShapeError(f"Сетевой город: отметка {value} в зачётном журнале {where} "
                               f"(ожидались {high} «зач» или {low} «незач»)")
    if not 1 <= value <= 5:
        raise SourceShapeError(f"Сетевой город: отметка {value} в {where} вне шкалы 1–5")
    return value


def term_mark(value: Any, grading: int, low: int, high: int, where: str):
    """A period mark value, or None for «без оценки» / «не оценивается»."""
    if isinstance(value, str):
        if value in ("н/а", "осв", "зач", "незач"):
            return value
        if not value.lstrip("-").isdigit():
            raise SourceShapeError(f"Сетевой город: неизвестная итоговая отметка «{value}» в {where}")
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SourceShapeError(f"Сетевой город: поле «mark» итогов в {where} — не отметка: «{value}»")
    if value in _NO_TOTAL:
        return None
    if value in _TOTALS:
        return _TOTALS[value]
    if grading == 1 and value in (high, low):
        return "зач" if value == high else "незач"
    if 1 <= value <= 5:
        return value
    raise SourceShapeError(f"Сетевой город: итоговая отметка {value} в {where} не распознана "
                           "(ТКР и другие особые коды не переносятся в снимок)")


def _marks(meeting: dict, journal: dict, scale: tuple[int, int, int], ctx: JournalContext, where: str) -> list[dict]:
    grading, low, high = scale
    by_assignment = {need(a, "id", where): a for a in meeting["assignments"]}
    out = []
    for m in need_list(journal, "marks", where):
        assignment = by_assignment.get(need(m, "assignmentId", where))
        if assignment is None:
            continue
        raw = m.get("mark")
        if raw is None or m.get("dutyMark") or m.get("duty"):
            continue  # «точка»: a debt, not a mark
        value = lesson_mark(raw, grading, low, high, ctx.reasons, where)
        if value is None:
            continue
        type_id = need(assignment, "typeId", where)
        if type_id not in ctx.work_types:
            raise SourceShapeError(f"Сетевой город: вид работы {type_id} из {where} отсутствует в списке "
                                   "grade/assignment/types")
        out.append({"student_id": str(need(m, "studentId", where)), "value": value,
                    "work_type": ctx.work_types[type_id], "set_on": meeting["date"].isoformat()})
    return out


def _absences(meeting: dict, journal: dict, ctx: JournalContext, where: str) -> list[dict]:
    out = []
    for a in need_list(journal, "attendance", where):
        cm = a.get("classmeetingId", a.get("classMeetingId"))
        if cm is None:
            need(a, "classmeetingId", where)
        if cm != meeting["id"]:
            continue
        reason = str(need(a, "reason", where))
        if reason not in ctx.reasons:
            raise SourceShapeError(f"Сетевой город: причина пропуска «{reason}» в {where} отсутствует "
                                   "в списке grade/attendance/reasons")
        if reason == RELEASED:
            continue
        if reason == NOT_CODED:
            code = ctx.not_coded
        elif reason in REASONS:
            code = REASONS[reason]
        else:
            raise SourceShapeError(f"Сетевой город: причина пропуска «{reason}» в {where} не сопоставлена "
                                   "кодам снимка Н/Б/У/О")
        out.append({"student_id": str(need(a, "studentId", where)), "code": code})
    return out


def read_lessons(journal: dict, settings: dict, plan: dict[Any, str], following: dict | None,
                 ctx: JournalContext, where: str) -> tuple[list[dict], int]:
    """The lessons up to the export moment, and how many meetings the journal lists in all.

    `following` is the first meeting of the next term (where homework set at this term's last
    lesson is due), or None."""
    meetings = meetings_of(journal, where)
    scale = _scale(journal, settings)
    lessons = []
    for i, meeting in enumerate(meetings):
        if meeting["date"] > ctx.export_day:
            continue
        due = meetings[i + 1] if i + 1 < len(meetings) else following
        lessons.append({"id": str(meeting["id"]), "date": meeting["date"].isoformat(),
                        "topic": topic_of(meeting["lessonId"], plan, where),
                        "homework": homework_on(due, where),
                        "marks": _marks(meeting, journal, scale, ctx, where),
                        "absences": _absences(meeting, journal, ctx, where)})
    return lessons, len(meetings)


def read_totals(journal: dict, settings: dict, ctx: JournalContext, where: str) -> list[dict]:
    grading, low, high = _scale(journal, settings)
    totals = need_list(journal, "totals", where)
    out = []
    for t in totals[:1]:
        for m in need_list(t, "marks", where):
            value = term_mark(need(m, "mark", where), grading, low, high, where)
            if value is not None:
                out.append({"student_id": str(need(m, "studentId", where)), "period": ctx.period_code,
                            "value": value})
    return out
