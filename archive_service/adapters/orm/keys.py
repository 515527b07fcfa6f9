"""The director's archive key: its generations, and the escrow copy of each (never the code)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, UTCDateTime


class ArchiveKeyRecord(Base):
    """One generation of the archive key pair as kept by one holder: the public key in the clear,
    the private key sealed under the holder's code (the director's, or the escrow copy's own)."""

    __tablename__ = "archive_key"
    __table_args__ = (UniqueConstraint("generation", "holder"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    holder: Mapped[str] = mapped_column(String(20))
    """director | escrow"""
    holder_name: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(39), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    """The private key sealed under the holder's code (scrypt parameters and salt in its header)."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    resealed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When a newer generation took over sealing new sets (the private key is kept: old sets open)."""
