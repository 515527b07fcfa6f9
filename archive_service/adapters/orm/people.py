"""Who may act and what they did: web accounts and their sessions, API tokens of the journal
system, and the tamper-evident audit log (a hash chain).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from archive_service.adapters.orm.base import Base, ChainLink, UTCDateTime


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
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    """The password was set by an administrator: changed by its owner at the next sign-in."""
    email: Mapped[str | None] = mapped_column(String(254))
    """Where the deadline reminders of the account's role are sent; None: no letters."""


class WebSession(Base):
    """A signed-in web session, known to the server: the browser's cookie names it by a random
    token (only its SHA-256 is kept); signing out deletes the row, so a copied cookie opens nothing."""

    __tablename__ = "web_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's token, hex
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class SchoolGrant(Base):
    """In a district's own archive: a school whose archive a district inspector may search and read."""

    __tablename__ = "school_grant"
    __table_args__ = (UniqueConstraint("user_id", "school_code", name="uq_school_grant_user_id_school_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    school_code: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    granted_by: Mapped[str] = mapped_column(String(200))


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


class AuditEvent(ChainLink, Base):
    """One entry of the tamper-evident audit log."""

    __tablename__ = "audit_event"

    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON)
