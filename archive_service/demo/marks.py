"""How teachers give marks: work types, mark values and who is asked at a lesson.

A pupil's ability (with a humanities/sciences lean and a per-subject offset) plus the
difficulty of the work and some noise gives the mark: mostly 4s and 5s, some 3s, rare 2s.
Tests, dictations, essays and laboratory works mark everyone present; at ordinary lessons the
teacher asks those with the fewest marks so far, so most pupils reach the expected number.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib

from archive_service.demo.curriculum import NO_HOMEWORK, PASS_FAIL

ORAL = "Ответ на уроке"
HOMEWORK = "Домашняя работа"
#: the planned lesson's kind → the work everyone present is marked for
KIND_WORK = {
    "control": "Контрольная работа", "dictation": "Диктант", "lab": "Лабораторная работа",
    "practical": "Практическая работа", "essay": "Сочинение", "check": "Проверочная работа", "test": "Тест",
}
_EVENT_WORKS: dict[str, tuple[str, ...]] = {
    "rus": ("Самостоятельная работа", "Проверочная работа", "Диктант", "Тест"),
    "math": ("Самостоятельная работа", "Самостоятельная работа", "Проверочная работа", "Тест"),
    "phys": ("Самостоятельная работа", "Тест", "Проверочная работа"),
    "eng": ("Тест", "Самостоятельная работа", "Проверочная работа"),
    "inf": ("Практическая работа", "Тест"),
    "arts": ("Практическая работа",),
    "other": ("Тест", "Проверочная работа"),
}
_FAMILY = {"alg": "math", "geom": "math", "prob": "math", "chem": "phys", "pe": "arts", "mus": "arts",
           "art": "arts", "tech": "arts", "orkse": "arts", "proj": "arts"}
_WORK_SHIFT = {
    "Контрольная работа": -0.25, "Диктант": -0.3, "Самостоятельная работа": -0.1, "Проверочная работа": -0.15,
    "Тест": -0.05, ORAL: 0.1, HOMEWORK: 0.25, "Сочинение": -0.15, "Лабораторная работа": 0.1,
    "Практическая работа": 0.2,
}
_SUBJECT_SHIFT = {"pe": 0.6, "mus": 0.6, "art": 0.6, "tech": 0.6, "odnknr": 0.4, "proj": 0.4, "obzr": 0.3,
                  "rus": -0.15, "alg": -0.1, "geom": -0.1, "phys": -0.05, "chem": -0.05}
_HUMANITIES = frozenset({"rus", "lit", "read", "eng", "hist", "soc", "odnknr"})
_SCIENCES = frozenset({"math", "alg", "geom", "prob", "phys", "chem", "inf"})


def event_work(slug: str, rng: random.Random) -> str:
    """An unannounced written work marked for the class (a quiz, a short test…)."""
    return rng.choice(_EVENT_WORKS.get(_FAMILY.get(slug, slug), _EVENT_WORKS["other"]))


def is_practical(slug: str) -> bool:
    """PE, arts, labour: marks mostly for practical work done in class."""
    return _FAMILY.get(slug) == "arts"


def ordinary_work(slug: str, grade: int, rng: random.Random) -> str:
    """What an individual mark at an ordinary lesson is for."""
    if _FAMILY.get(slug) == "arts":
        return rng.choice((ORAL, "Практическая работа"))
    if slug in NO_HOMEWORK or grade <= 2:
        return ORAL
    return HOMEWORK if rng.random() < 0.3 else ORAL


def subject_lean(slug: str, humanities: float) -> float:
    """How much a pupil's humanities/sciences lean moves their marks in the subject."""
    if slug in _HUMANITIES:
        return humanities
    if slug in _SCIENCES:
        return -humanities
    return 0.0


def mark_value(base: float, slug: str, work: str, rng: random.Random) -> int | str:
    """A mark for a pupil whose expected level in the subject is base."""
    if slug in PASS_FAIL:
        return "зач" if rng.random() > 0.004 else "незач"
    x = base + _SUBJECT_SHIFT.get(slug, 0.0) + _WORK_SHIFT.get(work, 0.0) + rng.gauss(0, 0.65)
    if x >= 4.5:
        return 5
    if x >= 3.5:
        return 4
    return 3 if x >= 2.55 else 2


def set_on(day: dt.date, work: str, last: dt.date, rng: random.Random) -> dt.date:
    """When the teacher entered the mark: the lesson day or a few days later, never after `last`."""
    if work in (ORAL, "Практическая работа") and rng.random() < 0.92:
        delay = 0
    else:
        delay = rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
    return min(day + dt.timedelta(days=delay), max(day, last))


WRITTEN_LATE_DAYS = 12
"""A written work checked late: after the 10 days grades 10–11 have (and the 7 of grades 2–9)."""
BACKDATED_DAYS = 20
"""A mark entered «задним числом»: beyond the monthly control's default threshold (14 days)."""
_WRITTEN = frozenset({"Контрольная работа", "Диктант", "Сочинение", "Проверочная работа", "Тест",
                      "Самостоятельная работа"})


def entered_late(key: str, day: dt.date, work: str, when: dt.date, last: dt.date) -> dt.date:
    """A few marks entered late, for the deputy head's monthly control to find: about one mark for a
    written work in 800 is entered 12 days after its lesson, about one mark in 6000 20 days after it
    (never after `last`). Decided by the mark's own `key`, not by the random stream, so every other
    mark of the demo stays what it was."""
    digest = zlib.crc32(key.encode("utf-8"))
    if digest % 6000 == 0:
        delay = BACKDATED_DAYS
    elif work in _WRITTEN and digest % 800 == 1:
        delay = WRITTEN_LATE_DAYS
    else:
        return when
    return max(when, min(day + dt.timedelta(days=delay), last))


def target_count(hours: float, lessons: int, rng: random.Random) -> int:
    """How many marks the teacher aims to give a pupil over the period."""
    base = 5 if hours >= 2 else 3
    target = max(base, round(2 + 0.15 * lessons)) + rng.choice((0, 0, 0, 1))
    return target - 2 if rng.random() < 0.03 else target


def ask(candidates: list[str], counts: dict[str, int], n: int, rng: random.Random) -> list[str]:
    """The n pupils the teacher asks: those with the fewest marks so far, with some chance."""
    if n <= 0 or not candidates:
        return []
    ranked = sorted(candidates, key=lambda pid: counts[pid] + 1.6 * rng.random())
    return ranked[:n]


def round_half_up(value: float) -> int:
    """4.5 → 5, 4.49 → 4 (school rounding, not banker's)."""
    return int(value + 0.5 + 1e-9)
