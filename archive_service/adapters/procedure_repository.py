"""The school's procedure in the database: which one each school year follows, the school's edited
copies of the ready ones, the event dates the archive cannot know by itself, and the reminders of
its deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive_service.adapters.orm import (
    ArchivalOriginal,
    ProcedureChoice,
    ProcedureEventDate,
    ReminderRecord,
    SchoolProcedure,
    UserAccount,
    YearBinding,
)


class ProcedureRepository:
    def __init__(self, session: Session):
        self.session = session

    def choice(self, academic_year: str) -> ProcedureChoice | None:
        return self.session.get(ProcedureChoice, academic_year)

    def choices(self) -> Sequence[ProcedureChoice]:
        return self.session.scalars(select(ProcedureChoice).order_by(ProcedureChoice.academic_year)).all()

    def copy(self, key: str) -> SchoolProcedure | None:
        return self.session.get(SchoolProcedure, key)

    def copies(self) -> Sequence[SchoolProcedure]:
        return self.session.scalars(select(SchoolProcedure).order_by(SchoolProcedure.created_at)).all()

    def event_dates(self, academic_year: str) -> dict[str, ProcedureEventDate]:
        rows = self.session.scalars(select(ProcedureEventDate).where(ProcedureEventDate.academic_year == academic_year))
        return {r.event: r for r in rows}

    def binding(self, academic_year: str) -> YearBinding | None:
        return self.session.get(YearBinding, academic_year)

    def original(self, academic_year: str) -> ArchivalOriginal | None:
        """The school year's archival original setting (None: never set — paper)."""
        return self.session.get(ArchivalOriginal, academic_year)

    def add(self, row: ProcedureChoice | SchoolProcedure | ProcedureEventDate | YearBinding | ArchivalOriginal) -> None:
        self.session.add(row)
        self.session.flush()


class ReminderRepository:
    def __init__(self, session: Session):
        self.session = session

    def add_new(self, row: ReminderRecord) -> bool:
        """Store the reminder unless one of its key (year, period, step, kind) is there: False then.
        Commits (or rolls back) the transaction: each reminder is made in a transaction of its own."""
        key = (ReminderRecord.academic_year == row.academic_year, ReminderRecord.period_code == row.period_code,
               ReminderRecord.step == row.step, ReminderRecord.kind == row.kind)
        if self.session.scalar(select(ReminderRecord.id).where(*key)) is not None:
            return False
        self.session.add(row)
        try:
            self.session.commit()
        except IntegrityError:  # another run made it in the meantime
            self.session.rollback()
            return False
        return True

    def unsent(self) -> Sequence[ReminderRecord]:
        return self.session.scalars(select(ReminderRecord).where(ReminderRecord.emailed_at.is_(None))
                                    .order_by(ReminderRecord.id)).all()

    def claim(self, reminder_id: int, now: dt.datetime) -> bool:
        """Take an unsent reminder to send it (atomically: of two runs at once only one takes it)."""
        taken = self.session.execute(update(ReminderRecord).where(ReminderRecord.id == reminder_id,
                                                                 ReminderRecord.emailed_at.is_(None))
                                     .values(emailed_at=now, error=None))
        return bool(getattr(taken, "rowcount", 0) == 1)

    def release(self, reminder_id: int, error: str) -> None:
        """The letter did not go: unsent again, with why."""
        self.session.execute(update(ReminderRecord).where(ReminderRecord.id == reminder_id)
                             .values(emailed_at=None, error=error))

    def listing(self, *, academic_year: str | None = None, period_code: str | None = None,
                role: str | None = None, since: dt.date | None = None, limit: int = 50) -> Sequence[ReminderRecord]:
        """Reminders, newest first, of a period, a role, or due since a day."""
        query = select(ReminderRecord).order_by(ReminderRecord.due_on.desc(), ReminderRecord.id.desc()).limit(limit)
        if academic_year is not None:
            query = query.where(ReminderRecord.academic_year == academic_year)
        if period_code is not None:
            query = query.where(ReminderRecord.period_code == period_code)
        if role is not None:
            query = query.where(ReminderRecord.role == role)
        if since is not None:
            query = query.where(ReminderRecord.due_on >= since)
        return self.session.scalars(query).all()

    def addresses(self, role: str) -> list[str]:
        """The e-mail addresses of the role's active accounts that have one."""
        rows = self.session.scalars(select(UserAccount.email).where(UserAccount.role == role,
                                                                    UserAccount.active.is_(True),
                                                                    UserAccount.email.is_not(None))
                                    .order_by(UserAccount.login))
        return [r for r in rows if r]
