"""The archive documents rendered from snapshots, their signatures, the signatures waiting in the
director's browser, corrections (supersessions) and timestamp renewals.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, false, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, UTCDateTime


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
    draft: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Made before its period ended (`domain.drafts`): the file says «ЧЕРНОВИК — период не завершён»
    on every page; never signed, registered or backed up as an archive copy."""


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
