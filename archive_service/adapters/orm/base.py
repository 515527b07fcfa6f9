"""The declarative base of the archive's tables, its naming convention, and the column types
and shapes they share.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes stored as UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ChainLink:
    """A row of a hash-chained log (the audit log, the backup-usage journal): its place `seq`, unique
    so that two writers can never fork the chain silently, its moment, the hash of the chain before
    it and its own. The table's columns keep their order: these first and the two hashes last."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-3)
    seq: Mapped[int] = mapped_column(Integer, unique=True, sort_order=-2)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, sort_order=-1)
    prev_hash: Mapped[str] = mapped_column(String(64), sort_order=1)
    hash: Mapped[str] = mapped_column(String(64), unique=True, sort_order=2)


class NumberedPerYear:
    """A record numbered within its year without gaps (register entries, disposal acts, archival
    certificates): «N/YYYY». Each table names its own unique constraint on (year, number)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-3)
    year: Mapped[int] = mapped_column(Integer, sort_order=-2)
    number: Mapped[int] = mapped_column(Integer, sort_order=-1)
