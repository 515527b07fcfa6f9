"""Year results: the year mark from the period marks, state exams and final certificate marks.

The year mark is the rounded mean of the period marks; a mean of exactly x.5 is settled by
the pupil's average lesson mark over the year. Grades 9 and 11 sit Russian, mathematics and
two electives; the final mark is the mean of year and exam marks in grade 9, and the mean of
the half-year and year marks of grades 10 and 11 in grade 11 (grade 10's are not in this
journal, so they are simulated around the pupil's level). The pedagogical council then decides
on every pupil still in the class: grades 9 and 11 leave the school, a pupil with a year mark of 2
is promoted on condition of making it up, everyone else is promoted. A graduate gets a
certificate (аттестат), with honours when every final mark and both compulsory exams are 5; the
state exams' results (ОГЭ in grade 9, ЕГЭ in grade 11) go into the year snapshot's `state_exams`.
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


#: the days of the demo year's state exams (main period, June 2027); a subject not listed sits the
#: reserve day
EXAM_DAYS = {
    9: {"rus": dt.date(2027, 6, 3), "alg": dt.date(2027, 6, 9), "soc": dt.date(2027, 6, 1),
        "inf": dt.date(2027, 6, 1), "bio": dt.date(2027, 6, 5), "geo": dt.date(2027, 6, 5),
        "hist": dt.date(2027, 6, 12), "phys": dt.date(2027, 6, 12), "chem": dt.date(2027, 6, 12),
        "lit": dt.date(2027, 6, 16), "eng": dt.date(2027, 6, 16)},
    11: {"rus": dt.date(2027, 6, 4), "alg": dt.date(2027, 6, 7), "soc": dt.date(2027, 6, 10),
         "phys": dt.date(2027, 6, 10), "hist": dt.date(2027, 6, 14), "chem": dt.date(2027, 6, 14),
         "inf": dt.date(2027, 6, 17), "bio": dt.date(2027, 6, 17), "geo": dt.date(2027, 6, 17),
         "lit": dt.date(2027, 6, 14), "eng": dt.date(2027, 6, 21)},
}
RESERVE_DAY = dt.date(2027, 6, 23)
#: ЕГЭ test scores (0–100) and ОГЭ primary scores by the five-point mark they correspond to
EGE_SCORES = {2: (12, 35), 3: (36, 56), 4: (57, 71), 5: (72, 98)}
OGE_SCORES = {2: (2, 7), 3: (8, 14), 4: (15, 21), 5: (22, 31)}
BASIC_MATHS_SHARE = 0.3
"""pupils of grade 11 who sit basic mathematics (ЕГЭ базового уровня: a mark, not a score)"""
#: the first certificate number of the demo school's delivery of forms per grade. Certificates
#: issued since 2014 carry a 14-digit number (forms of Приказ Минобрнауки России № 115 of
#: 14.02.2014, which replaced the older series and number); one delivery's forms run in a row.
CERTIFICATE_FIRST = {9: 5_624_000_103_201, 11: 5_624_000_205_401}
CERTIFICATES_PER_CLASS = 40


def state_exams(grade: int, subjects: list[dict], slugs: dict[str, str], seed: int) -> list[dict]:
    """The state exams of a graduating class from its exam marks: ОГЭ with mark and primary score in
    grade 9; ЕГЭ test scores in grade 11 (basic mathematics: a mark only)."""
    out = []
    for subject in subjects:
        slug = slugs[subject["id"]]
        for pm in subject["period_marks"]:
            if pm["period"] != "exam":
                continue
            rng = random.Random(f"{seed}/gia/{pm['student_id']}/{slug}")
            exam = {"student_id": pm["student_id"], "form": "OGE" if grade == 9 else "EGE",
                    "subject_id": subject["id"], "date": EXAM_DAYS[grade].get(slug, RESERVE_DAY).isoformat()}
            if grade == 9:
                exam.update(mark=pm["value"], score=rng.randint(*OGE_SCORES[pm["value"]]))
            elif slug == "alg" and random.Random(f"{seed}/basic/{pm['student_id']}").random() < BASIC_MATHS_SHARE:
                exam["mark"] = pm["value"]
            else:
                exam["score"] = rng.randint(*EGE_SCORES[pm["value"]])
            out.append(exam)
    return sorted(out, key=lambda e: (e["student_id"], e["date"], e["subject_id"]))


def _with_honours(pupil_id: str, subjects: list[dict], slugs: dict[str, str]) -> bool:
    finals = [pm["value"] for s in subjects for pm in s["period_marks"]
              if pm["student_id"] == pupil_id and pm["period"] == "final"]
    exams = [pm["value"] for s in subjects for pm in s["period_marks"] if pm["student_id"] == pupil_id
             and pm["period"] == "exam" and slugs[s["id"]] in EXAM_COMPULSORY]
    return bool(finals) and all(v == 5 for v in finals if isinstance(v, int)) and exams == [5] * len(exams)


def certificate(grade: int, class_index: int, pupil_index: int, honours: bool, day: dt.date) -> dict:
    number = CERTIFICATE_FIRST[grade] + class_index * CERTIFICATES_PER_CLASS + pupil_index
    return {"number": f"{number:014d}", "issued_on": day.isoformat(), "with_honours": honours}


def promotion(grade: int, pupil_ids: list[str], subjects: list[dict], slugs: dict[str, str] | None = None,
              class_index: int = 0) -> list[dict]:
    """The council's decision on each of `pupil_ids` (those in the class at the end of the year);
    a graduate's with the certificate issued on the council's day (`slugs`: subject id → slug)."""
    failed = {m["student_id"] for s in subjects for m in s["period_marks"] if m["period"] == "year" and m["value"] == 2}
    number, day = COUNCILS["graduation" if grade in EXAM_GRADES else "year"]
    out: list[dict] = []
    for pid in pupil_ids:
        if grade in EXAM_GRADES:
            decision = "graduated"
        else:
            decision = "promoted_conditionally" if pid in failed else "promoted"
        item: dict[str, object] = {"student_id": pid, "decision": decision, "protocol_number": number,
                                   "protocol_date": day.isoformat()}
        if decision == "graduated":
            item["certificate"] = certificate(grade, class_index, len(out),
                                              _with_honours(pid, subjects, slugs or {}), day)
        out.append(item)
    return out
