"""Backup sets on media A and B, and the backup-usage journal (a hash chain).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, ChainLink, UTCDateTime


class BackupSet(Base):
    """A backup set of a period, written to medium A and medium B."""

    __tablename__ = "backup_set"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[str] = mapped_column(String(80), unique=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    periods: Mapped[str] = mapped_column(String(80))
    files: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    retain_until: Mapped[dt.date] = mapped_column(Date)
    complete: Mapped[bool] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), server_default="complete")
    """writing (recorded before the first byte; a re-run finishes or adopts it) | complete | incomplete"""
    writer: Mapped[str | None] = mapped_column(String(200))
    """The writing process (host:pid:start) while the state is «writing»; empty once it let go."""
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    hashes: Mapped[dict | None] = mapped_column(JSON)
    """file name → SHA-256 of every file of the set, recorded before writing (empty for old sets)."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    copies: Mapped[dict] = mapped_column(JSON)
    """medium label → {"location", "verified"}"""
    destroyed_by_act: Mapped[str | None] = mapped_column(String(20))
    """«N/YYYY» of the disposal act after which the set was deleted from its media."""
    handover_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    handover_confirmed_by: Mapped[str | None] = mapped_column(String(200))
    """The director's confirmation of the hand-over act (the media received)."""
    key_fingerprint: Mapped[str | None] = mapped_column(String(39))
    """The archive key the set is sealed for; empty for a set sealed with a code (before the key)."""
    resealed_as: Mapped[str | None] = mapped_column(String(80))
    """The set this code-sealed set was re-sealed as, for the archive key (`backup reseal`)."""
    act_number: Mapped[int | None] = mapped_column(Integer)
    """The hand-over act's number within the year the set was made (given when the set is recorded)."""


class BackupJournalEntry(ChainLink, Base):
    """One line of the backup-usage journal (журнал пользования резервными копиями), hash-chained."""

    __tablename__ = "backup_journal"

    person: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    medium: Mapped[str] = mapped_column(String(200))
    set_id: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(300))
    result: Mapped[str] = mapped_column(Text)
