"""The temporary journals issued, and the latest snapshot of a class they are printed from."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from archive_service.adapters.orm import SnapshotRecord, TemporaryJournal
from archive_service.adapters.repository import newest_only


class TemporaryJournalRepository:
    def __init__(self, session: Session):
        self.session = session

    def latest_snapshot(self, class_name: str, on_or_before: dt.date) -> SnapshotRecord | None:
        """The newest version of the class's snapshot of the latest period begun by `on_or_before`
        (of two periods ending together, the shorter: a quarter's lessons show the current timetable
        better than the year's), with its content."""
        query = newest_only(select(SnapshotRecord)).where(SnapshotRecord.class_name == class_name,
                                                           SnapshotRecord.period_start <= on_or_before)
        return self.session.scalar(query.options(undefer(SnapshotRecord.content)).order_by(
            SnapshotRecord.period_end.desc(), SnapshotRecord.period_start.desc(),
            SnapshotRecord.exported_at.desc()).limit(1))

    def add(self, row: TemporaryJournal) -> None:
        self.session.add(row)
        self.session.flush()

    def get(self, pk: int) -> TemporaryJournal | None:
        return self.session.get(TemporaryJournal, pk)

    def all(self) -> Sequence[TemporaryJournal]:
        return self.session.scalars(select(TemporaryJournal).order_by(TemporaryJournal.date_from.desc(),
                                                                      TemporaryJournal.class_name,
                                                                      TemporaryJournal.id)).all()
