"""The `journal-snapshot/1` format: one class's journal for one period.

These pydantic models are the single source of the format: the JSON Schema in
`docs/schema/` is generated from them (`archive-service snapshot schema`) and a test keeps
the published file equal to the generated one. Structural validation happens here; the
rules that relate one part of a snapshot to another (ids, dates, absences) live in
`archive_service.domain.rules`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from archive_service.domain.periods import period_code
from archive_service.domain.text import ascii_digits, forbidden_in_label, forbidden_in_name, forbidden_in_text

FORMAT = "journal-snapshot/1"
SCHEMA_ID = "https://archive-service.example/schema/journal-snapshot-1.schema.json"

PeriodKind = Literal["quarter", "half_year", "trimester", "year"]
AbsenceCode = Literal["Н", "Б", "У", "О"]
PeriodCode = Literal["Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year", "exam", "final"]
PromotionDecision = Literal["promoted", "promoted_conditionally", "retained", "graduated"]
ExamForm = Literal["OGE", "EGE", "GVE"]

LESSON_MARK_WORDS = ("зач", "незач")
PERIOD_MARK_WORDS = ("н/а", "зач", "незач", "осв")

#: validation context of a snapshot read back from the archive: it passed the rules in force
#: when it was stored, and a rule added since must not make archive material unreadable
STORED = {"stored": True}

ACADEMIC_YEAR_PATTERN = r"^[0-9]{4}/[0-9]{4}$"
#: ISO 8601 in full: date, «T», time with seconds (fraction optional), «Z» or ±hh:mm
EXPORTED_AT_PATTERN = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})$")
_EXPORTED_AT = re.compile(EXPORTED_AT_PATTERN)


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _characters(check, what: str):
    def validate(value: str, info: ValidationInfo) -> str:
        reason = None if _stored(info) else check(value)
        if reason:
            raise PydanticCustomError("forbidden_character", "{what} содержит {reason}",
                                      {"what": what, "reason": reason})
        return value

    return AfterValidator(validate)


def _academic_year(value: str, info: ValidationInfo) -> str:
    first, slash, second = value.partition("/")
    if not _stored(info) and not (slash and len(first) == len(second) == 4 and ascii_digits(first + second)):
        raise PydanticCustomError("academic_year_format",
                                  "учебный год записывается цифрами 0–9 как ГГГГ/ГГГГ, например 2026/2027")
    return value


def _iso_datetime(value: object, info: ValidationInfo) -> object:
    # without this check a Unix time («1798300000») or a date with a space would be taken
    if not _stored(info) and not (isinstance(value, str) and _EXPORTED_AT.fullmatch(value)):
        raise PydanticCustomError("datetime_iso",
                                  "время выгрузки указывается в ISO 8601 с секундами и часовым поясом, "
                                  "например 2026-12-26T18:30:00+07:00")
    return value


Id = Annotated[str, Field(min_length=1, max_length=64), _characters(forbidden_in_name, "идентификатор")]
Name = Annotated[str, Field(min_length=1, max_length=300), _characters(forbidden_in_name, "название или имя")]
Label = Annotated[str, Field(min_length=1, max_length=300), _characters(forbidden_in_label, "значение")]
Text = Annotated[str, _characters(forbidden_in_text, "текст")]


def _mark_checker(words: tuple[str, ...]):
    allowed = "1–5, " + ", ".join(f"«{w}»" for w in words)

    def check(value: object) -> object:
        if type(value) is int and 1 <= value <= 5:
            return value
        if isinstance(value, str) and value in words:
            return value
        raise PydanticCustomError(
            "mark_value",
            "недопустимая отметка «{value}»; допустимы: {allowed}",
            {"value": value, "allowed": allowed},
        )

    return check


LessonMarkValue = Annotated[
    Union[StrictInt, str],
    BeforeValidator(_mark_checker(LESSON_MARK_WORDS)),
    Field(description="1–5, «зач» or «незач»"),
]
PeriodMarkValue = Annotated[
    Union[StrictInt, str],
    BeforeValidator(_mark_checker(PERIOD_MARK_WORDS)),
    Field(description="1–5, «н/а», «зач», «незач» or «осв» (exempt)"),
]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Person(_Model):
    id: Id
    full_name: Name


class Director(_Model):
    full_name: Name
    position: Label = "Директор"


class Source(_Model):
    system: Label = Field(description="The electronic journal system, e.g. «Сетевой город»")
    # lax only after the ISO check: the check hands on the string, which strict mode would refuse
    exported_at: Annotated[AwareDatetime, Strict(False), BeforeValidator(_iso_datetime)] = Field(
        description="When the system exported this snapshot: ISO 8601 with seconds and offset",
        json_schema_extra={"pattern": EXPORTED_AT_PATTERN})


class School(_Model):
    id: Id
    full_name: Name
    short_name: Name
    director: Director


class Period(_Model):
    kind: PeriodKind
    number: Annotated[int, Field(ge=1, le=4)]
    start: dt.date
    end: dt.date

    @property
    def code(self) -> str:
        return period_code(self.kind, self.number)


class SchoolClass(_Model):
    id: Id
    name: Annotated[str, Field(min_length=2, max_length=10, description="e.g. «5А»"),
                    _characters(forbidden_in_name, "название класса")]
    grade: Annotated[int, Field(ge=1, le=11)]
    class_teacher: Person


class Student(_Model):
    id: Id
    full_name: Name
    birth_date: dt.date
    enrolled_on: dt.date | None = Field(default=None, description="Arrived in the class (None: before the period)")
    left_on: dt.date | None = Field(default=None, description="Left the class (None: still in it)")


class Group(_Model):
    name: Name
    student_ids: list[Id] = Field(min_length=1)


class Mark(_Model):
    student_id: Id
    value: LessonMarkValue
    work_type: Label = Field(description="e.g. «Ответ на уроке», «Контрольная работа»")
    set_on: dt.date = Field(description="The date the teacher entered the mark")


class Absence(_Model):
    student_id: Id
    code: AbsenceCode | None = Field(
        default=None,
        description="Н not excused, Б illness, У excused, О late; null when not yet coded",
    )


class Lesson(_Model):
    id: Id
    date: dt.date
    topic: Text | None = None
    homework: Text | None = None
    marks: list[Mark] = []
    absences: list[Absence] = []
    # optional and left out of the stored form when absent (like `promotion`): snapshots made
    # before it existed keep their canonical bytes and content address
    teacher: Person | None = Field(
        default=None, exclude_if=lambda value: value is None,
        description="Who gave the lesson when it was not the subject's teacher (a substitute); "
                    "absent, null or the subject's teacher: the subject's teacher gave it")


class PeriodMark(_Model):
    student_id: Id
    period: PeriodCode
    value: PeriodMarkValue


class Subject(_Model):
    id: Id
    name: Name
    teacher: Person
    hours_per_week: Annotated[Union[StrictInt, StrictFloat], Field(gt=0, le=40)]
    group: Group | None = Field(default=None, description="A subgroup: only these students take it")
    lessons: list[Lesson] = []
    period_marks: list[PeriodMark] = []


def _exam_mark(value: int) -> int:
    if not 2 <= value <= 5:
        raise PydanticCustomError(
            "exam_mark_value",
            "отметка за экзамен ставится по пятибалльной шкале: 2, 3, 4 или 5 (а не «{value}»); "
            "тестовый балл ЕГЭ (0–100) передаётся в поле score", {"value": value})
    return value


def _exam_score(value: int) -> int:
    if not 0 <= value <= 100:
        raise PydanticCustomError("exam_score_value",
                                  "балл за экзамен — целое число от 0 до 100, а не «{value}»", {"value": value})
    return value


class StateExam(_Model):
    """One exam of the state final attestation (ГИА) of one student: its form, subject, result, date."""

    student_id: Id
    form: ExamForm = Field(description="OGE (ОГЭ, grade 9), EGE (ЕГЭ, grades 10–11), "
                                        "GVE (ГВЭ: grade 9, or 10–11)")
    subject_id: Id = Field(description="The subject of this snapshot the exam was in")
    date: dt.date = Field(description="The day of the exam")
    # optional parts are left out of the stored form when absent, so null and absent are one thing
    mark: Annotated[StrictInt, AfterValidator(_exam_mark)] | None = Field(
        default=None, exclude_if=lambda value: value is None, json_schema_extra={"minimum": 2, "maximum": 5},
        description="The result on the five-point scale, 2–5: required for ОГЭ and ГВЭ; for ЕГЭ only "
                    "where it gives a mark (basic mathematics)")
    score: Annotated[StrictInt, AfterValidator(_exam_score)] | None = Field(
        default=None, exclude_if=lambda value: value is None, json_schema_extra={"minimum": 0, "maximum": 100},
        description="The score, 0–100: the test score of ЕГЭ (required unless a mark is given), the primary "
                    "score of ОГЭ when the journal passes it")


class Certificate(_Model):
    """The certificate of education (аттестат) a graduate was given."""

    number: Label = Field(description="The certificate's number as printed on its form: 14 digits for a "
                                      "certificate issued since 1 January 2014, e.g. «05624000123456»")
    issued_on: dt.date = Field(description="The day the certificate was issued")
    with_honours: StrictBool = Field(default=False, exclude_if=lambda value: value is False,
                                     description="An honours certificate (аттестат с отличием)")


class Promotion(_Model):
    """The pedagogical council's decision on one student at the end of the school year."""

    student_id: Id
    decision: PromotionDecision = Field(
        description="promoted (переведён), promoted_conditionally (переведён условно), "
                    "retained (оставлен на повторное обучение), graduated (выпущен)")
    protocol_number: Label = Field(description="The number of the council's protocol, e.g. «5»")
    protocol_date: dt.date = Field(description="The date of the council's protocol")
    # optional and left out of the stored form when absent: decisions made before it existed keep
    # their canonical bytes
    certificate: Certificate | None = Field(
        default=None, exclude_if=lambda value: value is None,
        description="Graduated students only: the certificate (аттестат) issued on graduation")


class Snapshot(_Model):
    """One class's journal for one period, as the journal system exported it."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"$id": SCHEMA_ID, "$schema": "https://json-schema.org/draft/2020-12/schema"},
        title="journal-snapshot/1",
    )

    format: Literal["journal-snapshot/1"]
    source: Source
    school: School
    academic_year: Annotated[str, AfterValidator(_academic_year),
                             Field(description="e.g. «2026/2027»",
                                   json_schema_extra={"pattern": ACADEMIC_YEAR_PATTERN})]
    period: Period
    class_: SchoolClass = Field(alias="class")
    students: list[Student]
    subjects: list[Subject]
    # optional and left out of the stored form when absent, so snapshots made before it existed
    # keep their canonical bytes and content address
    promotion: list[Promotion] | None = Field(
        default=None, exclude_if=lambda value: value is None,
        description="Year snapshots only: the pedagogical council's decision per student")
    state_exams: list[StateExam] | None = Field(
        default=None, exclude_if=lambda value: value is None,
        description="Year snapshots of grades 9–11 only: the state final attestation's exams (ГИА), "
                    "one item per student, subject and exam day")


def json_schema() -> dict:
    """The published JSON Schema of the format, generated from the models."""
    return Snapshot.model_json_schema(by_alias=True, mode="validation")
