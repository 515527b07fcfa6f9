"""What comes in from the class journals: the school, each stored snapshot version (the canonical
JSON whole, zlib-compressed, beside a few columns to find it by; a snapshot row is never updated),
who it lists and its pre-flight findings, the journal systems the archive pulls from and each pull.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, UTCDateTime


class School(Base):
    __tablename__ = "school"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(300))
    director_name: Mapped[str] = mapped_column(String(300))


class SnapshotRecord(Base):
    """One stored snapshot version of one class for one period."""

    __tablename__ = "snapshot"
    __table_args__ = (
        UniqueConstraint("school_id", "academic_year", "period_code", "class_id", "version",
                         name="uq_snapshot_version"),
        Index("ix_snapshot_period", "academic_year", "period_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(40))
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"))
    academic_year: Mapped[str] = mapped_column(String(9))
    period_code: Mapped[str] = mapped_column(String(8))
    period_kind: Mapped[str] = mapped_column(String(16))
    period_number: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    class_id: Mapped[str] = mapped_column(String(64))
    class_name: Mapped[str] = mapped_column(String(10))
    grade: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("snapshot.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    source_system: Mapped[str] = mapped_column(String(300))
    exported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ingested_by: Mapped[str] = mapped_column(String(200))
    student_count: Mapped[int] = mapped_column(Integer)
    subject_count: Mapped[int] = mapped_column(Integer)
    lesson_count: Mapped[int] = mapped_column(Integer)
    mark_count: Mapped[int] = mapped_column(Integer)
    absence_count: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class SnapshotStudent(Base):
    """Who a snapshot lists: lets people find a student across classes and years."""

    __tablename__ = "snapshot_student"
    __table_args__ = (Index("ix_snapshot_student_name", "full_name", "birth_date"),)

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id"), primary_key=True)
    student_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300))
    birth_date: Mapped[dt.date] = mapped_column(Date)


class PreflightReportRecord(Base):
    """The pre-flight findings of one stored snapshot version, found when it was stored (or on the
    first reading of a version stored before there was this table): kept under the norms of marks
    and the edition of the rules (`domain.preflight.RULES`) they were found with, so that other
    norms or newer rules are found anew, never read stale. Never updated."""

    __tablename__ = "preflight_report"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "rules", "min_marks_one_hour", "min_marks", name="uq_preflight_report_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id"))
    rules: Mapped[int] = mapped_column(Integer)
    min_marks_one_hour: Mapped[int] = mapped_column(Integer)
    min_marks: Mapped[int] = mapped_column(Integer)
    finding_count: Mapped[int] = mapped_column(Integer)
    findings: Mapped[list] = mapped_column(JSON)
    """[{"code", "message", "subject", "student", "date", "teacher", "detail"}] in the report's order"""
    arrived: Mapped[dict] = mapped_column(JSON)
    """pupils who came into the class after the period began: full name → ISO date"""


class JournalSourceRecord(Base):
    """A configured journal system the archive pulls from; the secret only encrypted (key not here)."""

    __tablename__ = "journal_source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    system: Mapped[str] = mapped_column(String(20))  # netschool | eljur | dnevnik | a registered one
    url: Mapped[str] = mapped_column(Text)
    login: Mapped[str] = mapped_column(String(200))
    school: Mapped[str] = mapped_column(String(100))
    extra: Mapped[dict] = mapped_column(JSON)
    secret: Mapped[bytes] = mapped_column(LargeBinary)  # Fernet token of the password / token / devkey
    calendar: Mapped[dict] = mapped_column(JSON)
    """What the last sign-in saw: school, academic year, classes, periods with dates (for the schedule)."""
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:  # never the secret
        return f"JournalSourceRecord(name={self.name!r}, system={self.system!r}, url={self.url!r})"


class SourcePull(Base):
    """One pull from a source (by a person or the schedule) and its result per class."""

    __tablename__ = "source_pull"
    __table_args__ = (Index("ix_source_pull_source", "source_name", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_name: Mapped[str] = mapped_column(String(100))
    system: Mapped[str] = mapped_column(String(20))
    academic_year: Mapped[str] = mapped_column(String(9))
    period_code: Mapped[str] = mapped_column(String(8))
    triggered_by: Mapped[str] = mapped_column(String(200))  # a person's name, or «расписание»
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    state: Mapped[str] = mapped_column(String(20))  # running | ok | partial | failed
    message: Mapped[str] = mapped_column(Text)
    results: Mapped[list] = mapped_column(JSON)  # [{"class", "status", "message", "version", "problems"}]
