"""Paper copies and their life: the retention schedule, the register (реестр) with its movements
and legal holds, disposal acts and their items, archival certificates.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, NumberedPerYear, UTCDateTime


class RetentionRule(Base):
    """The school's retention schedule: a document kind, its years, case index and legal basis."""

    __tablename__ = "retention_rule"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    years: Mapped[int] = mapped_column(Integer)
    case_index: Mapped[str] = mapped_column(String(40))
    basis: Mapped[str] = mapped_column(Text)


class RegisterCounter(Base):
    """The last register number given in a year: locked while the next one is taken."""

    __tablename__ = "register_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class RegisterEntry(NumberedPerYear, Base):
    """An entry of the register of paper copies (реестр), numbered per year without gaps."""

    __tablename__ = "register_entry"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_register_number"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    case_index: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(String(40))
    sheets: Mapped[int] = mapped_column(Integer)
    handed_over_by: Mapped[str] = mapped_column(String(200))
    accepted_by: Mapped[str] = mapped_column(String(200))
    registered_on: Mapped[dt.date] = mapped_column(Date)
    room: Mapped[str] = mapped_column(String(100))
    cabinet: Mapped[str] = mapped_column(String(100))
    folder: Mapped[str] = mapped_column(String(100))
    retention_end: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # in_archive | issued | destroyed
    medium: Mapped[str] = mapped_column(String(20), default="paper", server_default="paper")
    """paper: a paper copy on a shelf (room, cabinet, folder); electronic: the signed electronic
    original of a paperless school, kept in the archive's content store and its backup sets."""


class FileInventory(NumberedPerYear, Base):
    """An inventory of files (опись дел) as compiled: its number N/YYYY (gapless within the year it
    was compiled), what it covers and a digest of the files it lists, so that printing the same
    inventory again keeps its number and a changed one takes the next."""

    __tablename__ = "file_inventory"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_file_inventory_number"),)

    covers: Mapped[int | None] = mapped_column(Integer)
    """The register year the inventory lists; None: every year."""
    digest: Mapped[str] = mapped_column(String(64), index=True)
    """SHA-256 of the listed files (register numbers, titles, sheets, in the inventory's order)."""
    files: Mapped[int] = mapped_column(Integer)
    sheets: Mapped[int] = mapped_column(Integer)
    compiled_on: Mapped[dt.date] = mapped_column(Date)
    compiled_by: Mapped[str] = mapped_column(String(200))


class RegisterMovement(Base):
    """A paper file issued from the archive or returned to it (append-only)."""

    __tablename__ = "register_movement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entry.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # issued | returned
    person: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    return_by: Mapped[dt.date | None] = mapped_column(Date)
    """An issue's date by which the file comes back; None for a return (and for issues recorded
    before return-by dates were kept)."""


class LegalHold(Base):
    """An inspection or dispute that forbids disposing of a registered document."""

    __tablename__ = "legal_hold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entry.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_on: Mapped[dt.date] = mapped_column(Date)
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    placed_by: Mapped[str] = mapped_column(String(200))


class DisposalAct(NumberedPerYear, Base):
    """An act selecting documents for destruction (акт о выделении к уничтожению), numbered per year.

    proposed → approved by the director → executed; the act and its items are kept forever.
    """

    __tablename__ = "disposal_act"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_disposal_act_number"),)

    composed_on: Mapped[dt.date] = mapped_column(Date)
    composed_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # proposed | approved | executed | withdrawn
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    executed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    executed_by: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))
    """The act's PDF as composed (in the content store)."""


class DisposalActItem(Base):
    """A register entry listed in a disposal act, and when its copies were destroyed."""

    __tablename__ = "disposal_act_item"
    __table_args__ = (UniqueConstraint("act_id", "entry_id", name="uq_disposal_act_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("disposal_act.id"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entry.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    destruction_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """Set (with the register entry marked destroyed) before the first byte is deleted: from then
    on no hold may be placed on the file and a re-run finishes its destruction."""
    destroyed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    evidence: Mapped[dict] = mapped_column(JSON)
    """What was destroyed: file hashes, backup objects and media."""


class ArchivalCertificate(NumberedPerYear, Base):
    """An archival certificate (архивная справка) issued for a former student, numbered per year."""

    __tablename__ = "archival_certificate"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_archival_certificate_number"),)

    student_name: Mapped[str] = mapped_column(String(300))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(200))
    sources: Mapped[list] = mapped_column(JSON)
    """The summary sheets cited: document id, register number, sheets."""
    sha256: Mapped[str] = mapped_column(String(64))
    """The certificate PDF in the content store."""
