"""The pedagogical council's decision on each student at the end of a year: codes and rules.

A year snapshot may carry `promotion`: per student a decision, the council's protocol number and
its date. The JSON holds English codes (the format's identifiers are English throughout); paper
shows the Russian words of the school order, agreed with the student («переведена»). This is
the one home of both.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterator

from archive_service.domain.graduation import GRADUATING_GRADES
from archive_service.domain.problems import Problem, json_path as P

if TYPE_CHECKING:
    from archive_service.schema.snapshot import Snapshot

DECISIONS = {
    "promoted": ("переведён", "переведена", "переведён(а)"),
    "promoted_conditionally": ("переведён условно", "переведена условно", "переведён(а) условно"),
    "retained": ("оставлен на повторное обучение", "оставлена на повторное обучение",
                 "оставлен(а) на повторное обучение"),
    "graduated": ("выпущен", "выпущена", "выпущен(а)"),
}
"""code → the decision in words for a boy, a girl, and when the name does not tell."""
MISSING = "решение педагогического совета не передано журналом"


def decision_text(code: str, gender: str, grade: int) -> str:
    """(«promoted_conditionally», «f», 5) → «переведена в 6 класс условно» (the words of ФЗ-273
    ст. 58); gender «m», «f» or «» when the name does not tell."""
    male, female, both = DECISIONS[code]
    words = {"m": male, "f": female}.get(gender, both)
    if code.startswith("promoted"):
        verb, _, rest = words.partition(" ")
        into = "во" if grade + 1 == 2 else "в"
        return " ".join(filter(None, [verb, into, f"{grade + 1}\u00a0класс", rest]))
    return words


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def check_promotion(snap: Snapshot) -> Iterator[Problem]:
    """What is wrong with the council's decisions of a snapshot (nothing when it has none)."""
    if snap.promotion is None:
        return
    if snap.period.kind != "year":
        yield Problem(P("promotion"), "promotion_outside_year",
                      "решение педагогического совета передаётся только в снимке учебного года, "
                      f"а это снимок периода {snap.period.start:%d.%m.%Y}–{snap.period.end:%d.%m.%Y}")
        return
    students = {st.id: st for st in snap.students}
    seen: set[str] = set()
    exported = snap.source.exported_at.date()
    for k, item in enumerate(snap.promotion):
        path = P("promotion", k)
        st = students.get(item.student_id)
        if st is None:
            yield Problem(path + ".student_id", "unknown_student",
                          f"ученик «{item.student_id}» из решения педагогического совета не найден в списке класса")
            continue
        if item.student_id in seen:
            yield Problem(path, "duplicate_promotion",
                          f"{st.full_name}: решение педагогического совета передано дважды")
        seen.add(item.student_id)
        yield from _check_decision(snap, path, st.full_name, item.decision)
        if not snap.period.start <= item.protocol_date <= exported:
            yield Problem(path + ".protocol_date", "promotion_protocol_date_invalid",
                          f"{st.full_name}: протокол педагогического совета от {_fmt(item.protocol_date)} "
                          f"вне учебного года до выгрузки ({_fmt(snap.period.start)}–{_fmt(exported)})")


def _check_decision(snap: Snapshot, path: str, name: str, decision: str) -> Iterator[Problem]:
    grade = snap.class_.grade
    if decision == "graduated" and grade not in GRADUATING_GRADES:
        yield Problem(path + ".decision", "promotion_decision_wrong_grade",
                      f"{name}: из {grade} класса не выпускают — выпуск только из 9 и 11 класса")
    elif decision.startswith("promoted") and grade == 11:
        yield Problem(path + ".decision", "promotion_decision_wrong_grade",
                      f"{name}: из 11 класса не переводят — выпускают или оставляют на повторное обучение")
