"""The demo school's stable model: classes, pupils, teachers, subjects and timetables.

Built once from the seed; the journal of any period is then simulated on top of it, so that a
pupil keeps their id, name and birth date, and a subject its teacher, across all periods.
Movement (arrivals and departures during the year) and PE exemptions are decided here too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from archive_service.demo import names
from archive_service.demo.calendar import QUARTERS, school_days
from archive_service.demo.curriculum import curriculum
from archive_service.demo.teachers import Teacher, assign_teachers, hire_staff
from archive_service.demo.timetable import Week, build_week

#: classes per grade (2–4 each)
CLASSES_PER_GRADE = {1: 4, 2: 4, 3: 4, 4: 4, 5: 4, 6: 4, 7: 3, 8: 3, 9: 3, 10: 2, 11: 2}
LETTERS = "АБВГ"
_LATIN = {"А": "a", "Б": "b", "В": "v", "Г": "g"}
MIN_PUPILS = 1000
MAX_CLASS = 32


@dataclass
class Pupil:
    """A pupil with the traits that drive their marks and absences."""

    id: str
    full_name: str
    gender: str
    birth_date: dt.date
    ability: float
    humanities: float
    illness: float
    truancy: float
    lateness: float
    enrolled_on: dt.date | None = None
    left_on: dt.date | None = None
    pe_exempt: bool = False

    def present_on(self, day: dt.date) -> bool:
        """In the class on that day (enrolled_on ≤ day ≤ left_on, open bounds allowed)."""
        return (self.enrolled_on is None or self.enrolled_on <= day) and (self.left_on is None or day <= self.left_on)

    def in_range(self, start: dt.date, end: dt.date) -> bool:
        """In the class on at least one day between start and end."""
        return (self.enrolled_on is None or self.enrolled_on <= end) and (self.left_on is None or self.left_on >= start)


@dataclass
class SubjectEntry:
    """A subject of one class as the journal lists it (a subgroup is an entry of its own)."""

    id: str
    slug: str
    name: str
    hours: int | float
    teacher: Teacher | None = None
    group_no: int | None = None
    member_ids: list[str] = field(default_factory=list)


@dataclass
class SchoolClass:
    id: str
    name: str
    grade: int
    letter: str
    pupils: list[Pupil]
    subjects: list[SubjectEntry] = field(default_factory=list)
    class_teacher: Teacher | None = None
    week: Week = ()

    def sorted_pupils(self) -> list[Pupil]:
        """The class list in journal (alphabetical) order."""
        return sorted(self.pupils, key=lambda p: (collation_key(p.full_name), p.id))


@dataclass
class School:
    classes: list[SchoolClass]
    teachers: list[Teacher]


def collation_key(text: str) -> str:
    """Russian alphabetical order: Ё sorts with Е, not before А."""
    return text.replace("ё", "е").replace("Ё", "Е")


def build_school(seed: int) -> School:
    """The whole school for the seed: deterministic, no wall clock, no global random."""
    rng = random.Random(f"{seed}/school")
    classes = _make_classes(rng)
    _number_pupils(classes)
    _add_subjects(classes)
    staff = hire_staff(rng, sum(1 for c in classes if c.grade <= 4))
    assign_teachers(classes, staff, rng)
    _move_pupils(classes, rng)
    _exempt_from_pe(classes, rng)
    for c in classes:
        c.week = build_week({s.slug: s.hours for s in c.subjects}, random.Random(f"{seed}/week/{c.id}"))
    return School(classes, staff)


def _class_sizes(rng: random.Random) -> dict[tuple[int, str], int]:
    sizes = {}
    for grade, count in CLASSES_PER_GRADE.items():
        for letter in LETTERS[:count]:
            sizes[(grade, letter)] = rng.randint(26, MAX_CLASS) if grade <= 9 else rng.randint(25, 29)
    while sum(sizes.values()) < MIN_PUPILS + 20:  # room for the year's departures
        key = min(sizes, key=lambda k: (sizes[k], k))
        sizes[key] += 1
    return sizes


def _make_classes(rng: random.Random) -> list[SchoolClass]:
    families: list[tuple[int, tuple[str, str]]] = []
    classes = []
    for (grade, letter), size in _class_sizes(rng).items():
        pupils = [_new_pupil(rng, grade, families) for _ in range(size)]
        cid = f"c-{grade}{_LATIN[letter]}"
        classes.append(SchoolClass(cid, f"{grade}{letter}", grade, letter, pupils))
    return classes


def _new_pupil(rng: random.Random, grade: int, families: list[tuple[int, tuple[str, str]]]) -> Pupil:
    gender: names.Gender = "m" if rng.choice("mf") == "m" else "f"
    siblings = [f for g, f in families if abs(g - grade) >= 2]
    family = rng.choice(siblings) if siblings and rng.random() < 0.08 else None
    name, family = names.child_name(rng, gender, family)
    families.append((grade, family))
    return Pupil(
        id="", full_name=name, gender=gender, birth_date=_birth_date(rng, grade),
        ability=min(4.95, max(2.9, rng.gauss(4.05, 0.45))), humanities=rng.gauss(0, 0.25),
        illness=rng.choice((0.15, 0.3, 0.4, 0.5, 0.7, 1.0)),
        truancy=rng.choice((0.0, 0.3, 0.6, 1.2, 2.5)) * (0.2 if grade <= 4 else 1.0 + (grade >= 9) * 0.5),
        lateness=rng.choice((0.2, 0.5, 1.0, 2.0)),
    )


def _birth_date(rng: random.Random, grade: int) -> dt.date:
    """Grade 1 of 2026/2027 was born March 2019 – February 2020; one in 25 a year earlier."""
    start = dt.date(2020 - grade - (rng.random() < 0.04), 3, 1)
    return start + dt.timedelta(days=rng.randint(0, 364))


def _number_pupils(classes: list[SchoolClass]) -> None:
    n = 0
    for c in classes:
        c.pupils = c.sorted_pupils()
        for p in c.pupils:
            n += 1
            p.id = f"s-{n:05d}"


def _add_subjects(classes: list[SchoolClass]) -> None:
    for c in classes:
        ids = [p.id for p in c.pupils]
        for spec in curriculum(c.grade, c.letter, len(c.pupils)):
            base = f"{c.id}-{spec.slug}"
            if not spec.grouped:
                c.subjects.append(SubjectEntry(base, spec.slug, spec.name, spec.hours))
                continue
            half = (len(ids) + 1) // 2
            for no, members in ((1, ids[:half]), (2, ids[half:])):
                entry = SubjectEntry(f"{base}-{no}", spec.slug, spec.name, spec.hours, None, no, list(members))
                c.subjects.append(entry)


def _move_pupils(classes: list[SchoolClass], rng: random.Random) -> None:
    """One arrival and one departure in each quarter (a few per school)."""
    n = sum(len(c.pupils) for c in classes)
    for quarter in QUARTERS:
        days = school_days(2, quarter.start, quarter.end)[3:-3]
        target = rng.choice([c for c in classes if 2 <= c.grade and len(c.pupils) < MAX_CLASS])
        n += 1
        newcomer = _new_pupil(rng, target.grade, [])
        newcomer.id, newcomer.enrolled_on = f"s-{n:05d}", rng.choice(days)
        target.pupils.append(newcomer)
        _join_smaller_groups(target, newcomer.id)
        leaving_class = rng.choice([c for c in classes if c is not target and len(c.pupils) > 26])
        leaver = rng.choice([p for p in leaving_class.pupils if p.enrolled_on is None and p.left_on is None])
        leaver.left_on = rng.choice(days)


def _join_smaller_groups(c: SchoolClass, pupil_id: str) -> None:
    for slug in sorted({e.slug for e in c.subjects if e.group_no}):
        groups = [e for e in c.subjects if e.slug == slug]
        min(groups, key=lambda e: (len(e.member_ids), e.group_no)).member_ids.append(pupil_id)


def _exempt_from_pe(classes: list[SchoolClass], rng: random.Random) -> None:
    """Two pupils with a medical exemption from PE (marked «осв»)."""
    candidates = [p for c in classes if c.grade in (5, 6, 7, 8, 10) for p in c.pupils
                  if p.enrolled_on is None and p.left_on is None]
    for p in rng.sample(candidates, 2):
        p.pe_exempt = True
