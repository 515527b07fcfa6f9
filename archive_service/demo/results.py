"""Year results: the year mark from the period marks, state exams and final certificate marks.

The year mark is the rounded mean of the period marks; a mean of exactly x.5 is settled by
the pupil's average lesson mark over the year. Grades 9 and 11 sit Russian, mathematics and
two electives; the final mark is the mean of year and exam marks in grade 9, and the mean of
the half-year and year marks of grades 10 and 11 in grade 11 (grade 10's are not in this
journal, so they are simulated around the pupil's level). The pedagogical council then decides
on every pupil still in the class: grades 9 and 11 leave the school, a pupil with a year mark of 2
is promoted on condition of making it up, everyone else is promoted.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from archive_service.demo.calendar import YEAR, YEAR_EXPORT
from archive_service.demo.curriculum import EXAM_COMPULSORY, EXAM_ELECTIVES
from archive_service.demo.marks import round_half_up
from archive_service.demo.school import Pupil

_ELECTIVE_WEIGHTS = {"soc": 6, "inf": 4, "bio": 3, "hist": 2, "phys": 2, "chem": 2, "geo": 3, "lit": 1, "eng": 2}
EXAM_GRADES = (9, 11)


def year_mark(values: list[int | str], totals: list[tuple[int, int]]) -> int | str | None:
    """The year mark from the period marks and the (sum, count) of lesson marks per period."""
    numeric = [v for v in values if isinstance(v, int)]
    if numeric:
        mean = sum(numeric) / len(numeric)
        if abs(mean - math.floor(mean) - 0.5) < 1e-9:
            total, count = sum(t[0] for t in totals), sum(t[1] for t in totals)
            lesson_mean = total / count if count else mean
            return math.ceil(mean) if lesson_mean >= mean else math.floor(mean)
        return round_half_up(mean)
    for word in ("осв", "зач"):
        if word in values:
            return word
    return "н/а" if values else None


def exam_subjects(pupil: Pupil, slugs: set[str], seed: int) -> list[str]:
    """The compulsory exams plus two electives the pupil chose."""
    rng = random.Random(f"{seed}/exam/{pupil.id}")
    pool = [s for s in EXAM_ELECTIVES if s in slugs]
    chosen: list[str] = []
    while len(chosen) < 2 and pool:
        pick = rng.choices(pool, weights=[_ELECTIVE_WEIGHTS[s] for s in pool])[0]
        chosen.append(pick)
        pool.remove(pick)
    return [s for s in EXAM_COMPULSORY if s in slugs] + chosen


def exam_mark(pupil: Pupil, slug: str, year: int | str, seed: int) -> int | None:
    """The exam result on the five-point scale, near the year mark (3–5: failures retake later)."""
    if not isinstance(year, int):
        return None
    rng = random.Random(f"{seed}/exam/{pupil.id}/{slug}")
    return min(5, max(3, round_half_up(year + rng.gauss(0, 0.6))))


def final_mark(grade: int, year: int | str, exam: int | None, periods: list[int | str],
               rng: random.Random) -> int | str:
    """The certificate mark of a subject."""
    if not isinstance(year, int):
        return year
    if grade == 9:
        return round_half_up((year + exam) / 2) if exam is not None else year
    numeric = [v for v in periods if isinstance(v, int)] + [year]
    grade_10 = [min(5, max(3, round_half_up(year + rng.gauss(0, 0.5)))) for _ in range(3)]
    return round_half_up(sum(numeric + grade_10) / len(numeric + grade_10))


#: the councils of the demo school: the year's results the day after the last lessons, the
#: graduates' after the state exams (both before the year snapshot is exported)
COUNCILS = {"year": ("11", YEAR.end + dt.timedelta(days=1)), "graduation": ("12", YEAR_EXPORT - dt.timedelta(days=1))}


def promotion(grade: int, pupil_ids: list[str], subjects: list[dict]) -> list[dict]:
    """The council's decision on each of `pupil_ids` (those in the class at the end of the year)."""
    failed = {m["student_id"] for s in subjects for m in s["period_marks"] if m["period"] == "year" and m["value"] == 2}
    number, day = COUNCILS["graduation" if grade in EXAM_GRADES else "year"]
    out = []
    for pid in pupil_ids:
        if grade in EXAM_GRADES:
            decision = "graduated"
        else:
            decision = "promoted_conditionally" if pid in failed else "promoted"
        out.append({"student_id": pid, "decision": decision, "protocol_number": number,
                    "protocol_date": day.isoformat()})
    return out
