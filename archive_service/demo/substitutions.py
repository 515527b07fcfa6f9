"""Substitute teachers in the demo school: a few sick leaves, their lessons given by a colleague.

Each quarter three subject teachers fall ill for a few school days in a row, and a colleague of
the same speciality gives their lessons; the journal names the colleague as the lesson's
`teacher` (references 003 §2.11, 004 §5.4), so the paper copy shows «замена: …» and asks for the
colleague's signature. The first of them each quarter teaches in 5А — the class whose copy the
demo's tour prints — so that copy shows a substitution. No teacher falls ill twice in the year,
so a subject has at most one substitute in a period. Everything is drawn from streams of its
own: the rest of the demo (lessons, marks, absences) is the same with or without substitutes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from archive_service.demo.calendar import QUARTERS, school_days
from archive_service.demo.school import School, SchoolClass, SubjectEntry
from archive_service.demo.teachers import Teacher

SHOWN_CLASS = "5А"  #: the class whose copy the tour prints (demo/tour.py)
LEAVES_PER_QUARTER = 3
LEAVE_DAYS = (3, 4, 5)  #: school days in a row


@dataclass(frozen=True)
class SickLeave:
    """A teacher away from `start` to `end`; `substitute` gives their lessons."""

    teacher: Teacher
    start: dt.date
    end: dt.date
    substitute: Teacher

    def covers(self, teacher_id: str, day: dt.date) -> bool:
        return teacher_id == self.teacher.id and self.start <= day <= self.end


def sick_leaves(school: School, seed: int) -> list[SickLeave]:
    """The year's sick leaves of subject teachers, quarter by quarter (deterministic)."""
    colleagues: dict[str, list[Teacher]] = {}
    for t in school.teachers:
        colleagues.setdefault(t.speciality, []).append(t)
    eligible = sorted((t for t in school.teachers if t.speciality != "primary" and len(colleagues[t.speciality]) > 1),
                      key=lambda t: t.id)
    shown = next((c for c in school.classes if c.name == SHOWN_CLASS), None)
    ill: set[str] = set()
    leaves = []
    for quarter in QUARTERS:
        rng = random.Random(f"{seed}/substitutions/{quarter.code}")
        days = school_days(5, quarter.start, quarter.end)
        for k in range(LEAVES_PER_QUARTER):
            pool = [t for t in eligible if t.id not in ill]
            teacher = _teacher_of(shown, pool) if k == 0 and shown else None
            teacher = teacher or rng.choice(pool)
            ill.add(teacher.id)
            length = rng.choice(LEAVE_DAYS)
            first = rng.randrange(len(days) - length)
            stand_in = rng.choice([t for t in colleagues[teacher.speciality] if t.id not in ill])
            leaves.append(SickLeave(teacher, days[first], days[first + length - 1], stand_in))
    return leaves


def _teacher_of(klass: SchoolClass, pool: list[Teacher]) -> Teacher | None:
    """The teacher of the class's subject with the most hours among those who may fall ill."""
    ids = {t.id for t in pool}
    entries = [e for e in klass.subjects if e.teacher and e.teacher.id in ids]
    best = max(entries, key=lambda e: (e.hours, e.id), default=None)
    return best.teacher if best else None


def with_substitutes(entry: SubjectEntry, lessons: list[dict], leaves: list[SickLeave]) -> list[dict]:
    """The entry's lessons, those given during its teacher's sick leave naming the substitute."""
    if entry.teacher is None:
        return lessons
    out = []
    for lesson in lessons:
        day = dt.date.fromisoformat(lesson["date"])
        leave = next((s for s in leaves if s.covers(entry.teacher.id, day)), None)
        out.append({**lesson, "teacher": leave.substitute.person()} if leave else lesson)
    return out
