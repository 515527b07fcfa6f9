"""The demo school's teaching staff (~60) and who teaches what in which class.

Primary classes have their own class teacher for most subjects; from grade 5 subject teachers
take the classes, the least loaded colleague of the right speciality first, keeping one teacher
per class for related subjects (Russian and literature, the mathematics courses). The two
groups of a divided class get different teachers. Class teachers of grades 5–11 are chosen
among the teachers of the class.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archive_service.demo import names
from archive_service.demo.curriculum import speciality

if TYPE_CHECKING:
    from archive_service.demo.school import SchoolClass, SubjectEntry

#: speciality → (number of teachers, share of men)
STAFF: dict[str, tuple[int, float]] = {
    "ruslit": (6, 0.05), "math": (6, 0.15), "eng": (8, 0.05), "hist": (4, 0.3), "geo": (2, 0.2),
    "bio": (2, 0.1), "phys": (2, 0.5), "chem": (1, 0.1), "inf": (2, 0.5), "mus": (2, 0.2),
    "art": (1, 0.1), "tech": (2, 0.5), "pe": (4, 0.6), "obzr": (1, 1.0),
}
#: who becomes a class teacher first (grades 5–11)
_CLASS_TEACHER_ORDER = ("ruslit", "math", "eng", "hist", "bio", "geo", "chem", "phys", "inf", "tech", "pe")


@dataclass
class Teacher:
    id: str
    full_name: str
    speciality: str
    load: float = 0.0

    def person(self) -> dict[str, str]:
        return {"id": self.id, "full_name": self.full_name}


def hire_staff(rng: random.Random, primary_classes: int) -> list[Teacher]:
    """Primary class teachers first, then the subject teachers; unique names, ids t-001…"""
    plan = [("primary", primary_classes, 0.02)] + [(k, n, men) for k, (n, men) in STAFF.items()]
    staff: list[Teacher] = []
    taken: set[str] = set()
    for spec, count, men in plan:
        for _ in range(count):
            gender: names.Gender = "m" if rng.random() < men else "f"
            name = names.adult_name(rng, gender)
            while name in taken:
                name = names.adult_name(rng, gender)
            taken.add(name)
            staff.append(Teacher(f"t-{len(staff) + 1:03d}", name, spec))
    return staff


def assign_teachers(classes: list[SchoolClass], staff: list[Teacher], rng: random.Random) -> None:
    """Give every subject entry a teacher and every class a class teacher."""
    by_spec: dict[str, list[Teacher]] = {}
    for t in staff:
        by_spec.setdefault(t.speciality, []).append(t)
    primary = iter(by_spec["primary"])
    for c in classes:
        if c.grade <= 4:
            c.class_teacher = next(primary)
        chosen: dict[str, Teacher] = {}
        for entry in c.subjects:
            spec = speciality(entry.slug, c.grade)
            if spec in ("primary", "class_teacher"):
                continue
            entry.teacher = _pick(entry, c, by_spec[spec], chosen, spec, rng)
            entry.teacher.load += entry.hours
    _choose_class_teachers(classes, rng)
    for c in classes:
        for entry in c.subjects:
            if entry.teacher is None:  # primary subjects and the individual project
                teacher = c.class_teacher
                assert teacher is not None  # _choose_class_teachers gave every class one
                entry.teacher = teacher
                teacher.load += entry.hours


def _pick(entry: SubjectEntry, c: SchoolClass, pool: list[Teacher], chosen: dict[str, Teacher],
          spec: str, rng: random.Random) -> Teacher:
    if entry.group_no is None and spec in chosen:
        return chosen[spec]
    busy = {e.teacher.id for e in c.subjects if e.slug == entry.slug and e.teacher}
    free = [t for t in pool if t.id not in busy] or pool
    teacher = min(free, key=lambda t: (t.load, rng.random()))
    if entry.group_no is None:
        chosen[spec] = teacher
    return teacher


def _choose_class_teachers(classes: list[SchoolClass], rng: random.Random) -> None:
    taken = {c.class_teacher.id for c in classes if c.class_teacher}
    for c in classes:
        if c.class_teacher:
            continue
        teaching = {e.teacher.id: e.teacher for e in c.subjects if e.teacher}
        candidates = [t for t in teaching.values() if t.id not in taken and t.speciality in _CLASS_TEACHER_ORDER]
        candidates.sort(key=lambda t: (_CLASS_TEACHER_ORDER.index(t.speciality), rng.random()))
        c.class_teacher = candidates[0]
        taken.add(c.class_teacher.id)
