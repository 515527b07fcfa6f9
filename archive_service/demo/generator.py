"""Projection of the demo school onto `journal-snapshot/1` snapshots, and writing them out.

One consistent school model is built from the seed; each class's journal is simulated period
by period and projected onto the requested periods. The year snapshot carries no lessons but
every period mark of the year (equal to those of the period snapshots), the year marks and,
in grades 9 and 11, the exam and final marks, and the pedagogical council's decision per pupil.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Iterable, Iterator

from archive_service.demo import results
from archive_service.demo.calendar import (
    ACADEMIC_YEAR, PERIOD_CODES, TERMS, YEAR, YEAR_DIR, Term, applies, terms_of_grade,
)
from archive_service.demo.journal import ClassJournal, TermJournal
from archive_service.demo.identity import DEMO_NUMBER, SchoolIdentity
from archive_service.demo.school import Pupil, SchoolClass, SubjectEntry, build_school
from archive_service.demo.substitutions import SickLeave, sick_leaves, with_substitutes
from archive_service.demo.teachers import Teacher

FORMAT = "journal-snapshot/1"
SOURCE_SYSTEM = "Сетевой город. Образование"
SCHOOL = SchoolIdentity.of().as_dict()
"""The demo school's `school` object: МБОУ СОШ № 21 (see `SchoolIdentity` for the others)."""


def _codes(periods: Iterable[str] | None) -> list[str]:
    if periods is None:
        return list(PERIOD_CODES)
    wanted = set(periods)
    unknown = wanted - set(PERIOD_CODES)
    if unknown:
        raise ValueError(f"unknown period codes: {', '.join(sorted(unknown))}; expected {', '.join(PERIOD_CODES)}")
    return [code for code in PERIOD_CODES if code in wanted]


def generate(seed: int = 2026, periods: Iterable[str] | None = None, school: int = DEMO_NUMBER) -> Iterator[dict]:
    """Yield snapshot dicts (JSON-ready: dates as ISO strings) for the demo school, 2026/2027.

    school: its number — № 21 by default; another number names another school (`SchoolIdentity`:
    id demo-<n>, «… № n», a director of its own); its classes and pupils come from the seed alone.

    periods: codes to produce, among "Q1","Q2","Q3","Q4","H1","H2","year"; None = all.
    Grades 1–9 get quarters (Q1–Q4), grades 10–11 half-years (H1, H2); every class gets "year".
    A code that does not apply to a grade is simply skipped for that grade.
    """
    codes = _codes(periods)
    identity = SchoolIdentity.of(school, seed).as_dict()
    model = build_school(seed)
    leaves = sick_leaves(model, seed)
    for klass in model.classes:
        wanted = [code for code in codes if applies(code, klass.grade)]
        if not wanted:
            continue
        journal = ClassJournal(klass, seed)
        for code in wanted:
            if code == "year":
                yield _year_snapshot(klass, journal, seed, identity)
            else:
                yield _period_snapshot(klass, TERMS[code], journal.term(TERMS[code]), leaves, identity)


def write_demo_data(out: Path, seed: int = 2026, periods: Iterable[str] | None = None,
                    school: int = DEMO_NUMBER) -> list[Path]:
    """Write each snapshot as UTF-8 JSON (ensure_ascii=False, indent=1) to
    out/2026-2027/<period code>/<class name>.json, e.g. out/2026-2027/Q2/5А.json; return paths."""
    paths = []
    for snap in generate(seed, periods, school):
        code = "year" if snap["period"]["kind"] == "year" else _code_of(snap["period"])
        path = Path(out) / YEAR_DIR / code / f"{snap['class']['name']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(snap, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _code_of(period: dict) -> str:
    return {"quarter": "Q", "half_year": "H"}[period["kind"]] + str(period["number"])


def _header(klass: SchoolClass, term: Term, pupils: list[Pupil], school: dict) -> dict:
    return {
        "format": FORMAT,
        "source": {"system": SOURCE_SYSTEM, "exported_at": term.exported_at()},
        "school": school,
        "academic_year": ACADEMIC_YEAR,
        "period": term.as_dict(),
        "class": {"id": klass.id, "name": klass.name, "grade": klass.grade,
                  "class_teacher": _person(klass.class_teacher)},
        "students": [_student(p, term) for p in pupils],
    }


def _person(teacher: Teacher | None) -> dict[str, str]:
    """A teacher as a snapshot names one: every class and subject has one once the school is built."""
    if teacher is None:
        raise ValueError("the demo school was built with a class or subject left without a teacher")
    return teacher.person()


def _student(p: Pupil, term: Term) -> dict:
    arrived = p.enrolled_on if p.enrolled_on and p.enrolled_on > term.start else None
    left = p.left_on if p.left_on and p.left_on <= term.end else None
    return {"id": p.id, "full_name": p.full_name, "birth_date": p.birth_date.isoformat(),
            "enrolled_on": arrived.isoformat() if arrived else None,
            "left_on": left.isoformat() if left else None}


def _subject(entry: SubjectEntry, pupils: list[Pupil], lessons: list[dict], marks: list[dict]) -> dict:
    group = None
    if entry.group_no:
        members = set(entry.member_ids)
        group = {"name": f"{entry.group_no} группа", "student_ids": [p.id for p in pupils if p.id in members]}
    return {"id": entry.id, "name": entry.name, "teacher": _person(entry.teacher), "hours_per_week": entry.hours,
            "group": group, "lessons": lessons, "period_marks": marks}


def _in_term(klass: SchoolClass, term: Term) -> list[Pupil]:
    return [p for p in klass.sorted_pupils() if p.in_range(term.start, term.end)]


def _period_snapshot(klass: SchoolClass, term: Term, journal: TermJournal, leaves: list[SickLeave],
                     school: dict) -> dict:
    pupils = _in_term(klass, term)
    snap = _header(klass, term, pupils, school)
    subjects = []
    for entry in klass.subjects:
        values = journal.period_marks.get(entry.id, {})
        marks = [{"student_id": p.id, "period": term.code, "value": values[p.id]} for p in pupils if p.id in values]
        subjects.append(_subject(entry, pupils, with_substitutes(entry, journal.lessons[entry.id], leaves), marks))
    snap["subjects"] = subjects
    return snap


def _year_snapshot(klass: SchoolClass, journal: ClassJournal, seed: int, school: dict) -> dict:
    pupils = _in_term(klass, YEAR)
    snap = _header(klass, YEAR, pupils, school)
    terms = {t.code: journal.term(t) for t in terms_of_grade(klass.grade)}
    slugs = {e.slug for e in klass.subjects}
    exams = {p.id: results.exam_subjects(p, slugs, seed) for p in pupils
             if klass.grade in results.EXAM_GRADES and p.present_on(YEAR.end)}
    subjects = []
    for entry in klass.subjects:
        marks: list[dict] = []
        if klass.grade >= 2:
            for p in pupils:
                if not entry.group_no or p.id in entry.member_ids:
                    marks.extend(_year_marks_of(klass, entry, p, terms, exams.get(p.id, []), seed))
        subjects.append(_subject(entry, pupils, [], marks))
    snap["subjects"] = subjects
    slug_of = {e.id: e.slug for e in klass.subjects}
    snap["promotion"] = results.promotion(klass.grade, [p.id for p in pupils if p.present_on(YEAR.end)], subjects,
                                          slug_of, "АБВГДЕЖИКЛ".index(klass.letter))
    if klass.grade in results.EXAM_GRADES:
        snap["state_exams"] = results.state_exams(klass.grade, subjects, slug_of, seed)
    return snap


def _year_marks_of(klass: SchoolClass, entry: SubjectEntry, p: Pupil, terms: dict[str, TermJournal],
                   exams: list[str], seed: int) -> list[dict]:
    out = []
    values = []
    for code, journal in terms.items():
        value = journal.period_marks[entry.id].get(p.id)
        if value is not None:
            out.append({"student_id": p.id, "period": code, "value": value})
            values.append(value)
    if not p.present_on(YEAR.end):
        return out
    totals = [journal.totals[entry.id].get(p.id, (0, 0)) for journal in terms.values()]
    year = results.year_mark(values, totals)
    if year is None:
        return out
    if klass.grade in results.EXAM_GRADES and year == 2:
        year = 3  # a graduating pupil is brought up to a pass before the exams
    out.append({"student_id": p.id, "period": "year", "value": year})
    if klass.grade in results.EXAM_GRADES:
        exam = results.exam_mark(p, entry.slug, year, seed) if entry.slug in exams else None
        if exam is not None:
            out.append({"student_id": p.id, "period": "exam", "value": exam})
        rng = random.Random(f"{seed}/final/{p.id}/{entry.slug}")
        final = results.final_mark(klass.grade, year, exam, values, rng)
        out.append({"student_id": p.id, "period": "final", "value": final})
    return out
