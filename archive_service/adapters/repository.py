"""Repositories: how services find and add archive records, without writing SQL themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence, TypeVar, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session, undefer

from archive_service.adapters.orm import (
    ApiToken,
    AuditEvent,
    BackupJournalEntry,
    BackupSet,
    DocumentRecord,
    DocumentSignature,
    JournalSourceRecord,
    PreparedSignature,
    SourcePull,
    TimestampRenewal,
    School,
    SnapshotRecord,
    SnapshotStudent,
)
from archive_service.adapters.db import advisory_lock
from archive_service.domain.chain import GENESIS, chain_hash


class SnapshotRepository:
    def __init__(self, session: Session):
        self.session = session

    def by_hash(self, content_hash: str) -> SnapshotRecord | None:
        return self.session.scalar(select(SnapshotRecord).where(SnapshotRecord.content_hash == content_hash))

    def get(self, snapshot_id: int, *, with_content: bool = False) -> SnapshotRecord | None:
        opts = [undefer(SnapshotRecord.content)] if with_content else []
        return self.session.get(SnapshotRecord, snapshot_id, options=opts)

    def load_contents(self, records: Sequence[SnapshotRecord]) -> None:
        """Load the (deferred) content of these records in one query, not one query each."""
        if records:
            self.session.scalars(select(SnapshotRecord).where(SnapshotRecord.id.in_([r.id for r in records]))
                                 .options(undefer(SnapshotRecord.content))).all()

    def lock_identities(self) -> None:
        """Serialize decisions on which school and classes the archive holds until commit
        (on SQLite every writing transaction is serialized already)."""
        advisory_lock(self.session, "snapshot-identities")

    def archive_school(self) -> School | None:
        """The school the archive holds: the school of its first stored snapshot."""
        return self.session.scalar(select(School).join(SnapshotRecord, SnapshotRecord.school_id == School.id)
                                   .order_by(SnapshotRecord.id).limit(1))

    def class_conflict(self, academic_year: str, class_id: str, class_name: str) -> SnapshotRecord | None:
        """A stored snapshot of the year that gives the class id another name, or the name another
        id — unless this very pair is stored already (a class whose chain exists goes on)."""
        same = (SnapshotRecord.academic_year == academic_year) & (SnapshotRecord.class_id == class_id)
        if self.session.scalar(select(SnapshotRecord.id).where(same, SnapshotRecord.class_name == class_name).limit(1)):
            return None
        return self.session.scalar(
            select(SnapshotRecord)
            .where(SnapshotRecord.academic_year == academic_year,
                   ((SnapshotRecord.class_id == class_id) & (SnapshotRecord.class_name != class_name))
                   | ((SnapshotRecord.class_name == class_name) & (SnapshotRecord.class_id != class_id)))
            .order_by(SnapshotRecord.id).limit(1))

    def latest(self, school_id: str, academic_year: str, period_code: str, class_id: str) -> SnapshotRecord | None:
        """The newest version, holding the class-period lock until commit."""
        advisory_lock(self.session, f"snapshot:{school_id}:{academic_year}:{period_code}:{class_id}")
        return self.session.scalar(
            select(SnapshotRecord)
            .where(SnapshotRecord.school_id == school_id, SnapshotRecord.academic_year == academic_year,
                   SnapshotRecord.period_code == period_code, SnapshotRecord.class_id == class_id)
            .order_by(SnapshotRecord.version.desc()).limit(1)
        )

    def versions(self, academic_year: str, period_code: str, class_name: str) -> Sequence[SnapshotRecord]:
        return self.session.scalars(
            select(SnapshotRecord)
            .where(SnapshotRecord.academic_year == academic_year, SnapshotRecord.period_code == period_code,
                   SnapshotRecord.class_name == class_name)
            .order_by(SnapshotRecord.school_id, SnapshotRecord.version)
        ).all()

    def listing(self, academic_year: str | None = None, period_code: str | None = None,
                class_names: Sequence[str] = (), *, latest_only: bool = False,
                with_content: bool = False) -> Sequence[SnapshotRecord]:
        query = select(SnapshotRecord)
        if academic_year:
            query = query.where(SnapshotRecord.academic_year == academic_year)
        if period_code:
            query = query.where(SnapshotRecord.period_code == period_code)
        if class_names:
            query = query.where(SnapshotRecord.class_name.in_(class_names))
        if latest_only:
            query = newest_only(query)
        if with_content:
            query = query.options(undefer(SnapshotRecord.content))
        return self.session.scalars(query.order_by(
            SnapshotRecord.academic_year, SnapshotRecord.period_code, SnapshotRecord.grade,
            SnapshotRecord.class_name, SnapshotRecord.version)).all()

    def add(self, record: SnapshotRecord, students: list[SnapshotStudent]) -> None:
        self.session.add(record)
        self.session.flush()
        for student in students:
            student.snapshot_id = record.id
        self.session.add_all(students)

    def school(self) -> tuple[str, str]:
        """(full name, director) of the school the archive holds; empty before any snapshot."""
        school = self.archive_school()
        return (school.full_name, school.director_name) if school else ("", "")

    def save_school(self, school_id: str, full_name: str, short_name: str, director: str) -> None:
        school = self.session.get(School, school_id)
        if school is None:
            self.session.add(School(id=school_id, full_name=full_name, short_name=short_name,
                                    director_name=director))
        else:
            school.full_name, school.short_name, school.director_name = full_name, short_name, director


def newest_only(query):
    """The query restricted to the newest version of each class's snapshot of a year and period."""
    newer = SnapshotRecord.__table__.alias("newer")
    return query.where(~select(newer.c.id).where(
        newer.c.school_id == SnapshotRecord.school_id,
        newer.c.academic_year == SnapshotRecord.academic_year,
        newer.c.period_code == SnapshotRecord.period_code,
        newer.c.class_id == SnapshotRecord.class_id,
        newer.c.version > SnapshotRecord.version,
    ).exists())


#: the hash-chained tables: each row holds its sequence number and the hash of the chain up to it
_Chained = TypeVar("_Chained", AuditEvent, BackupJournalEntry)


def next_link(session: Session, model: type[_Chained], lock_key: str) -> tuple[int, str]:
    """(seq, previous hash) for the next entry of a hash chain, the chain locked until commit."""
    advisory_lock(session, lock_key)
    last = session.scalar(select(model).order_by(model.seq.desc()).limit(1))
    return (last.seq + 1, last.hash) if last else (1, GENESIS)


class AuditLog:
    """Appends to the hash-chained audit log inside the caller's transaction."""

    def __init__(self, session: Session):
        self.session = session

    def append(self, *, at: dt.datetime, actor: str, action: str, object_type: str, object_id: str,
               origin: str = "", details: dict[str, Any] | None = None) -> AuditEvent:
        seq, prev = next_link(self.session, AuditEvent, "audit-chain")
        event = AuditEvent(seq=seq, at=at, actor=actor, action=action, object_type=object_type,
                           object_id=object_id, origin=origin, details=details or {}, prev_hash=prev)
        event.hash = chain_hash(prev, audit_payload(event))
        self.session.add(event)
        self.session.flush()
        return event

    def entries(self) -> Sequence[AuditEvent]:
        return self.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()

    def latest(self, action: str, object_id: str) -> AuditEvent | None:
        """The newest event of this action about this object, if any."""
        return self.session.scalar(select(AuditEvent).where(AuditEvent.action == action,
                                                            AuditEvent.object_id == object_id)
                                   .order_by(AuditEvent.seq.desc()).limit(1))


def audit_payload(event: AuditEvent) -> dict[str, Any]:
    return {"seq": event.seq, "at": event.at.astimezone(dt.timezone.utc).isoformat(), "actor": event.actor,
            "action": event.action, "object_type": event.object_type, "object_id": event.object_id,
            "origin": event.origin, "details": event.details}


class TokenRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, token: ApiToken) -> None:
        self.session.add(token)
        self.session.flush()

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def get(self, token_id: int) -> ApiToken | None:
        return self.session.get(ApiToken, token_id)

    def all(self) -> Sequence[ApiToken]:
        return self.session.scalars(select(ApiToken).order_by(ApiToken.id)).all()


class DocumentRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, pk: int) -> DocumentRecord | None:
        return self.session.get(DocumentRecord, pk)

    def by_document_id(self, document_id: str) -> DocumentRecord | None:
        return self.session.scalar(select(DocumentRecord).where(DocumentRecord.document_id == document_id))

    def add(self, record: DocumentRecord) -> None:
        self.session.add(record)
        self.session.flush()

    def listing(self, academic_year: str | None = None, period_codes: Sequence[str] = (),
                class_names: Sequence[str] = ()) -> Sequence[DocumentRecord]:
        """The documents that still exist (destroyed ones stay as rows, as evidence, but are not listed)."""
        query = select(DocumentRecord).where(DocumentRecord.destroyed_by_act.is_(None))
        if academic_year:
            query = query.where(DocumentRecord.academic_year == academic_year)
        if period_codes:
            query = query.where(DocumentRecord.period_code.in_(period_codes))
        if class_names:
            query = query.where(DocumentRecord.class_name.in_(class_names))
        return self.session.scalars(query.order_by(DocumentRecord.academic_year, DocumentRecord.period_code,
                                                   DocumentRecord.grade, DocumentRecord.class_name,
                                                   DocumentRecord.id)).all()

    def class_ids(self, document_ids: Sequence[str]) -> dict[str, str]:
        """document id → the id of the class whose snapshot it was made from."""
        if not document_ids:
            return {}
        rows = self.session.execute(
            select(DocumentRecord.document_id, SnapshotRecord.class_id)
            .join(SnapshotRecord, SnapshotRecord.id == DocumentRecord.snapshot_id)
            .where(DocumentRecord.document_id.in_(document_ids)))
        return {document_id: class_id for document_id, class_id in rows}

    def signature_of(self, document_pk: int) -> DocumentSignature | None:
        return self.session.scalar(select(DocumentSignature).where(DocumentSignature.document_id == document_pk))

    def signatures(self, document_pks: Sequence[int]) -> dict[int, DocumentSignature]:
        if not document_pks:
            return {}
        rows = self.session.scalars(select(DocumentSignature).where(DocumentSignature.document_id.in_(document_pks)))
        return {row.document_id: row for row in rows}

    def add_signature(self, signature: DocumentSignature) -> None:
        self.session.add(signature)
        self.session.flush()

    def signed_with_expiry(self) -> Sequence[tuple[DocumentRecord, DocumentSignature, TimestampRenewal | None]]:
        """Every signed document with its signature and its newest timestamp renewal, if any."""
        rows: list[tuple[DocumentRecord, DocumentSignature]] = []
        for record, signature in self.session.execute(
                select(DocumentRecord, DocumentSignature).join(DocumentSignature,
                                                               DocumentSignature.document_id == DocumentRecord.id)
                .where(DocumentRecord.destroyed_by_act.is_(None))
                .order_by(DocumentRecord.academic_year, DocumentRecord.period_code, DocumentRecord.class_name)):
            rows.append((record, signature))
        renewed = self.latest_renewals([signature.id for _record, signature in rows])
        return [(record, signature, renewed.get(signature.id)) for record, signature in rows]

    def latest_renewal(self, signature_id: int) -> TimestampRenewal | None:
        return self.latest_renewals([signature_id]).get(signature_id)

    def latest_renewals(self, signature_ids: Sequence[int]) -> dict[int, TimestampRenewal]:
        """signature id → its newest timestamp renewal, for the signatures that have one: one query for a
        whole listing (a query per signature made the director's and the register's pages slow)."""
        if not signature_ids:
            return {}
        newest = (select(func.max(TimestampRenewal.id)).where(TimestampRenewal.signature_id.in_(signature_ids))
                  .group_by(TimestampRenewal.signature_id))
        return {r.signature_id: r for r in self.session.scalars(select(TimestampRenewal)
                                                                  .where(TimestampRenewal.id.in_(newest)))}

    def add_renewal(self, renewal: TimestampRenewal) -> None:
        self.session.add(renewal)
        self.session.flush()


class PreparedSignatureRepository:
    """Documents prepared for a signature made in the director's browser (see services/browser_signing)."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, prepared: PreparedSignature) -> None:
        self.session.add(prepared)
        self.session.flush()

    def get(self, prepared_id: str) -> PreparedSignature | None:
        return self.session.get(PreparedSignature, prepared_id)

    def remove(self, prepared: PreparedSignature) -> None:
        self.session.delete(prepared)
        self.session.flush()

    def remove_for_documents(self, document_pks: Sequence[int]) -> None:
        """Earlier preparations of these documents (a document is prepared anew each time)."""
        if document_pks:
            self.session.execute(delete(PreparedSignature).where(PreparedSignature.document_id.in_(document_pks)))

    def remove_expired(self, now: dt.datetime) -> int:
        # a DELETE's result is a CursorResult (SQLAlchemy types Session.execute as a plain Result)
        result = cast(CursorResult[Any], self.session.execute(
            delete(PreparedSignature).where(PreparedSignature.expires_at <= now)))
        return result.rowcount or 0


class BackupRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, backup: BackupSet) -> None:
        self.session.add(backup)
        self.session.flush()

    def get(self, set_id: str) -> BackupSet | None:
        return self.session.scalar(select(BackupSet).where(BackupSet.set_id == set_id))

    def all(self) -> Sequence[BackupSet]:
        return self.session.scalars(select(BackupSet).order_by(BackupSet.id)).all()

    def record_use(self, *, at: dt.datetime, person: str, role: str, medium: str, set_id: str, action: str,
                   purpose: str, result: str) -> BackupJournalEntry:
        """Append to the hash-chained backup-usage journal inside the caller's transaction."""
        seq, prev = next_link(self.session, BackupJournalEntry, "backup-journal")
        entry = BackupJournalEntry(seq=seq, at=at, person=person, role=role, medium=medium, set_id=set_id,
                                   action=action, purpose=purpose, result=result, prev_hash=prev)
        entry.hash = chain_hash(prev, journal_payload(entry))
        self.session.add(entry)
        self.session.flush()
        return entry

    def journal(self) -> Sequence[BackupJournalEntry]:
        return self.session.scalars(select(BackupJournalEntry).order_by(BackupJournalEntry.seq)).all()


def journal_payload(entry: BackupJournalEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at": entry.at.astimezone(dt.timezone.utc).isoformat(), "person": entry.person,
            "role": entry.role, "medium": entry.medium, "set_id": entry.set_id, "action": entry.action,
            "purpose": entry.purpose, "result": entry.result}


class SourceRepository:
    """Configured journal sources and the history of their pulls."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, name: str) -> JournalSourceRecord | None:
        return self.session.scalar(select(JournalSourceRecord).where(JournalSourceRecord.name == name))

    def all(self) -> Sequence[JournalSourceRecord]:
        return self.session.scalars(select(JournalSourceRecord).order_by(JournalSourceRecord.name)).all()

    def add(self, source: JournalSourceRecord) -> None:
        self.session.add(source)
        self.session.flush()

    def remove(self, source: JournalSourceRecord) -> None:
        self.session.delete(source)
        self.session.flush()

    def add_pull(self, pull: SourcePull) -> SourcePull:
        self.session.add(pull)
        self.session.flush()
        return pull

    def pull(self, pull_id: int) -> SourcePull | None:
        return self.session.get(SourcePull, pull_id)

    def last_pull(self, name: str) -> SourcePull | None:
        return self.session.scalar(select(SourcePull).where(SourcePull.source_name == name)
                                   .order_by(SourcePull.started_at.desc(), SourcePull.id.desc()).limit(1))
