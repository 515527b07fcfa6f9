"""The `journal-snapshot/1` format: one class's journal for one period.

These pydantic models are the single source of the format: the JSON Schema in
`docs/schema/` is generated from them (`archive-service snapshot schema`) and a test keeps
the published file equal to the generated one. Structural validation happens here; the
rules that relate one part of a snapshot to another (ids, dates, absences) live in
`archive_service.domain.rules`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import (
    BeforeValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
)
from pydantic_core import PydanticCustomError

FORMAT = "journal-snapshot/1"
SCHEMA_ID = "https://archive-service.example/schema/journal-snapshot-1.schema.json"

PeriodKind = Literal["quarter", "half_year", "trimester", "year"]
AbsenceCode = Literal["Н", "Б", "У", "О"]
PeriodCode = Literal["Q1", "Q2", "Q3", "Q4", "H1", "H2", "T1", "T2", "T3", "year", "exam", "final"]

LESSON_MARK_WORDS = ("зач", "незач")
PERIOD_MARK_WORDS = ("н/а", "зач", "незач", "осв")

Id = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=300)]


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
    position: Name = "Директор"


class Source(_Model):
    system: Name = Field(description="The electronic journal system, e.g. «Сетевой город»")
    exported_at: AwareDatetime = Field(description="When the system exported this snapshot, with zone")


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
    name: Annotated[str, Field(min_length=2, max_length=10, description="e.g. «5А»")]
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
    work_type: Name = Field(description="e.g. «Ответ на уроке», «Контрольная работа»")
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
    topic: str | None = None
    homework: str | None = None
    marks: list[Mark] = []
    absences: list[Absence] = []


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
    academic_year: Annotated[str, Field(pattern=r"^\d{4}/\d{4}$", description="e.g. «2026/2027»")]
    period: Period
    class_: SchoolClass = Field(alias="class")
    students: list[Student]
    subjects: list[Subject]


def period_code(kind: str, number: int) -> str:
    """`Q2`, `H1`, `T3` or `year`: how people and the CLI name a period."""
    if kind == "year":
        return "year"
    return {"quarter": "Q", "half_year": "H", "trimester": "T"}[kind] + str(number)


def json_schema() -> dict:
    """The published JSON Schema of the format, generated from the models."""
    return Snapshot.model_json_schema(by_alias=True, mode="validation")
