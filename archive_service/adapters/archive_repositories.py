"""The snapshot, document and backup-set repositories with the named queries the register,
disposal, procedure board, certificates, retrieval and backup services need (the base classes
in `repository.py` hold what ingest, signing and the sources use)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence, cast

from sqlalchemy import CursorResult, and_, func, select, update
from sqlalchemy.orm import Session

from archive_service.adapters.orm import (
    ArchiveKeyRecord,
    BackupSet,
    DocumentRecord,
    RegisterEntry,
    SnapshotRecord,
    SnapshotStudent,
    TimestampRenewal,
)
from archive_service.adapters.repository import BackupRepository, DocumentRepository, SnapshotRepository, newest_only


class Snapshots(SnapshotRepository):
    def students_born(self, birth_date: dt.date, *, period_code: str) -> list[tuple[SnapshotStudent, SnapshotRecord]]:
        """Every student of this birth date in a stored snapshot of the period, with the snapshot."""
        return [(student, record) for student, record in self.session.execute(
            select(SnapshotStudent, SnapshotRecord)
            .join(SnapshotRecord, SnapshotRecord.id == SnapshotStudent.snapshot_id)
            .where(SnapshotRecord.period_code == period_code, SnapshotStudent.birth_date == birth_date))]

    def year_pupils(self, born_from: dt.date | None = None, born_to: dt.date | None = None
                    ) -> list[tuple[str, dt.date, str, int, str]]:
        """(name, birth date, school year, grade, class) of every pupil the newest version of a year
        snapshot lists, born between the two dates (each when given)."""
        query = (select(SnapshotStudent.full_name, SnapshotStudent.birth_date, SnapshotRecord.academic_year,
                        SnapshotRecord.grade, SnapshotRecord.class_name)
                 .join(SnapshotRecord, SnapshotRecord.id == SnapshotStudent.snapshot_id)
                 .where(SnapshotRecord.period_code == "year"))
        if born_from is not None:
            query = query.where(SnapshotStudent.birth_date >= born_from)
        if born_to is not None:
            query = query.where(SnapshotStudent.birth_date <= born_to)
        return [(n, b, y, g, c) for n, b, y, g, c in self.session.execute(newest_only(query))]

    def first_student(self, academic_year: str, period_code: str) -> SnapshotStudent | None:
        """A student of the year's snapshots of the period, the oldest class first, by name."""
        return self.session.scalar(
            select(SnapshotStudent).join(SnapshotRecord, SnapshotRecord.id == SnapshotStudent.snapshot_id)
            .where(SnapshotRecord.academic_year == academic_year, SnapshotRecord.period_code == period_code)
            .order_by(SnapshotRecord.grade.desc(), SnapshotRecord.class_name, SnapshotStudent.full_name).limit(1))

    def student_names(self) -> list[str]:
        """Every distinct student name in any snapshot."""
        return list(self.session.scalars(select(SnapshotStudent.full_name).distinct()))

    def students_named(self, names: Sequence[str]) -> list[SnapshotStudent]:
        """The students of these exact names, in every snapshot that lists them."""
        if not names:
            return []
        return list(self.session.scalars(select(SnapshotStudent).where(SnapshotStudent.full_name.in_(names))))


class Documents(DocumentRepository):
    def renewal_hashes(self, signature_id: int) -> list[str]:
        """The files of every re-timestamping of a signature, oldest first."""
        return list(self.session.scalars(select(TimestampRenewal.sha256)
                                         .where(TimestampRenewal.signature_id == signature_id)
                                         .order_by(TimestampRenewal.id)))

    def of_year(self, academic_year: str, *, kind: str | None = None,
                period_codes: Sequence[str] | None = None) -> list[DocumentRecord]:
        """Every document of the school year (destroyed ones too), of one kind or of these periods."""
        query = select(DocumentRecord).where(DocumentRecord.academic_year == academic_year)
        if kind is not None:
            query = query.where(DocumentRecord.kind == kind)
        if period_codes is not None:
            query = query.where(DocumentRecord.period_code.in_(period_codes))
        return list(self.session.scalars(query.order_by(DocumentRecord.id)))

    def with_versions(self, pks: Sequence[int]) -> dict[int, tuple[DocumentRecord, int]]:
        """pk → (document, the version of the snapshot it was made from)."""
        if not pks:
            return {}
        return {d.id: (d, version) for d, version in self.session.execute(
            select(DocumentRecord, SnapshotRecord.version)
            .join(SnapshotRecord, SnapshotRecord.id == DocumentRecord.snapshot_id)
            .where(DocumentRecord.id.in_(pks)))}

    def registered_first(self, snapshot_id: int, kind: str) -> tuple[DocumentRecord, RegisterEntry | None] | None:
        """The existing document of this kind made from the snapshot, with its register entry:
        the registered one first (an entry not destroyed), else the newest."""
        row = self.session.execute(
            select(DocumentRecord, RegisterEntry)
            .outerjoin(RegisterEntry, and_(RegisterEntry.document_id == DocumentRecord.id,
                                           RegisterEntry.status != "destroyed"))
            .where(DocumentRecord.snapshot_id == snapshot_id, DocumentRecord.kind == kind,
                   DocumentRecord.destroyed_by_act.is_(None))
            .order_by(RegisterEntry.id.is_(None), DocumentRecord.id.desc()).limit(1)).first()
        return (row[0], row[1]) if row else None

    def copies_of_class(self, snapshot: SnapshotRecord) -> list[tuple[int, str, int]]:
        """(pk, kind, snapshot version) of every document of the class and period of `snapshot`,
        whichever version it was made from."""
        return [(pk, kind, version) for pk, kind, version in self.session.execute(
            select(DocumentRecord.id, DocumentRecord.kind, SnapshotRecord.version)
            .join(SnapshotRecord, SnapshotRecord.id == DocumentRecord.snapshot_id)
            .where(SnapshotRecord.school_id == snapshot.school_id,
                   SnapshotRecord.academic_year == snapshot.academic_year,
                   SnapshotRecord.period_code == snapshot.period_code, SnapshotRecord.class_id == snapshot.class_id))]

    def find(self, *, academic_year: str | None = None, class_name: str | None = None, kind: str | None = None,
             snapshot_ids: Sequence[int] | None = None, limit: int) -> list[tuple[DocumentRecord, SnapshotRecord]]:
        """Documents (destroyed ones too) with their snapshots matching every criterion given (not
        None), at most `limit`, by year, grade, class and id."""
        query = select(DocumentRecord, SnapshotRecord).join(SnapshotRecord,
                                                            SnapshotRecord.id == DocumentRecord.snapshot_id)
        if academic_year is not None:
            query = query.where(DocumentRecord.academic_year == academic_year)
        if class_name is not None:
            query = query.where(DocumentRecord.class_name == class_name)
        if kind is not None:
            query = query.where(DocumentRecord.kind == kind)
        if snapshot_ids is not None:
            query = query.where(DocumentRecord.snapshot_id.in_(snapshot_ids))
        query = query.order_by(DocumentRecord.academic_year, DocumentRecord.grade, DocumentRecord.class_name,
                               DocumentRecord.id).limit(limit)
        return [(document, snapshot) for document, snapshot in self.session.execute(query)]

    def with_snapshot(self, document_id: str) -> tuple[DocumentRecord, SnapshotRecord] | None:
        row = self.session.execute(select(DocumentRecord, SnapshotRecord)
                                   .join(SnapshotRecord, SnapshotRecord.id == DocumentRecord.snapshot_id)
                                   .where(DocumentRecord.document_id == document_id)).first()
        return (row[0], row[1]) if row else None

    def classes(self) -> list[tuple[str, int, str]]:
        """Distinct (school year, grade, class name) that have documents."""
        return [(year, grade, name) for year, grade, name in self.session.execute(
            select(DocumentRecord.academic_year, DocumentRecord.grade, DocumentRecord.class_name).distinct())]


class BackupSets(BackupRepository):
    def locked(self, set_id: str) -> BackupSet | None:
        """The set, its row locked until commit."""
        return self.session.scalar(select(BackupSet).where(BackupSet.set_id == set_id).with_for_update())

    def of_year(self, academic_year: str) -> Sequence[BackupSet]:
        return self.session.scalars(select(BackupSet).where(BackupSet.academic_year == academic_year)
                                    .order_by(BackupSet.id)).all()

    def destroyed_by(self, act_key: str) -> Sequence[BackupSet]:
        """The sets deleted under a disposal act («N/YYYY»)."""
        return self.session.scalars(select(BackupSet).where(BackupSet.destroyed_by_act == act_key)
                                    .order_by(BackupSet.id)).all()

    def interrupted(self, academic_year: str, label: str) -> Sequence[BackupSet]:
        """Sets of this scope whose write did not finish, oldest first."""
        return self.session.scalars(select(BackupSet).where(
            BackupSet.academic_year == academic_year, BackupSet.periods == label,
            BackupSet.state.in_(["writing", "incomplete"]), BackupSet.destroyed_by_act.is_(None))
            .order_by(BackupSet.id)).all()

    def take_over(self, backup: BackupSet, writer: str, now: dt.datetime) -> bool:
        """Compare-and-set: make `writer` the set's writer if its writer is still the one read."""
        was = BackupSet.writer.is_(None) if backup.writer is None else BackupSet.writer == backup.writer
        # an UPDATE's result is a CursorResult (SQLAlchemy types Session.execute as a plain Result)
        taken = cast(CursorResult[Any], self.session.execute(
            update(BackupSet).where(BackupSet.id == backup.id, was)
            .values(writer=writer, heartbeat_at=now, state="writing")))
        return taken.rowcount == 1

    def next_act_number(self, year: int) -> int:
        """The next hand-over act number among the sets made in `year` (1, 2, …)."""
        start = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)
        end = dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc)
        top = self.session.scalar(select(func.max(BackupSet.act_number))
                                  .where(BackupSet.created_at >= start, BackupSet.created_at < end))
        return (top or 0) + 1


class ArchiveKeys:
    """The director's archive key: every generation, and the escrow copies."""

    def __init__(self, session: Session):
        self.session = session

    def current(self) -> ArchiveKeyRecord | None:
        """The director's newest generation (what new sets are sealed for)."""
        return self.session.scalar(select(ArchiveKeyRecord).where(ArchiveKeyRecord.holder == "director")
                                   .order_by(ArchiveKeyRecord.generation.desc()).limit(1))

    def all(self) -> Sequence[ArchiveKeyRecord]:
        return self.session.scalars(select(ArchiveKeyRecord).order_by(ArchiveKeyRecord.generation,
                                                                      ArchiveKeyRecord.holder)).all()

    def by_fingerprint(self, fingerprint: str) -> Sequence[ArchiveKeyRecord]:
        return self.session.scalars(select(ArchiveKeyRecord).where(ArchiveKeyRecord.fingerprint == fingerprint)
                                    .order_by(ArchiveKeyRecord.holder)).all()

    def add(self, record: ArchiveKeyRecord) -> None:
        self.session.add(record)
        self.session.flush()

    def remove(self, record: ArchiveKeyRecord) -> None:
        self.session.delete(record)
        self.session.flush()
