"""Simulation of one class's journal for one assessment period: lessons, absences, marks.

Each (class, subject, period) draws from its own `random.Random` seeded by a string, so a
period's journal is the same whether it is generated alone or with the whole year. Lessons
come from the weekly timetable, topics from the year plan; absences are decided per pupil
and day (illness in streaks), and nobody absent (Н, Б, У) gets a mark at that lesson.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from archive_service.demo import marks as mk
from archive_service.demo.calendar import YEAR, Term, school_days, week_parity
from archive_service.demo.curriculum import PASS_FAIL
from archive_service.demo.homework import Lesson as HomeworkLesson, homework
from archive_service.demo.school import Pupil, SchoolClass, SubjectEntry
from archive_service.demo.topics import PlannedLesson, year_plan

Occurrence = tuple[dt.date, int]  # the day and the lesson's slot (0-based) in that day


@dataclass
class TermJournal:
    """A period's journal of one class: lessons and period marks by subject entry id."""

    lessons: dict[str, list[dict]] = field(default_factory=dict)
    period_marks: dict[str, dict[str, int | str]] = field(default_factory=dict)
    #: subject entry id → pupil id → (sum, count) of numeric lesson marks
    totals: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)


@dataclass
class _Attendance:
    whole_day: dict[dt.date, dict[str, str]]
    one_lesson: dict[Occurrence, dict[str, str]]

    def code(self, pupil_id: str, occ: Occurrence) -> str | None:
        day = self.whole_day.get(occ[0])
        if day and pupil_id in day:
            return day[pupil_id]
        lesson = self.one_lesson.get(occ)
        return lesson.get(pupil_id) if lesson else None


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class ClassJournal:
    """The journal of one class over the year, simulated period by period on demand."""

    def __init__(self, klass: SchoolClass, seed: int) -> None:
        self.klass, self.seed = klass, seed
        self.pupils = klass.sorted_pupils()
        self.order = {p.id: i for i, p in enumerate(self.pupils)}
        self.occurrences = self._year_occurrences()
        self.plans = {slug: year_plan(slug, klass.grade, len(occ), f"{seed}/{klass.id}/{slug}/plan")
                      for slug, occ in self.occurrences.items()}
        self._terms: dict[str, TermJournal] = {}

    def _year_occurrences(self) -> dict[str, list[Occurrence]]:
        occ: dict[str, list[Occurrence]] = defaultdict(list)
        for day in school_days(self.klass.grade, YEAR.start, YEAR.end):
            parity = week_parity(day)
            for slot, (slug, only) in enumerate(self.klass.week[day.weekday()]):
                if only is None or only == parity:
                    occ[slug].append((day, slot))
        return occ

    def term(self, term: Term) -> TermJournal:
        if term.code not in self._terms:
            self._terms[term.code] = self._simulate(term)
        return self._terms[term.code]

    def _simulate(self, term: Term) -> TermJournal:
        attendance = self._attendance(term)
        journal = TermJournal()
        for entry in self.klass.subjects:
            _SubjectTerm(self, entry, term, attendance).run(journal)
        return journal

    def _attendance(self, term: Term) -> _Attendance:
        rng = random.Random(f"{self.seed}/{self.klass.id}/attendance/{term.code}")
        days = school_days(self.klass.grade, term.start, term.end)
        att = _Attendance({}, {})
        for p in self.pupils:
            mine = [d for d in days if p.present_on(d)]
            if mine:
                self._absences_of(p, mine, att, rng)
        return att

    def _absences_of(self, p: Pupil, days: list[dt.date], att: _Attendance, rng: random.Random) -> None:
        scale = len(days) / 40
        streaks = ((p.illness * 0.75, "Б", (2, 3, 3, 4, 5, 5, 6, 7, 8)), (0.18, "У", (1, 1, 2, 3)),
                   (0.06 * (self.klass.grade >= 7), "Н", (1,)))
        for rate, code, lengths in streaks:
            for _ in range(_poisson(rng, rate * scale)):
                start = rng.randrange(len(days))
                for day in days[start:start + rng.choice(lengths)]:
                    att.whole_day.setdefault(day, {}).setdefault(p.id, code)
        for rate, code in ((p.truancy, "Н"), (p.lateness, "О")):
            for _ in range(_poisson(rng, rate * scale)):
                day = rng.choice(days)
                slot = rng.randrange(len(self.klass.week[day.weekday()])) if code == "Н" else 0
                att.one_lesson.setdefault((day, slot), {}).setdefault(p.id, code)


class _SubjectTerm:
    """One subject entry's lessons and marks in one period."""

    def __init__(self, journal: ClassJournal, entry: SubjectEntry, term: Term, attendance: _Attendance) -> None:
        self.j, self.entry, self.term, self.att = journal, entry, term, attendance
        self.grade = journal.klass.grade
        self.rng = random.Random(f"{journal.seed}/{journal.klass.id}/{entry.id}/{term.code}")
        members = set(entry.member_ids) if entry.group_no else None
        self.members = [p for p in journal.pupils if (members is None or p.id in members)
                        and p.in_range(term.start, term.end)]
        all_occ = journal.occurrences[entry.slug]
        self.indexed = [(i, occ) for i, occ in enumerate(all_occ) if term.contains(occ[0])]
        self.plan = journal.plans[entry.slug]
        self.total = len(all_occ)
        self.marked = self.grade >= 2
        self.event_rate = (0.09 if entry.hours >= 2 else 0.2) * (1.5 if mk.is_practical(entry.slug) else 1)
        bias = random.Random(f"{journal.seed}/{journal.klass.id}/{entry.slug}/bias")
        self.base = {p.id: p.ability + mk.subject_lean(entry.slug, p.humanities) + bias.gauss(0, 0.2)
                     for p in journal.pupils}
        self.exempt = {p.id for p in self.members if p.pe_exempt and entry.slug == "pe"}
        self.counts: dict[str, int] = {p.id: 0 for p in self.members}
        self.targets = {p.id: self._target(p) for p in self.members}
        self.sums: dict[str, int] = defaultdict(int)
        self.numeric: dict[str, int] = defaultdict(int)

    def _target(self, p: Pupil) -> int:
        if p.pe_exempt and self.entry.slug == "pe":
            return 0
        days = [occ[0] for _, occ in self.indexed]
        share = sum(p.present_on(d) for d in days) / max(len(days), 1)
        return round(mk.target_count(self.entry.hours, len(days), self.rng) * share)

    def run(self, out: TermJournal) -> None:
        lessons = [self._lesson(k, i, occ) for k, (i, occ) in enumerate(self.indexed)]
        out.lessons[self.entry.id] = lessons
        if self.marked:
            out.period_marks[self.entry.id] = self._period_marks()
            out.totals[self.entry.id] = {pid: (self.sums[pid], self.numeric[pid]) for pid in self.numeric}

    def _lesson(self, k: int, index: int, occ: Occurrence) -> dict:
        day, slot = occ
        planned = self.plan[index]
        absences, present = self._roll_call(occ)
        marks = self._marks(k, day, planned, present) if self.marked and planned.kind != "intro" else []
        return {
            "id": f"{self.entry.id}-{day:%Y%m%d}-{slot + 1}",
            "date": day.isoformat(),
            "topic": self._topic(planned),
            "homework": self._homework(index, planned),
            "marks": marks,
            "absences": absences,
        }

    def _topic(self, planned: PlannedLesson) -> str | None:
        if self.rng.random() < 0.008:  # the teacher forgot to fill it in
            return self.rng.choice((None, ""))
        return planned.topic

    def _homework(self, index: int, planned: PlannedLesson) -> str | None:
        if self.grade >= 2 and self.rng.random() < 0.012:
            return None
        return homework(HomeworkLesson(self.entry.slug, self.grade, index + 1, self.total, planned), self.rng)

    def _roll_call(self, occ: Occurrence) -> tuple[list[dict], list[str]]:
        absences, present = [], []
        for p in self.members:
            if not p.present_on(occ[0]):
                continue
            code = self.att.code(p.id, occ)
            if code is None:
                present.append(p.id)
                continue
            if self.rng.random() < 0.0003:  # recorded without a reason code
                code = None
            absences.append({"student_id": p.id, "code": code})
            if code == "О":
                present.append(p.id)
        return absences, present

    def _marks(self, k: int, day: dt.date, planned: PlannedLesson, present: list[str]) -> list[dict]:
        rng, slug = self.rng, self.entry.slug
        candidates = [pid for pid in present if pid not in self.exempt]
        given: list[tuple[str, str]] = []
        if planned.kind in mk.KIND_WORK:
            work = "Тест" if planned.topic.startswith("Итоговое тестирование") else mk.KIND_WORK[planned.kind]
            given = [(pid, work) for pid in candidates if rng.random() > 0.03]
        elif planned.kind == "regular" and rng.random() < self.event_rate:
            work = mk.event_work(slug, rng)
            share = rng.choice((1.0, 1.0, 0.5))
            given = [(pid, work) for pid in candidates if rng.random() < share]
        asked = set(pid for pid, _ in given)
        n = self._demand(k) // (2 if given else 1)
        rest = [pid for pid in candidates if pid not in asked]
        given += [(pid, mk.ordinary_work(slug, self.grade, rng)) for pid in mk.ask(rest, self.counts, n, rng)]
        given.sort(key=lambda item: self.j.order[item[0]])
        return [self._mark(pid, work, day) for pid, work in given]

    def _demand(self, k: int) -> int:
        missing = sum(max(0, self.targets[pid] - self.counts[pid]) for pid in self.counts)
        left = len(self.indexed) - k
        n = round(missing / max(left, 1) * self.rng.uniform(0.75, 1.3))
        return min(max(n, self.rng.choice((0, 1, 2, 2, 3))), 14)

    def _mark(self, pid: str, work: str, day: dt.date) -> dict:
        value = mk.mark_value(self.base[pid], self.entry.slug, work, self.rng)
        self.counts[pid] += 1
        if isinstance(value, int):
            self.sums[pid] += value
            self.numeric[pid] += 1
        when = mk.set_on(day, work, self.term.end, self.rng)
        when = mk.entered_late(f"{self.entry.id}|{day}|{pid}|{work}", day, work, when, self.term.end)
        return {"student_id": pid, "value": value, "work_type": work, "set_on": when.isoformat()}

    def _period_marks(self) -> dict[str, int | str]:
        result: dict[str, int | str] = {}
        for p in self.members:
            if not p.present_on(self.term.end):
                continue  # left during the period: no period mark
            if p.pe_exempt and self.entry.slug == "pe":
                result[p.id] = "осв"
            elif self.entry.slug in PASS_FAIL:
                result[p.id] = "зач" if self.counts[p.id] >= 1 else "н/а"
            elif self.numeric[p.id] < 3:
                result[p.id] = "н/а"
            else:
                result[p.id] = mk.round_half_up(self.sums[p.id] / self.numeric[p.id])
        return result
