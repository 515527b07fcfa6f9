"""Work under way: the school's procedure (its choice per year, edited copies, event dates), the
steps done per class, the reminders of its deadlines, and long jobs.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, UTCDateTime


class PeriodStep(Base):
    """A step of the end-of-period procedure done for one class (append-only; the newest counts)."""

    __tablename__ = "period_step"
    __table_args__ = (Index("ix_period_step_class", "academic_year", "period_code", "class_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    period_code: Mapped[str] = mapped_column(String(8))
    class_name: Mapped[str] = mapped_column(String(10))
    step: Mapped[str] = mapped_column(String(40))
    done: Mapped[bool] = mapped_column()
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)


class Job(Base):
    """A long job started from the web (closing a period, batch signing, a backup) and its progress."""

    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    params: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))  # queued | running | done | failed
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    result: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    """Updated with every step: a running job whose heartbeat stopped was killed with its process."""


class ProcedureChoice(Base):
    """Which procedure a school follows in a school year (a ready one's key or its edited copy's)."""

    __tablename__ = "procedure_choice"

    academic_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    procedure_key: Mapped[str] = mapped_column(String(40))
    chosen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    chosen_by: Mapped[str] = mapped_column(String(200))


class YearBinding(Base):
    """How a school binds its paper copies in a school year: each period's copy as its own file (no
    row: the default), or the year's volume of each class as one file (002 § 5.3, 003 прил. 2 § 3.4)."""

    __tablename__ = "year_binding"

    academic_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    per_year: Mapped[bool] = mapped_column()
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    set_by: Mapped[str] = mapped_column(String(200))


class SchoolProcedure(Base):
    """A school's edited copy of a ready procedure: its steps as `domain.procedures.as_dict` data."""

    __tablename__ = "school_procedure"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    based_on: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    changed_by: Mapped[str] = mapped_column(String(200))


class ProcedureEventDate(Base):
    """A date the archive cannot know by itself that deadlines count from (the state exam results)."""

    __tablename__ = "procedure_event_date"

    academic_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    event: Mapped[str] = mapped_column(String(20), primary_key=True)
    on: Mapped[dt.date] = mapped_column(Date)
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    set_by: Mapped[str] = mapped_column(String(200))


class ReminderRecord(Base):
    """A reminder of a procedure deadline (`domain.reminders`): made once per school year, period,
    step and kind (the unique key), shown on the board, e-mailed to the people of its role."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("academic_year", "period_code", "step", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    period_code: Mapped[str] = mapped_column(String(8))
    step: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # tomorrow | missed
    role: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When the letter went (or was taken to be sent by a run); None: not sent (yet)."""
    error: Mapped[str | None] = mapped_column(Text)
    """Why the last attempt to send failed; it is tried again on the next run."""


class ArchivalOriginal(Base):
    """Whether the school's archival original of a school year is the electronic copy the director
    signed (a paperless school, reference 001 § V) rather than the certified paper copy; no row:
    the paper copy, as before."""

    __tablename__ = "archival_original"

    academic_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    electronic: Mapped[bool] = mapped_column()
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    set_by: Mapped[str] = mapped_column(String(200))
