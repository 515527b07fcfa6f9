"""SQLAlchemy 2 tables of the archive.

Snapshots are stored whole (the canonical JSON, zlib-compressed) beside a few columns to find
them by; a snapshot row is never updated. The audit log is an append-only hash chain whose
`seq` is unique, so two writers can never fork it silently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
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


class ApiToken(Base):
    """A bearer token for the journal system; only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """One entry of the tamper-evident audit log."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class DocumentRecord(Base):
    """A rendered archive document; the PDF itself is in the content store under `sha256`."""

    __tablename__ = "document"
    __table_args__ = (Index("ix_document_period", "academic_year", "period_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshot.id"))
    school_id: Mapped[str] = mapped_column(ForeignKey("school.id"))
    academic_year: Mapped[str] = mapped_column(String(9))
    period_code: Mapped[str] = mapped_column(String(8))
    class_name: Mapped[str] = mapped_column(String(10))
    grade: Mapped[int] = mapped_column(Integer)
    template_version: Mapped[str] = mapped_column(String(40))
    duplex: Mapped[bool] = mapped_column()
    pages: Mapped[int] = mapped_column(Integer)
    sheets: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    destroyed_by_act: Mapped[str | None] = mapped_column(String(20))
    """«N/YYYY» of the disposal act that destroyed its files (the row stays as evidence)."""


class DocumentSignature(Base):
    """A signed version of a document (append-only): the signed PDF is in the store too."""

    __tablename__ = "document_signature"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(20))
    signer: Mapped[str] = mapped_column(String(300))
    certificate_serial: Mapped[str] = mapped_column(String(80))
    signed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    signed_by: Mapped[str] = mapped_column(String(200))
    timestamp_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When the newest document timestamp's authority certificate expires."""


class PreparedSignature(Base):
    """A document prepared for the director's signature in the browser (signature field, visible
    stamp, reserved space) waiting for the signature of its hash; deleted when completed or expired.
    Only the person who prepared it may complete it."""

    __tablename__ = "prepared_signature"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, handed to the browser
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    """The prepared document, its /Contents zeroed."""
    reserved_start: Mapped[int] = mapped_column(Integer)
    reserved_end: Mapped[int] = mapped_column(Integer)
    digest_algorithm: Mapped[str] = mapped_column(String(20))  # streebog256 | streebog512
    digest: Mapped[str] = mapped_column(String(128))  # hex, of the byte range
    certificate: Mapped[bytes] = mapped_column(LargeBinary)  # DER of the certificate the stamp names


class DocumentSupersession(Base):
    """A document replaced by a copy made from a newer snapshot version (a correction), append-only.

    Neither document is changed: the old one stays in the store, the register and the audit log
    as evidence, this row says which copy replaced it and why (the snapshot version's reason).
    """

    __tablename__ = "document_supersession"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    superseded_id: Mapped[int] = mapped_column(ForeignKey("document.id"), unique=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    """The snapshot version the successor was made from."""
    corrected_by: Mapped[str] = mapped_column(String(200))
    """Who stored the corrected snapshot version."""
    corrected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))
    """Who made the successor copy (closing the period)."""


class TimestampRenewal(Base):
    """A new document timestamp added to a signed document (append-only): a new signed file."""

    __tablename__ = "timestamp_renewal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("document_signature.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    previous_sha256: Mapped[str] = mapped_column(String(64))
    timestamp_expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    renewed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    renewed_by: Mapped[str] = mapped_column(String(200))


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


class BackupJournalEntry(Base):
    """One line of the backup-usage journal (журнал пользования резервными копиями), hash-chained."""

    __tablename__ = "backup_journal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    person: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    medium: Mapped[str] = mapped_column(String(200))
    set_id: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(300))
    result: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


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


class RegisterEntry(Base):
    """An entry of the register of paper copies (реестр), numbered per year without gaps."""

    __tablename__ = "register_entry"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_register_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
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


class LegalHold(Base):
    """An inspection or dispute that forbids disposing of a registered document."""

    __tablename__ = "legal_hold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("register_entry.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_on: Mapped[dt.date] = mapped_column(Date)
    released_on: Mapped[dt.date | None] = mapped_column(Date)
    placed_by: Mapped[str] = mapped_column(String(200))


class DisposalAct(Base):
    """An act selecting documents for destruction (акт о выделении к уничтожению), numbered per year.

    proposed → approved by the director → executed; the act and its items are kept forever.
    """

    __tablename__ = "disposal_act"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_disposal_act_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
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


class ArchivalCertificate(Base):
    """An archival certificate (архивная справка) issued for a former student, numbered per year."""

    __tablename__ = "archival_certificate"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_archival_certificate_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
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


class UserAccount(Base):
    """A person who signs in to the web application; only a password hash is kept."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # admin | deputy | director | secretary | inspector
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column()
    failed_logins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    session_epoch: Mapped[int] = mapped_column(Integer)
    """Raised on disable, role change or password change: older sessions stop being valid."""


class WebSession(Base):
    """A signed-in web session, known to the server: the browser's cookie names it by a random
    token (only its SHA-256 is kept); signing out deletes the row, so a copied cookie opens nothing."""

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's token, hex
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


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
