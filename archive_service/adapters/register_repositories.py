"""Repositories of the register (реестр), its legal holds, disposal acts, corrections and the
period procedure's step records: the queries the services need, named, so no service writes SQL.

The protocols these implement are in `archive_service/services/ports.py`; the in-memory fakes
the unit tests use are in `tests/fakes.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive_service.adapters.db import advisory_lock
from archive_service.adapters.orm import (
    DisposalAct,
    DisposalActItem,
    DocumentRecord,
    DocumentSupersession,
    FileInventory,
    LegalHold,
    PeriodStep,
    RegisterCounter,
    RegisterEntry,
    RegisterMovement,
    RetentionRule,
    SnapshotRecord,
)


class RegisterRepository:
    """The register of copies, its yearly counters, its movements and the retention schedule."""

    def __init__(self, session: Session):
        self.session = session

    def lock_rules(self) -> None:
        """Two first users must not both seed the default schedule (held until commit)."""
        advisory_lock(self.session, "retention-rules")

    def rules(self) -> Sequence[RetentionRule]:
        return self.session.scalars(select(RetentionRule)).all()

    def rule(self, kind: str) -> RetentionRule | None:
        return self.session.get(RetentionRule, kind)

    def add_rule(self, rule: RetentionRule) -> None:
        self.session.add(rule)

    def next_number(self, year: int) -> int:
        """The next number of the year; the year's counter stays locked until commit, so two
        registrations never take the same number and a rolled-back one leaves no gap."""
        advisory_lock(self.session, f"register:{year}")
        counter = self.session.get(RegisterCounter, year, with_for_update=True)
        if counter is None:
            counter = RegisterCounter(year=year, last_number=0)
            self.session.add(counter)
        counter.last_number += 1
        self.session.flush()
        return counter.last_number

    def add(self, entry: RegisterEntry) -> None:
        self.session.add(entry)
        self.session.flush()

    def get(self, year: int, number: int, *, lock: bool = False) -> RegisterEntry | None:
        query = select(RegisterEntry).where(RegisterEntry.year == year, RegisterEntry.number == number)
        return self.session.scalar(query.with_for_update() if lock else query)

    def by_id(self, entry_id: int, *, lock: bool = False) -> RegisterEntry | None:
        return self.session.get(RegisterEntry, entry_id, with_for_update=lock)

    def of_document(self, document_pk: int) -> RegisterEntry | None:
        return self.session.scalar(select(RegisterEntry).where(RegisterEntry.document_id == document_pk))

    def of_documents(self, document_pks: Iterable[int]) -> dict[int, RegisterEntry]:
        """document pk → its entry, for the registered ones."""
        pks = list(document_pks)
        if not pks:
            return {}
        return {e.document_id: e for e in self.session.scalars(
            select(RegisterEntry).where(RegisterEntry.document_id.in_(pks)))}

    def listing(self, year: int | None = None) -> list[tuple[RegisterEntry, DocumentRecord]]:
        """Every entry (of the year) with its document, in register order."""
        query = (select(RegisterEntry, DocumentRecord)
                 .join(DocumentRecord, DocumentRecord.id == RegisterEntry.document_id)
                 .order_by(RegisterEntry.year, RegisterEntry.number))
        if year:
            query = query.where(RegisterEntry.year == year)
        return [(entry, document) for entry, document in self.session.execute(query)]

    def period_bounds(self, document_pks: Iterable[int]) -> dict[int, tuple[dt.date, dt.date]]:
        """document pk → the first and last day of the period its snapshot covers (the file's
        extreme dates)."""
        pks = list(document_pks)
        if not pks:
            return {}
        rows = self.session.execute(
            select(DocumentRecord.id, SnapshotRecord.period_start, SnapshotRecord.period_end)
            .join(SnapshotRecord, SnapshotRecord.id == DocumentRecord.snapshot_id).where(DocumentRecord.id.in_(pks)))
        return {pk: (start, end) for pk, start, end in rows}

    def inventory_by_digest(self, covers: int | None, digest: str) -> FileInventory | None:
        """The inventory already compiled of exactly these files, if any."""
        same = FileInventory.covers.is_(None) if covers is None else FileInventory.covers == covers
        return self.session.scalar(select(FileInventory).where(FileInventory.digest == digest, same)
                                   .order_by(FileInventory.id).limit(1))

    def next_inventory_number(self, year: int) -> int:
        """The next inventory number of the year; the year stays locked until commit (never shared,
        never skipped)."""
        advisory_lock(self.session, f"inventory:{year}")
        last = self.session.scalar(select(func.max(FileInventory.number)).where(FileInventory.year == year))
        return (last or 0) + 1

    def add_inventory(self, inventory: FileInventory) -> None:
        self.session.add(inventory)
        self.session.flush()

    def add_movement(self, movement: RegisterMovement) -> None:
        self.session.add(movement)
        self.session.flush()

    def last_movement(self, entry: RegisterEntry) -> RegisterMovement | None:
        return self.session.scalar(select(RegisterMovement).where(RegisterMovement.entry_id == entry.id)
                                   .order_by(RegisterMovement.id.desc()).limit(1))

    def movements_of(self, entry: RegisterEntry) -> list[RegisterMovement]:
        """The file's issues and returns, oldest first."""
        return list(self.session.scalars(select(RegisterMovement).where(RegisterMovement.entry_id == entry.id)
                                         .order_by(RegisterMovement.id)))

    def issued(self) -> list[tuple[RegisterEntry, RegisterMovement]]:
        """Each issue of an entry that is out of the archive now, oldest first."""
        return [(entry, movement) for entry, movement in self.session.execute(
            select(RegisterEntry, RegisterMovement)
            .join(RegisterMovement, RegisterMovement.entry_id == RegisterEntry.id)
            .where(RegisterEntry.status == "issued", RegisterMovement.action == "issued")
            .order_by(RegisterMovement.id))]


class HoldRepository:
    """Legal holds (запреты уничтожения) on register entries."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, hold: LegalHold) -> None:
        self.session.add(hold)
        self.session.flush()

    def active_for(self, entry: RegisterEntry) -> Sequence[LegalHold]:
        return self.session.scalars(select(LegalHold).where(LegalHold.entry_id == entry.id,
                                                            LegalHold.released_on.is_(None))).all()

    def active(self) -> dict[int, str]:
        """entry id → the reason of its active hold."""
        rows = self.session.execute(select(LegalHold.entry_id, LegalHold.reason)
                                    .where(LegalHold.released_on.is_(None)).order_by(LegalHold.id))
        return {entry_id: reason for entry_id, reason in rows}


class DisposalRepository:
    """Disposal acts and their items."""

    def __init__(self, session: Session):
        self.session = session

    def lock(self) -> None:
        """Two secretaries composing at once must not list the same files twice (held until commit)."""
        advisory_lock(self.session, "disposal")

    def get(self, year: int, number: int) -> DisposalAct | None:
        return self.session.scalar(select(DisposalAct).where(DisposalAct.year == year, DisposalAct.number == number))

    def all(self) -> Sequence[DisposalAct]:
        return self.session.scalars(select(DisposalAct).order_by(DisposalAct.year, DisposalAct.number)).all()

    def next_number(self, year: int) -> int:
        """The next act number of the year (call under `lock`)."""
        return (self.session.scalar(select(func.max(DisposalAct.number)).where(DisposalAct.year == year)) or 0) + 1

    def add(self, act: DisposalAct) -> None:
        self.session.add(act)
        self.session.flush()

    def add_item(self, item: DisposalActItem) -> None:
        self.session.add(item)
        self.session.flush()

    def items(self, act: DisposalAct) -> list[DisposalActItem]:
        return list(self.session.scalars(select(DisposalActItem).where(DisposalActItem.act_id == act.id)
                                         .order_by(DisposalActItem.position)))

    def item(self, item_id: int) -> DisposalActItem | None:
        return self.session.get(DisposalActItem, item_id)

    def open_listings(self) -> dict[int, tuple[int, int]]:
        """entry id → (year, number) of a proposed or approved act listing it and not yet destroyed by it."""
        rows = self.session.execute(
            select(DisposalActItem.entry_id, DisposalAct.year, DisposalAct.number)
            .join(DisposalAct, DisposalAct.id == DisposalActItem.act_id)
            .where(DisposalAct.status.in_(("proposed", "approved")), DisposalActItem.destroyed_at.is_(None)))
        return {entry_id: (year, number) for entry_id, year, number in rows}

    def destruction_begun(self, entry: RegisterEntry) -> tuple[int, int] | None:
        """(year, number) of the act whose destruction of this entry's file has begun (or ended)."""
        row = self.session.execute(
            select(DisposalAct.year, DisposalAct.number)
            .join(DisposalActItem, DisposalActItem.act_id == DisposalAct.id)
            .where(DisposalActItem.entry_id == entry.id, DisposalActItem.destruction_started_at.is_not(None))).first()
        return (row.year, row.number) if row else None

    def unfinished_documents(self) -> set[int]:
        """Document pks whose destruction has begun and not yet ended (their files may still be there)."""
        return set(self.session.scalars(
            select(RegisterEntry.document_id).join(DisposalActItem, DisposalActItem.entry_id == RegisterEntry.id)
            .where(DisposalActItem.destruction_started_at.is_not(None), DisposalActItem.destroyed_at.is_(None))))


class SupersessionRepository:
    """Which copy replaced which (corrections)."""

    def __init__(self, session: Session):
        self.session = session

    def of(self, document_pks: Iterable[int]) -> Sequence[DocumentSupersession]:
        """The supersessions of these replaced documents."""
        pks = list(document_pks)
        if not pks:
            return []
        return self.session.scalars(select(DocumentSupersession)
                                    .where(DocumentSupersession.superseded_id.in_(pks))).all()

    def lock_class(self, snapshot: SnapshotRecord) -> None:
        """Serialize the copies of one class and period until commit."""
        advisory_lock(self.session, f"copies:{snapshot.school_id}:{snapshot.academic_year}:{snapshot.period_code}:"
                                    f"{snapshot.class_id}")

    def superseded(self) -> set[int]:
        return set(self.session.scalars(select(DocumentSupersession.superseded_id)))

    def add(self, row: DocumentSupersession) -> None:
        self.session.add(row)
        self.session.flush()


class StepRepository:
    """The marks people set on the period procedure's board."""

    def __init__(self, session: Session):
        self.session = session

    def of_period(self, academic_year: str, period_code: str) -> Sequence[PeriodStep]:
        """Oldest first."""
        return self.session.scalars(select(PeriodStep).where(PeriodStep.academic_year == academic_year,
                                                             PeriodStep.period_code == period_code)
                                    .order_by(PeriodStep.id)).all()

    def add(self, step: PeriodStep) -> None:
        self.session.add(step)
