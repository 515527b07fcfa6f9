"""Temporary journals issued while the journal system was down (reference 001 §3.1–3.2), and when
their data were moved back into the system."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, UTCDateTime


class TemporaryJournal(Base):
    """A blank temporary journal printed for a class and a date range (one row per printing)."""

    __tablename__ = "temporary_journal"
    __table_args__ = (Index("ix_temporary_journal_class", "class_name", "date_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    class_name: Mapped[str] = mapped_column(String(10))
    date_from: Mapped[dt.date] = mapped_column(Date)
    date_to: Mapped[dt.date] = mapped_column(Date)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id"))
    """The snapshot whose class list and timetable the journal was printed from."""
    made_by: Mapped[str] = mapped_column(String(200))
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    restored_on: Mapped[dt.date | None] = mapped_column(Date)
    """When access to the journal system returned (None: not recorded, taken as the day after the range)."""
    moved_back_on: Mapped[dt.date | None] = mapped_column(Date)
    moved_back_by: Mapped[str | None] = mapped_column(String(200))
    moved_back_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
