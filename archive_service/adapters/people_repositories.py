"""Repositories of archival certificates, user accounts with their web sessions, and long jobs.
The protocols they implement are in `archive_service/services/ports.py`."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from sqlalchemy import and_, case, delete, func, literal, or_, select, update
from sqlalchemy.orm import Session

from archive_service.adapters.db import advisory_lock
from archive_service.adapters.orm import ArchivalCertificate, Job, SchoolGrant, UserAccount, UTCDateTime, WebSession


class CertificateRepository:
    def __init__(self, session: Session):
        self.session = session

    def next_number(self, year: int) -> int:
        """The next number of the year; the year stays locked until commit (never shared, never skipped)."""
        advisory_lock(self.session, f"certificate:{year}")
        last = self.session.scalar(select(func.max(ArchivalCertificate.number))
                                   .where(ArchivalCertificate.year == year))
        return (last or 0) + 1

    def add(self, certificate: ArchivalCertificate) -> None:
        self.session.add(certificate)
        self.session.flush()

    def listing(self, year: int | None = None) -> Sequence[ArchivalCertificate]:
        query = select(ArchivalCertificate).order_by(ArchivalCertificate.year, ArchivalCertificate.number)
        if year:
            query = query.where(ArchivalCertificate.year == year)
        return self.session.scalars(query).all()

    def get(self, year: int, number: int) -> ArchivalCertificate | None:
        return self.session.scalar(select(ArchivalCertificate).where(ArchivalCertificate.year == year,
                                                                     ArchivalCertificate.number == number))


class AccountRepository:
    """User accounts and their web sessions."""

    def __init__(self, session: Session):
        self.session = session

    def by_login(self, login: str) -> UserAccount | None:
        return self.session.scalar(select(UserAccount).where(UserAccount.login == login))

    def add(self, account: UserAccount) -> None:
        self.session.add(account)
        self.session.flush()

    def all(self) -> Sequence[UserAccount]:
        return self.session.scalars(select(UserAccount).order_by(UserAccount.role, UserAccount.login)).all()

    def count(self) -> int:
        """All accounts, counted under a lock held until commit: two first administrators of a new
        installation are never both created."""
        advisory_lock(self.session, "first-account")
        return self.session.scalar(select(func.count()).select_from(UserAccount)) or 0

    def active_admins(self) -> int:
        """Counted under a lock held until commit: two transactions each disabling or demoting one of
        two administrators are served one after the other, and the second sees one left."""
        advisory_lock(self.session, "active-admins")
        return self.session.scalar(select(func.count()).select_from(UserAccount)
                                   .where(UserAccount.role == "admin", UserAccount.active.is_(True))) or 0

    def take_attempt(self, login: str, now: dt.datetime, *, max_failures: int, lock_for: dt.timedelta) -> int | None:
        """One atomic UPDATE: this attempt's place in the count of failures since the last success
        (a lock that has run out starts it again), locking the account when the place is
        `max_failures`; None when the account is locked or there is no such login."""
        expired = and_(UserAccount.locked_until.is_not(None), UserAccount.locked_until <= now)
        place = case((expired, 1), else_=UserAccount.failed_logins + 1)
        lock = literal(now + lock_for, UTCDateTime())
        return self.session.execute(
            update(UserAccount)
            .where(UserAccount.login == login, or_(UserAccount.locked_until.is_(None), expired))
            .values(failed_logins=place, locked_until=case((place >= max_failures, lock), else_=None))
            .returning(UserAccount.failed_logins)
            .execution_options(synchronize_session=False)).scalar()

    def open_session(self, key: str, account_id: int, now: dt.datetime, *, lifetime: dt.timedelta) -> None:
        """A new web session row; sessions older than `lifetime` are cleared on the way."""
        self.session.execute(delete(WebSession).where(WebSession.created_at < now - lifetime))
        self.session.add(WebSession(id=key, user_id=account_id, created_at=now))

    def of_session(self, key: str) -> UserAccount | None:
        return self.session.scalar(select(UserAccount).join(WebSession, WebSession.user_id == UserAccount.id)
                                   .where(WebSession.id == key))

    def grants(self, account_id: int) -> list[str]:
        """The codes of the schools the account is granted (a district's own archive)."""
        return list(self.session.scalars(select(SchoolGrant.school_code).where(SchoolGrant.user_id == account_id)
                                         .order_by(SchoolGrant.school_code)))

    def grant(self, grant: SchoolGrant) -> None:
        self.session.add(grant)
        self.session.flush()

    def revoke(self, account_id: int, school_code: str) -> int:
        rows = self.session.scalars(select(SchoolGrant).where(SchoolGrant.user_id == account_id,
                                                              SchoolGrant.school_code == school_code)).all()
        for row in rows:
            self.session.delete(row)
        self.session.flush()
        return len(rows)

    def end_session(self, key: str) -> None:
        self.session.execute(delete(WebSession).where(WebSession.id == key))


class JobRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, job: Job) -> None:
        self.session.add(job)

    def get(self, job_id: str) -> Job | None:
        return self.session.get(Job, job_id)

    def under_way(self, kind: str, *, alive_since: dt.datetime) -> Sequence[Job]:
        """Queued or running jobs of this kind whose heartbeat is newer than `alive_since`, newest first."""
        return self.session.scalars(select(Job).where(Job.kind == kind, Job.status.in_(("queued", "running")),
                                                      Job.heartbeat_at > alive_since)
                                    .order_by(Job.created_at.desc())).all()

    def left_behind(self, heard_before: dt.datetime) -> Sequence[Job]:
        """Queued or running jobs whose heartbeat was last heard before `heard_before`."""
        return self.session.scalars(select(Job).where(Job.status.in_(("queued", "running")),
                                                      Job.heartbeat_at < heard_before)).all()
