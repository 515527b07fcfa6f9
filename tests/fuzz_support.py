"""Snapshot fuzzing: mutations of a valid snapshot, an independent oracle of the format's rules,
row counts of every table, and the counts the run reports at the end of `make test`.

The oracle (`judge`) is written from docs/snapshot-format.md and the issue's rules, on the
plain JSON — it shares no code with `archive_service.schema` or `archive_service.domain.rules`,
so it can catch them accepting what they should not. It answers with the rules a document
breaks (then it must be refused) and the doubts it has (then either answer is fine).
"""

from __future__ import annotations

import copy
import functools
import datetime as dt
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from hypothesis import strategies as st
from sqlalchemy import text

from archive_service.adapters.orm import Base
from builders import as_bytes, snapshot

#: examples per database of the snapshot fuzzer (two databases: twice as many pushes)
SNAPSHOT_EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_EXAMPLES", "1000"))
#: examples per API operation of the schemathesis run
API_EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_API_EXAMPLES", "40"))

# --- counts shown at the end of the run (see pytest_terminal_summary in conftest.py) ------

COUNTS_PROPERTY = "fuzz_counts"  # the name tests/conftest.py looks for


@dataclass
class Counts:
    """What one fuzz test did: pushed examples by outcome."""

    title: str
    pushes: bool = True  # snapshot pushes (accepted, duplicates) or API requests of every kind
    examples: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    server_errors: int = 0
    rule_breaking_accepted: int = 0
    rows_left_by_rejected: int = 0
    check_failures: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def saw(self, status: int) -> None:
        self.examples += 1
        self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1
        if status >= 500:
            self.server_errors += 1
        elif status == 201:
            self.accepted += 1
        elif status == 200:
            self.duplicates += 1
        else:
            self.rejected += 1

    def line(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.by_status.items()))
        if not self.pushes:
            return (f"{self.title}: {self.examples} requests, {self.server_errors} 5xx, "
                    f"{self.check_failures} check failures (statuses {statuses})")
        return (f"{self.title}: {self.examples} examples, {self.accepted} accepted, {self.duplicates} duplicates, "
                f"{self.rejected} rejected, {self.server_errors} 5xx, {self.rule_breaking_accepted} rule-breaking "
                f"accepted, {self.rows_left_by_rejected} rejected with rows left (statuses {statuses})")


def report_counts(record_property, counts: Counts) -> None:
    """Hand the counts to the terminal summary (works under xdist: user properties travel)."""
    record_property(COUNTS_PROPERTY, counts.line())


# --- rows of every table -----------------------------------------------------------------

def row_counts(engine) -> dict[str, int]:
    """Rows in every table of the archive, in one round trip."""
    names = [t.name for t in Base.metadata.sorted_tables]
    query = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{n}") AS "{n}"' for n in names)
    with engine.connect() as conn:
        row = conn.execute(text(query)).one()
    return dict(zip(names, row))


def empty_archive(engine, counts: dict[str, int], keep: tuple[str, ...] = ("api_token",)) -> None:
    """Delete every row but the tokens', children first (`counts`: the tables' rows now)."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if counts[table.name] and table.name not in keep:
                conn.execute(table.delete())


# --- the independent oracle --------------------------------------------------------------

PERIOD_MAX = {"quarter": 4, "half_year": 2, "trimester": 3, "year": 1}
PERIOD_PREFIX = {"quarter": "Q", "half_year": "H", "trimester": "T"}
ALL_PERIOD_CODES = {"Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year", "exam", "final"}
ABSENCE_CODES = {"Н", "Б", "У", "О", None}
ABSENT = {"Н", "Б", "У"}
DECISIONS = {"promoted", "promoted_conditionally", "retained", "graduated"}
EXAM_GRADES = {"OGE": (9,), "EGE": (10, 11), "GVE": (9, 10, 11)}  # the grades each form of ГИА is sat in
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# the format's own words: «YYYY-MM-DDTHH:MM:SS[.fraction] with Z or ±HH:MM» (RFC 3339's `T` form, seconds
# and zone required), so the groups below keep their meaning with the optional parts always there
_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.]([0-9]{1,9}))?)"
                     r"(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))", re.ASCII)
_YEAR = re.compile(r"([0-9]{4})/([0-9]{4})", re.ASCII)


def _among(value: Any, options: Any) -> bool:
    return (value is None or isinstance(value, str)) and value in options


class Breaks(Exception):
    """The document breaks a rule (raised where checking further makes no sense)."""


@dataclass
class Archive:
    """What the archive holds, as far as the oracle needs to know: one school, class identities, versions."""

    schools: set[str] = field(default_factory=set)
    classes: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (school, year, name) → class id
    versions: dict[tuple[str, str, str, str], int] = field(default_factory=dict)  # (school, year, period, class id)


@dataclass
class Verdict:
    broken: list[str]
    doubts: list[str]
    doc: dict | None = None

    @property
    def key(self) -> tuple[str, str, str, str] | None:
        if self.broken or self.doc is None:
            return None
        d = self.doc
        p = d["period"]
        code = "year" if p["kind"] == "year" else PERIOD_PREFIX[p["kind"]] + str(p["number"])
        return d["school"]["id"], d["academic_year"], code, d["class"]["id"]


class _Judge:
    def __init__(self, archive: Archive):
        self.archive = archive
        self.broken: list[str] = []
        self.doubts: list[str] = []

    def no(self, rule: str) -> None:
        self.broken.append(rule)

    # -- scalars
    def keys(self, node: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
        if not isinstance(node, dict):
            raise Breaks(f"{where}: not an object")
        missing = required - node.keys()
        if missing:
            self.no(f"{where}: missing {sorted(missing)}")
        extra = node.keys() - required - optional
        if extra:
            self.no(f"{where}: unknown {sorted(extra)}")
        if missing:
            raise Breaks(where)
        return node

    def string(self, value: Any, where: str, lo: int, hi: int, *, name: bool = False, ident: bool = False,
               path_safe: bool = False) -> str:
        if not isinstance(value, str):
            raise Breaks(f"{where}: not a string")
        if not lo <= len(value) <= hi:
            self.no(f"{where}: length {len(value)}")
        if "\x00" in value:
            self.no(f"{where}: NUL")
        if name or ident:
            bad = [c for c in value if unicodedata.category(c) in ("Cc", "Cf")]
            if bad:
                self.no(f"{where}: control or invisible characters {bad!r}")
            if any(unicodedata.category(c) in ("Zl", "Zp", "Co", "Cn", "Cs") for c in value):
                self.doubts.append(f"{where}: unusual characters")
            if value != value.strip() or not value.strip():
                self.doubts.append(f"{where}: white space at an end")
        if not (name or ident):  # free text (topics, homework): tab and line breaks, no other control character
            if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
                self.no(f"{where}: control characters in text")
            if any(unicodedata.category(c) in ("Cf", "Cs") for c in value):
                self.doubts.append(f"{where}: format characters in text")
        if (ident or path_safe) and ("/" in value or "\\" in value):
            self.no(f"{where}: / or \\")
        return value

    def ident(self, value: Any, where: str) -> str:
        return self.string(value, where, 1, 64, ident=True)

    def name(self, value: Any, where: str, *, path_safe: bool = False) -> str:
        return self.string(value, where, 1, 300, name=True, path_safe=path_safe)

    def date(self, value: Any, where: str, *, null: bool = False) -> dt.date | None:
        if value is None and null:
            return None
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise Breaks(f"{where}: not a date {value!r}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise Breaks(f"{where}: impossible date {value!r}") from None

    def moment(self, value: Any, where: str) -> dt.datetime:
        match = _MOMENT.fullmatch(value) if isinstance(value, str) else None
        if not match:
            raise Breaks(f"{where}: not a moment with a zone {value!r}")
        day, hh, mm, ss, _frac, z, sign, oh, om = match.groups()
        try:
            date = dt.date.fromisoformat(day)
            offset = dt.timedelta(0) if z else (1 if sign == "+" else -1) * dt.timedelta(hours=int(oh), minutes=int(om))
            moment = dt.datetime(date.year, date.month, date.day, int(hh), int(mm), int(ss or 0),
                                 tzinfo=dt.timezone(offset))
        except (ValueError, OverflowError):
            raise Breaks(f"{where}: impossible moment {value!r}") from None
        if ss == "60" or (not z and int(oh) > 23):
            self.doubts.append(f"{where}: leap second or odd offset")
        return moment

    def integer(self, value: Any, where: str, lo: int, hi: int) -> int:
        if type(value) is not int:
            raise Breaks(f"{where}: not an integer {value!r}")
        if not lo <= value <= hi:
            self.no(f"{where}: {value} out of {lo}..{hi}")
        return value

    def array(self, value: Any, where: str) -> list:
        if not isinstance(value, list):
            raise Breaks(f"{where}: not an array")
        return value

    def person(self, value: Any, where: str) -> None:
        self.keys(value, where, {"id", "full_name"})
        self.ident(value["id"], f"{where}.id")
        self.name(value["full_name"], f"{where}.full_name")

    # -- the document
    def document(self, doc: Any) -> None:
        self.keys(doc, "$", {"format", "source", "school", "academic_year", "period", "class", "students",
                             "subjects"}, {"promotion", "state_exams"})
        if doc["format"] != "journal-snapshot/1":
            self.no("$.format")
        source = self.keys(doc["source"], "$.source", {"system", "exported_at"})
        self.name(source["system"], "$.source.system")
        self.exported = self.moment(source["exported_at"], "$.source.exported_at").date()
        self.school(doc["school"])
        self.period(doc["academic_year"], doc["period"])
        self.klass(doc["class"], doc["school"]["id"], doc["academic_year"])
        self.students = self.student_list(doc["students"])
        lesson_ids: set[str] = set()
        subject_ids: set[str] = set()
        for i, subject in enumerate(self.array(doc["subjects"], "$.subjects")):
            self.subject(subject, f"$.subjects[{i}]", subject_ids, lesson_ids)
        if doc.get("promotion") is not None:
            self.promotion(doc["promotion"])
        if doc.get("state_exams") is not None:
            self.state_exams(doc["state_exams"], subject_ids)

    # -- the year's end: the council's decisions, the certificates, the state exams (docs/snapshot-format.md)
    def year_only(self, where: str) -> None:
        if self.kind != "year":
            self.no(f"{where}: only in a year snapshot")

    def promotion(self, items: Any) -> None:
        self.year_only("$.promotion")
        seen: set[str] = set()
        numbers: set[str] = set()
        for k, item in enumerate(self.array(items, "$.promotion")):
            where = f"$.promotion[{k}]"
            self.keys(item, where, {"student_id", "decision", "protocol_number", "protocol_date"}, {"certificate"})
            if not _among(item["decision"], DECISIONS):
                raise Breaks(f"{where}.decision")
            self.name(item["protocol_number"], f"{where}.protocol_number")
            protocol = self.date(item["protocol_date"], f"{where}.protocol_date")
            if self.member(item["student_id"], where, None):
                if item["student_id"] in seen:
                    self.no(f"{where}: two decisions")
                seen.add(item["student_id"])
            graduated = item["decision"] == "graduated"
            promoted = item["decision"].startswith("promoted")
            if (graduated and self.grade not in (9, 11)) or (promoted and self.grade == 11):
                self.no(f"{where}.decision: not in grade {self.grade}")
            if not self.start <= protocol <= self.exported:
                self.no(f"{where}.protocol_date: outside the year until the export")
            if item.get("certificate") is not None:
                self.certificate(item["certificate"], f"{where}.certificate", graduated, protocol, numbers)

    def certificate(self, cert: Any, where: str, graduated: bool, protocol: dt.date, numbers: set[str]) -> None:
        self.keys(cert, where, {"number", "issued_on"}, {"with_honours"})
        number = self.name(cert["number"], f"{where}.number")
        issued = self.date(cert["issued_on"], f"{where}.issued_on")
        if "with_honours" in cert and type(cert["with_honours"]) is not bool:
            self.no(f"{where}.with_honours: not true or false")
        if not graduated:
            self.no(f"{where}: a certificate without graduation")
        if issued >= dt.date(2014, 1, 1) and not re.fullmatch(r"[0-9]{14}", number, re.ASCII):
            self.no(f"{where}.number: not 14 digits")
        if not protocol <= issued <= self.exported:
            self.no(f"{where}.issued_on: before the decision or after the export")
        if number in numbers:
            self.no(f"{where}.number: two graduates")
        numbers.add(number)

    def state_exams(self, items: Any, subject_ids: set[str]) -> None:
        self.year_only("$.state_exams")
        seen: set[tuple] = set()
        for k, exam in enumerate(self.array(items, "$.state_exams")):
            where = f"$.state_exams[{k}]"
            self.keys(exam, where, {"student_id", "form", "subject_id", "date"}, {"mark", "score"})
            if not _among(exam["form"], EXAM_GRADES):
                raise Breaks(f"{where}.form")
            self.ident(exam["subject_id"], f"{where}.subject_id")
            day = self.date(exam["date"], f"{where}.date")
            mark, score = exam.get("mark"), exam.get("score")
            if mark is not None and not (type(mark) is int and 2 <= mark <= 5):
                self.no(f"{where}.mark {mark!r}")
            if score is not None and not (type(score) is int and 0 <= score <= 100):
                self.no(f"{where}.score {score!r}")
            if not self.member(exam["student_id"], where, None):
                continue
            if exam["subject_id"] not in subject_ids:
                self.no(f"{where}.subject_id: unknown subject")
            if self.grade not in EXAM_GRADES[exam["form"]]:
                self.no(f"{where}.form: not in grade {self.grade}")
            if mark is None and (exam["form"] != "EGE" or score is None):
                self.no(f"{where}: no result")
            if not self.start <= day <= self.exported:
                self.no(f"{where}.date: outside the year until the export")
            key = (exam["student_id"], exam["form"], exam["subject_id"], day)
            if key in seen:
                self.no(f"{where}: twice")
            seen.add(key)

    def school(self, school: Any) -> None:
        self.keys(school, "$.school", {"id", "full_name", "short_name", "director"})
        self.ident(school["id"], "$.school.id")
        self.name(school["full_name"], "$.school.full_name", path_safe=True)
        self.name(school["short_name"], "$.school.short_name", path_safe=True)
        director = self.keys(school["director"], "$.school.director", {"full_name"}, {"position"})
        self.name(director["full_name"], "$.school.director.full_name")
        if "position" in director:
            self.name(director["position"], "$.school.director.position")
        if self.archive.schools and school["id"] not in self.archive.schools:
            self.no(f"$.school.id: unknown school {school['id']!r}")

    def period(self, year: Any, period: Any) -> None:
        if not isinstance(year, str) or not _YEAR.fullmatch(year):
            raise Breaks(f"$.academic_year {year!r}")
        first, second = (int(y) for y in year.split("/"))
        period = self.keys(period, "$.period", {"kind", "number", "start", "end"})
        if not _among(period["kind"], PERIOD_MAX):
            raise Breaks("$.period.kind")
        self.integer(period["number"], "$.period.number", 1, PERIOD_MAX[period["kind"]])
        self.start = self.date(period["start"], "$.period.start")
        self.end = self.date(period["end"], "$.period.end")
        if second != first + 1:
            self.no("$.academic_year: not two adjacent years")
        elif first < 1 or not (dt.date(first, 8, 1) <= self.start and self.end <= dt.date(second, 8, 31)):
            self.no("$.period: outside the academic year")
        if first < 1900 or second > 2200:
            self.doubts.append("$.academic_year: implausible")
        if self.start > self.end:
            self.no("$.period: reversed")
        kind, number = period["kind"], period["number"]
        self.kind = kind
        self.allowed = (ALL_PERIOD_CODES if kind == "year" else {PERIOD_PREFIX[kind] + str(number)})

    def klass(self, klass: Any, school_id: str, year: str) -> None:
        self.keys(klass, "$.class", {"id", "name", "grade", "class_teacher"})
        self.ident(klass["id"], "$.class.id")
        name = self.string(klass["name"], "$.class.name", 2, 10, name=True, path_safe=True)
        self.grade = self.integer(klass["grade"], "$.class.grade", 1, 11)
        self.person(klass["class_teacher"], "$.class.class_teacher")
        match = re.match(r"([0-9]{1,2})\s*-?\s*\S+$", name, re.ASCII)
        if not match or int(match[1]) != self.grade:
            self.no("$.class.name: does not start with the grade")
        known = self.archive.classes.get((school_id, year, name))
        if known is not None and known != klass["id"]:
            self.no(f"$.class.id: class {name!r} is stored as {known!r}")
        if any(n != name and cid == klass["id"] for (s, y, n), cid in self.archive.classes.items()
               if s == school_id and y == year):
            self.doubts.append("$.class.name: a stored class id under another name")

    def student_list(self, students: Any) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        for i, pupil in enumerate(self.array(students, "$.students")):
            where = f"$.students[{i}]"
            self.keys(pupil, where, {"id", "full_name", "birth_date"}, {"enrolled_on", "left_on"})
            sid = self.ident(pupil["id"], f"{where}.id")
            self.name(pupil["full_name"], f"{where}.full_name")
            born = self.date(pupil["birth_date"], f"{where}.birth_date")
            arrived = self.date(pupil.get("enrolled_on"), f"{where}.enrolled_on", null=True)
            left = self.date(pupil.get("left_on"), f"{where}.left_on", null=True)
            if sid in out:
                self.no(f"{where}.id: duplicate")
            if arrived and left and arrived > left:
                self.no(f"{where}: arrives after leaving")
            elif (left and left < self.start) or (arrived and arrived > self.end):
                self.no(f"{where}: not in the class in the period")
            if born >= self.start:
                self.no(f"{where}.birth_date: not before the period")
            out[sid] = (arrived, left)
        return out

    def in_class(self, sid: str, day: dt.date, where: str) -> None:
        arrived, left = self.students[sid]
        if (arrived and day < arrived) or (left and day > left):
            self.no(f"{where}: outside the student's time in the class")

    def member(self, sid: Any, where: str, group: set[str] | None) -> bool:
        self.ident(sid, where)
        if sid not in self.students:
            self.no(f"{where}: unknown student")
            return False
        if group is not None and sid not in group:
            self.no(f"{where}: not in the group")
        return True

    def subject(self, subject: Any, where: str, subject_ids: set[str], lesson_ids: set[str]) -> None:
        self.keys(subject, where, {"id", "name", "teacher", "hours_per_week"}, {"group", "lessons", "period_marks"})
        if self.ident(subject["id"], f"{where}.id") in subject_ids:
            self.no(f"{where}.id: duplicate")
        subject_ids.add(subject["id"])
        self.name(subject["name"], f"{where}.name")
        self.person(subject["teacher"], f"{where}.teacher")
        hours = subject["hours_per_week"]
        if type(hours) not in (int, float):
            raise Breaks(f"{where}.hours_per_week: not a number")
        if not 0 < hours <= 40:
            self.no(f"{where}.hours_per_week: {hours}")
        group = None
        if subject.get("group") is not None:
            g = self.keys(subject["group"], f"{where}.group", {"name", "student_ids"})
            self.name(g["name"], f"{where}.group.name")
            ids = self.array(g["student_ids"], f"{where}.group.student_ids")
            if not ids:
                self.no(f"{where}.group.student_ids: empty")
            for k, sid in enumerate(ids):
                self.ident(sid, f"{where}.group.student_ids[{k}]")
                if sid not in self.students:
                    self.no(f"{where}.group.student_ids[{k}]: unknown student")
            group = set(ids)
        for j, lesson in enumerate(self.array(subject.get("lessons", []), f"{where}.lessons")):
            self.lesson(lesson, f"{where}.lessons[{j}]", lesson_ids, group)
        seen: set[tuple] = set()
        for k, pm in enumerate(self.array(subject.get("period_marks", []), f"{where}.period_marks")):
            pwhere = f"{where}.period_marks[{k}]"
            self.keys(pm, pwhere, {"student_id", "period", "value"})
            if not _among(pm["period"], ALL_PERIOD_CODES):
                raise Breaks(f"{pwhere}.period")
            value = pm["value"]
            if not ((type(value) is int and 1 <= value <= 5) or value in ("н/а", "зач", "незач", "осв")):
                self.no(f"{pwhere}.value {value!r}")
            if not self.member(pm["student_id"], pwhere, group):
                continue
            if pm["period"] not in self.allowed:
                self.no(f"{pwhere}.period: another period")
            if (pm["student_id"], pm["period"]) in seen:
                self.no(f"{pwhere}: duplicate")
            seen.add((pm["student_id"], pm["period"]))
            if self.grade == 1:
                self.no(f"{pwhere}: a mark in grade 1")

    def lesson(self, lesson: Any, where: str, lesson_ids: set[str], group: set[str] | None) -> None:
        self.keys(lesson, where, {"id", "date"}, {"topic", "homework", "marks", "absences", "teacher"})
        if lesson.get("teacher") is not None:  # a substitute (optional; null is as absent)
            self.person(lesson["teacher"], f"{where}.teacher")
        if self.ident(lesson["id"], f"{where}.id") in lesson_ids:
            self.no(f"{where}.id: duplicate")
        lesson_ids.add(lesson["id"])
        day = self.date(lesson["date"], f"{where}.date")
        for key in ("topic", "homework"):
            if lesson.get(key) is not None:
                self.string(lesson[key], f"{where}.{key}", 0, 10 ** 9)
        if day < self.start or day > self.end or day > self.exported:
            self.no(f"{where}.date: outside the period or after the export")
        absent: set[str] = set()
        seen: set[str] = set()
        for k, absence in enumerate(self.array(lesson.get("absences", []), f"{where}.absences")):
            awhere = f"{where}.absences[{k}]"
            self.keys(absence, awhere, {"student_id"}, {"code"})
            if not _among(absence.get("code"), ABSENCE_CODES):
                raise Breaks(f"{awhere}.code")
            if not self.member(absence["student_id"], awhere, group):
                continue
            if absence["student_id"] in seen:
                self.no(f"{awhere}: twice")
            seen.add(absence["student_id"])
            if absence.get("code") in ABSENT:
                absent.add(absence["student_id"])
            self.in_class(absence["student_id"], day, awhere)
        for k, mark in enumerate(self.array(lesson.get("marks", []), f"{where}.marks")):
            mwhere = f"{where}.marks[{k}]"
            self.keys(mark, mwhere, {"student_id", "value", "work_type", "set_on"})
            value = mark["value"]
            if not ((type(value) is int and 1 <= value <= 5) or value in ("зач", "незач")):
                self.no(f"{mwhere}.value {value!r}")
            self.name(mark["work_type"], f"{mwhere}.work_type")
            set_on = self.date(mark["set_on"], f"{mwhere}.set_on")
            if not self.member(mark["student_id"], mwhere, group):
                continue
            if self.grade == 1:
                self.no(f"{mwhere}: a mark in grade 1")
            if mark["student_id"] in absent:
                self.no(f"{mwhere}: a mark for an absent student")
            if set_on < day or set_on < self.start or set_on > self.exported:
                self.no(f"{mwhere}.set_on: before the lesson, the period, or after the export")
            self.in_class(mark["student_id"], day, mwhere)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Breaks(f"duplicate keys {sorted(k for k in set(keys) if keys.count(k) > 1)}")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise Breaks(f"{name} is not JSON")


def judge(body: bytes, archive: Archive) -> Verdict:
    """The rules `body` breaks for an archive holding `archive` (empty: it must be stored)."""
    j = _Judge(archive)
    doc = None
    try:
        try:
            raw = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Breaks("not UTF-8") from None
        if raw.startswith("\ufeff"):
            j.doubts.append("byte order mark")
            raw = raw[1:]
        try:
            doc = json.loads(raw, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            if isinstance(exc, json.JSONDecodeError) or isinstance(exc, RecursionError):
                raise Breaks("not JSON") from None
            raise
        j.document(doc)
    except Breaks as exc:
        j.broken.append(str(exc))
    return Verdict(j.broken, j.doubts, doc)


def remember(archive: Archive, verdict: Verdict, version: int) -> None:
    """The archive stored the document of `verdict` as `version`."""
    d = verdict.doc
    archive.schools.add(d["school"]["id"])
    archive.classes[(d["school"]["id"], d["academic_year"], d["class"]["name"])] = d["class"]["id"]
    archive.versions[verdict.key] = version


# --- JSON text with duplicate keys -------------------------------------------------------

class Pairs(list):
    """An object written with these (key, value) pairs — the same key may come twice."""


def dumps(node: Any, *, indent: int | None, ascii_only: bool, reverse: bool) -> str:
    """JSON text of `node`, where `Pairs` may repeat a key; keys in reverse order when asked."""
    if isinstance(node, (dict, Pairs)):
        items = list(node.items()) if isinstance(node, dict) else list(node)
        if reverse:
            items.reverse()
        parts = [json.dumps(k, ensure_ascii=ascii_only) + ":" + dumps(v, indent=indent, ascii_only=ascii_only,
                                                                         reverse=reverse) for k, v in items]
        return _join("{", parts, "}", indent)
    if isinstance(node, list):
        return _join("[", [dumps(v, indent=indent, ascii_only=ascii_only, reverse=reverse) for v in node], "]",
                     indent)
    return json.dumps(node, ensure_ascii=ascii_only)


def _join(open_: str, parts: list[str], close: str, indent: int | None) -> str:
    if indent is None or not parts:
        return open_ + ",".join(parts) + close
    pad = "\n" + " " * indent
    return open_ + pad + ("," + pad).join(p.replace("\n", pad) for p in parts) + "\n" + close


# --- mutations ---------------------------------------------------------------------------

Path = tuple


def positions(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from positions(v, path + (k,))
    elif isinstance(node, list) and not isinstance(node, Pairs):  # a Pairs' entries have no JSON path
        for i, v in enumerate(node):
            yield from positions(v, path + (i,))


def get(node: Any, path: Path) -> Any:
    for step in path:
        node = node[step]
    return node


def put(node: Any, path: Path, value: Any) -> None:
    get(node, path[:-1])[path[-1]] = value


DATE_KEYS = {"start", "end", "birth_date", "enrolled_on", "left_on", "date", "set_on"}
ID_KEYS = {"id", "student_id"}
NAME_KEYS = {"full_name", "short_name", "name", "position", "system", "work_type"}
NUMBER_KEYS = {"grade", "number", "hours_per_week", "value"}
ODD_CHARS = ["\x00", "\x01", "\x1f", "\x7f", "\x85", "\t", "\n", "\u200b", "\u200e", "\u202e", "\u2060", "\ufeff",
             "\u00ad", "\u2028", "/", "\\", "..", " ", "\u0301", "ё", "😀", "\ud7ff"]
WRONG_TYPES = [None, True, False, 0, -1, 1.5, "", "x", "5", [], {}, [1], {"a": 1}, 10 ** 20]
BAD_DATES = ["2026-02-30", "2026-13-01", "2026-11-5", "05.11.2026", "2026-11-05T00:00:00", "2026-11-05T00:00:00Z",
             "２０２６-11-05", "0000-01-01", "0001-01-01", "9999-12-31", "2026-11-05 ", "1798000000", 1798000000,
             "", "2026-W45-1", "2026-309", "+2026-11-05"]
MOMENTS = ["1798000000", "1798000000.5", 1798000000, "2026-12-26T18:30:00", "2026-12-26", "2026-12-26T18:30:00Z",
           "2026-12-26T18:30:00.123456+07:00", "2026-12-26 18:30:00+07:00", "2026-12-26T18:30+07:00",
           "2026-12-26T18:30:00+0700", "2026-12-26T24:00:00+07:00", "2026-12-26T18:30:60Z",
           "2026-12-26T18:30:00+25:00", "２０２６-12-26T18:30:00+07:00", "2026-12-26t18:30:00z", "now",
           "2026-12-26T18:30:00-00:00", "2026-12-26T18:30:00Z\n"]
HUGE = [10 ** 20, -(10 ** 20), 2 ** 63, 2 ** 64 + 1, 10 ** 400, 1e308, -0.0, 0, 40.0000001, 40, 5.0, 1e-300,
        float("inf"), float("nan")]
YEARS = ["0000/0001", "0001/0002", "2026/2026", "2026/2028", "2025/2026", "9999/10000", "2026-2027",
         "２０２６/２０２７", "٢٠٢٦/٢٠٢٧", "2026/２０２７",
         " 2026/2027", "2026/2027\n", "1899/1900", "2199/2200", "20262027"]
CODES = {
    ("period", "kind"): ["semester", "Quarter", "", "year", "half_year", "trimester"],
    ("code",): ["X", "н", "N", "", "НБ", None, "Б", "О", "У"],
    ("period",): ["Q5", "q2", "Q1", "Q3", "year", "final", "exam", "H1", "", "Q２"],
    ("value",): [6, 0, -1, "5", "отл", "Зач", "зач", "незач", "н/а", "осв", " зач", 4, 1, 5],
    ("format",): ["journal-snapshot/2", "journal-snapshot/1 ", "JOURNAL-SNAPSHOT/1"],
}
LESSON_TEACHERS = [  # a substitute, the subject's own teacher, null, and broken people
    {"id": "t9", "full_name": "Петрова Анна Сергеевна"}, {"id": "t1", "full_name": "Николаева Елена Павловна"},
    None, {"id": "t9"}, {"full_name": "Петрова Анна Сергеевна"}, {"id": "t9", "full_name": "Петрова", "x": 1},
    {"id": "t/9", "full_name": "Петрова Анна"}, {"id": "t9", "full_name": "Петрова\u200bАнна"}, "Петрова", [], 5]
EXAMS = [  # ОГЭ, ЕГЭ and ГВЭ results, right and wrong (the seeds' period: 5 November – 25 December 2026)
    {"form": "OGE", "subject_id": "math", "date": "2026-12-20", "mark": 5, "score": 28},
    {"form": "EGE", "subject_id": "math", "date": "2026-12-20", "score": 87},
    {"form": "EGE", "subject_id": "math", "date": "2026-12-21", "mark": 4},
    {"form": "GVE", "subject_id": "music", "date": "2026-12-20", "mark": 3},
    {"form": "EGE", "subject_id": "math", "date": "2026-12-20", "mark": 87},
    {"form": "OGE", "subject_id": "math", "date": "2026-12-20", "score": 28},
    {"form": "EGE", "subject_id": "math", "date": "2026-12-20"},
    {"form": "EGE", "subject_id": "math", "date": "2026-12-20", "score": 101},
    {"form": "GVE", "subject_id": "math", "date": "2026-12-20", "mark": 1},
    {"form": "ЕГЭ", "subject_id": "math", "date": "2026-12-20", "score": 70},
    {"form": "OGE", "subject_id": "chem", "date": "2026-12-20", "mark": 4},
    {"form": "OGE", "subject_id": "math", "date": "2027-06-05", "mark": 4},
    {"form": "EGE", "subject_id": "math", "date": "2026-11-04", "score": 50},
    {"form": "EGE", "subject_id": "math", "date": "2026-12-20", "score": True},
    {"form": "OGE", "subject_id": "math", "date": "2026-12-20", "mark": 4, "grade": 5},
]
CERTIFICATES = [
    None, {"number": "05624000123456", "issued_on": "2026-12-21"},
    {"number": "05624000123457", "issued_on": "2026-12-21", "with_honours": True},
    {"number": "05624000123458", "issued_on": "2026-12-21", "with_honours": False},
    {"number": "05624000123456", "issued_on": "2026-12-22"}, {"number": "05 АБ 0012345", "issued_on": "2026-12-21"},
    {"number": "０５６２４０００１２３４５６", "issued_on": "2026-12-21"}, {"number": "", "issued_on": "2026-12-21"},
    {"number": "05624000123459", "issued_on": "2026-12-19"}, {"number": "05624000123459", "issued_on": "2026-12-27"},
    {"number": "05624000123459", "issued_on": "2026-12-21", "with_honours": "да"},
    {"number": "05624000123459"}, {"number": "05624000123459", "issued_on": "2026-12-21", "x": 1}]
DECISION_CODES = ["graduated", "graduated", "graduated", "promoted", "retained", "expelled"]
REASONS = [None, None, None, "Исправлена ошибка учителя", "", "   ", "причина\x00с нулём", "x" * 5000,
           "\u202eпричина"]


class Mutator:
    """Draws mutations of a snapshot document with a hypothesis `data` object; notes what it did."""

    def __init__(self, data: Any, doc: dict):
        self.data = data
        self.doc = doc
        self.done: list[str] = []

    def draw(self, strategy: Any, label: str = "") -> Any:
        return self.data.draw(strategy, label=label or None)

    def pick(self, values: list, label: str = "") -> Any:
        return self.draw(st.sampled_from(values), label)

    def where(self, wanted: Any) -> Path | None:
        found = [p for p, v in positions(self.doc) if p and wanted(p, v)]
        return self.pick(found) if found else None

    def apply(self) -> None:
        kind = self.pick(sorted(MUTATIONS), "mutation")
        MUTATIONS[kind](self)

    # each mutation notes itself in `done`
    def drop_key(self) -> None:
        path = self.where(lambda p, v: isinstance(p[-1], str))
        if path:
            del get(self.doc, path[:-1])[path[-1]]
            self.done.append(f"drop {path}")

    def unknown_key(self) -> None:
        path = self.where(lambda p, v: isinstance(v, dict)) or ()
        key = self.pick(["comment", "id ", "Id", "extra", "class_", "__proto__"])
        get(self.doc, path)[key] = self.pick(WRONG_TYPES)
        self.done.append(f"add {key!r} at {path}")

    def duplicate_key(self) -> None:
        path = self.where(lambda p, v: isinstance(v, dict) and v)
        target = get(self.doc, path) if path else self.doc
        key = self.pick(sorted(target))
        other = self.pick(WRONG_TYPES + [copy.deepcopy(target[key])])
        pairs = Pairs(target.items())
        pairs.insert(self.draw(st.integers(0, len(pairs))), (key, other))
        if path:
            put(self.doc, path, pairs)
        else:
            self.doc = pairs  # type: ignore[assignment]
        self.done.append(f"duplicate key {key!r} at {path}")

    def duplicate_id(self) -> None:
        path = self.where(lambda p, v: p[-1] in ID_KEYS and isinstance(v, str))
        if not path:
            return
        same_kind = [p for p, v in positions(self.doc) if p and p[-1] == path[-1] and p != path
                     and [type(s) for s in p] == [type(s) for s in path] and isinstance(v, str)]
        if same_kind:
            source = self.pick(same_kind)
            put(self.doc, path, get(self.doc, source))
            self.done.append(f"id of {source} at {path}")

    def wrong_type(self) -> None:
        path = self.where(lambda p, v: True)
        if path:
            put(self.doc, path, self.pick(WRONG_TYPES))
            self.done.append(f"wrong type at {path}")

    def bad_date(self) -> None:
        path = self.where(lambda p, v: p[-1] in DATE_KEYS)
        if path:
            put(self.doc, path, self.pick(BAD_DATES))
            self.done.append(f"bad date at {path}")

    def shift_date(self) -> None:
        path = self.where(lambda p, v: p[-1] in DATE_KEYS and isinstance(v, str) and _DATE.fullmatch(v))
        if path:
            day = dt.date.fromisoformat(get(self.doc, path)) + dt.timedelta(days=self.draw(st.integers(-400, 400)))
            put(self.doc, path, day.isoformat())
            self.done.append(f"shift date at {path}")

    def exported_at(self) -> None:
        if isinstance(self.doc.get("source"), dict):
            self.doc["source"]["exported_at"] = self.pick(MOMENTS)
            self.done.append("exported_at")

    def odd_characters(self) -> None:
        path = self.where(lambda p, v: isinstance(v, str))
        if path:
            value = get(self.doc, path)
            at = self.draw(st.integers(0, len(value)))
            put(self.doc, path, value[:at] + self.pick(ODD_CHARS) + value[at:])
            self.done.append(f"odd character at {path}")

    def odd_identity(self) -> None:
        """An odd character in what the archive keeps in its own columns: school, class, students, source."""
        path = self.where(lambda p, v: isinstance(v, str) and p[0] in ("school", "class", "students", "source"))
        if path:
            value = get(self.doc, path)
            at = self.draw(st.integers(0, len(value)))
            put(self.doc, path, value[:at] + self.pick(ODD_CHARS[:12]) + value[at:])
            self.done.append(f"odd character at {path}")

    def long_string(self) -> None:
        path = self.where(lambda p, v: isinstance(v, str))
        if path:
            put(self.doc, path, "я" * self.pick([0, 1, 2, 10, 11, 64, 65, 300, 301, 20000]))
            self.done.append(f"length at {path}")

    def huge_number(self) -> None:
        path = self.where(lambda p, v: p[-1] in NUMBER_KEYS)
        if path:
            put(self.doc, path, self.pick(HUGE))
            self.done.append(f"number at {path}")

    def unknown_code(self) -> None:
        options = [(p, values) for p, _ in positions(self.doc) for tail, values in CODES.items()
                   if p and tuple(str(s) for s in p[-len(tail):]) == tail]
        if options:
            path, values = self.pick(options)
            put(self.doc, path, self.pick(values))
            self.done.append(f"code at {path}")

    def academic_year(self) -> None:
        self.doc["academic_year"] = self.pick(YEARS)
        self.done.append("academic_year")

    def class_identity(self) -> None:
        klass = self.doc.get("class")
        if not isinstance(klass, dict):
            return
        choice = self.pick(["id", "name", "grade", "name+grade"])
        if choice == "id":
            klass["id"] = self.pick(["c-5a-2", "c-5b", "C-5A", "c-5a "])
        elif choice == "name":
            klass["name"] = self.pick(["5Б", "5 А", "5-А", "5А/../5Б", "5A", "5", "05А", "5а", "５А", "5\\А"])
        elif choice == "grade":
            klass["grade"] = self.pick([1, 4, 6, 11, 12, 0])
        else:
            grade = self.pick([1, 2, 10, 11])
            klass.update(grade=grade, name=f"{grade}{self.pick(['А', 'Б', 'Я/../А'])}")
        self.done.append(f"class {choice}")

    def school_identity(self) -> None:
        school = self.doc.get("school")
        if isinstance(school, dict):
            school["id"] = self.pick(["0", "school-22", "SCHOOL-21", "school-21 ", "../school-21", "school-21"])
            if self.draw(st.booleans()):
                school["short_name"] = self.pick(["Школа-двойник", "МБОУ СОШ № 21/2", "МБОУ СОШ № 21"])
            self.done.append("school id")

    def drop_item(self) -> None:
        path = self.where(lambda p, v: isinstance(v, list) and v)
        if path:
            items = get(self.doc, path)
            del items[self.draw(st.integers(0, len(items) - 1))]
            self.done.append(f"drop an item of {path}")

    def repeat_item(self) -> None:
        path = self.where(lambda p, v: isinstance(v, list) and v)
        if path:
            items = get(self.doc, path)
            items.append(copy.deepcopy(items[self.draw(st.integers(0, len(items) - 1))]))
            self.done.append(f"repeat an item of {path}")

    def grade_one(self) -> None:
        if isinstance(self.doc.get("class"), dict):
            self.doc["class"].update(grade=1, name="1А")
            self.done.append("grade 1")

    def lesson_teacher(self) -> None:
        path = self.where(lambda p, v: len(p) >= 2 and p[-2] == "lessons" and isinstance(v, dict))
        if path:
            get(self.doc, path)["teacher"] = self.pick(LESSON_TEACHERS)
            self.done.append(f"lesson teacher at {path}")

    def graduating_year(self) -> None:
        """The seed made a year snapshot of a graduating class (or of grade 8 or 10), so that the year's
        end parts may be accepted."""
        if isinstance(self.doc.get("period"), dict) and isinstance(self.doc.get("class"), dict):
            grade = self.pick([9, 9, 11, 11, 10, 8])
            self.doc["period"].update(kind="year", number=1)
            self.doc["class"].update(grade=grade, name=f"{grade}А")
            self.done.append(f"graduating year, grade {grade}")

    def exams(self) -> None:
        if self.draw(st.booleans()):  # most often they come in a graduating class's year
            self.graduating_year()
        students = [st.get("id") for st in self.doc.get("students") or [] if isinstance(st, dict)] + ["s9"]
        grade = self.doc["class"].get("grade") if isinstance(self.doc.get("class"), dict) else None
        right = [e for e in EXAMS[:4] if e["form"] == "GVE" or (e["form"] == "OGE") == (grade == 9)]
        # right results of the class's grade most of the time, so that some documents are stored
        chosen = self.draw(st.lists(st.tuples(st.sampled_from(students[:-1] * 3 + students[-1:]),
                                              st.sampled_from(right * 6 + EXAMS)), max_size=3,
                                    unique_by=lambda pair: (pair[0], json.dumps(pair[1]))))
        self.doc["state_exams"] = self.pick([None, [{"student_id": sid, **copy.deepcopy(e)} for sid, e in chosen]])
        self.done.append("state exams")

    def certificates(self) -> None:
        if self.draw(st.booleans()):
            self.graduating_year()
        students = [st.get("id") for st in self.doc.get("students") or [] if isinstance(st, dict)]
        items = []
        for sid in self.draw(st.lists(st.sampled_from(students * 3 + ["s9"]), max_size=3, unique=True)) \
                if students else []:
            item = {"student_id": sid, "decision": self.pick(DECISION_CODES), "protocol_number": "12",
                    "protocol_date": self.pick(["2026-12-20", "2026-12-20", "2026-12-21", "2026-12-27"])}
            certificate = self.pick(CERTIFICATES[:4] * 3 + CERTIFICATES)
            if certificate is not None or self.draw(st.booleans()):
                item["certificate"] = copy.deepcopy(certificate)
            items.append(item)
        self.doc["promotion"] = items
        self.done.append("decisions and certificates")

    def period_kind(self) -> None:
        if isinstance(self.doc.get("period"), dict):
            kind = self.pick(sorted(PERIOD_MAX))
            self.doc["period"].update(kind=kind, number=self.draw(st.integers(0, 5)))
            self.done.append("period kind")


MUTATIONS = {name: getattr(Mutator, name) for name in (
    "drop_key", "unknown_key", "duplicate_key", "duplicate_id", "wrong_type", "bad_date", "shift_date",
    "exported_at", "odd_characters", "odd_identity", "long_string", "huge_number", "unknown_code", "academic_year",
    "class_identity", "school_identity", "drop_item", "repeat_item", "grade_one", "period_kind", "lesson_teacher",
    "graduating_year", "exams", "certificates")}


#: what the archive holds before an example's push: nothing, the 5А of `seeds()`, or the 5А and the 6Б
BASELINES = [(), (0,), (0, 2)]


@functools.cache
def seeds() -> tuple[dict, ...]:
    """Valid documents to start from (read only): the builders' 5А, it without the subgroup, and a 6Б."""
    base = snapshot()
    no_group = snapshot()
    no_group["subjects"] = [s for s in no_group["subjects"] if "group" not in s]
    other = snapshot()
    other["class"] = {**other["class"], "id": "c-6b", "name": "6Б", "grade": 6}
    return base, no_group, other


@functools.cache
def seed_bytes(index: int) -> bytes:
    return as_bytes(seeds()[index])


@st.composite
def pushes(draw) -> tuple[bytes, str | None, list[str]]:
    """(body, reason, what was done) — a mutated snapshot, serialised in one of several ways."""
    data = draw(st.data())
    mutator = Mutator(data, copy.deepcopy(seeds()[draw(st.integers(0, len(seeds()) - 1))]))
    for _ in range(draw(st.integers(0, 3))):
        mutator.apply()
    text_ = dumps(mutator.doc, indent=draw(st.sampled_from([None, None, 1, 4])), ascii_only=draw(st.booleans()),
                  reverse=draw(st.booleans()))
    body = text_.encode("utf-8", "surrogatepass")
    raw = draw(st.sampled_from(["as is"] * 12 + ["truncate", "garbage", "invalid utf-8", "bom", "empty", "null",
                                                  "array", "nesting"]))
    if raw == "truncate":
        body = body[:draw(st.integers(0, max(len(body) - 1, 0)))]
    elif raw == "garbage":
        body += draw(st.sampled_from([b"x", b"}", b" ", b"\x00", b"{}"]))
    elif raw == "invalid utf-8":
        at = draw(st.integers(0, len(body)))
        body = body[:at] + b"\xff\xfe" + body[at:]
    elif raw == "bom":
        body = b"\xef\xbb\xbf" + body
    elif raw == "empty":
        body = b""
    elif raw == "null":
        body = b"null"
    elif raw == "array":
        body = b"[" + body + b"]"
    elif raw == "nesting":
        body = b"[" * 5000 + b"]" * 5000
    reason = draw(st.sampled_from(REASONS))
    return body, reason, mutator.done + ([raw] if raw != "as is" else [])
