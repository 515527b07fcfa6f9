"""Corrections carried through the archive: a copy replaced by one made from a corrected snapshot.

When a period is closed after a correction (a new snapshot version of a class, with its
reason), the new document is recorded together with a `DocumentSupersession` row for each
older copy of the same kind it replaces (`domain.corrections.replacements` is the rule) and an
audit event naming who made the correction. Nothing else changes: the old document, its files,
its signature and its register entry stay as they are, as evidence (DESIGN §6). Every page and
printout that shows a document asks `replacements_of` and says «заменена копией …, причина …».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Iterable

from archive_service.adapters.orm import DocumentRecord, DocumentSupersession, RegisterEntry, SnapshotRecord
from archive_service.domain.actor import Actor
from archive_service.domain.corrections import Copy, current, replacements
from archive_service.errors import found
from archive_service.services.unit_of_work import UnitOfWork

NO_REASON = "не указана"


@dataclass(frozen=True)
class Replacement:
    """What replaced a document, for people: the next copy, the copy in force now, and why."""

    successor: str
    """document id of the copy that replaced it"""
    successor_reference: str
    current: str
    """document id of the copy in force now (the successor, unless it was replaced in turn)"""
    current_reference: str
    reason: str
    version: int
    corrected_by: str
    corrected_at: dt.datetime
    recorded_at: dt.datetime

    @property
    def text(self) -> str:
        """«заменена копией № 2/2027, причина: исправлена итоговая отметка»."""
        return f"заменена копией {self.successor_reference}, причина: {self.reason}"

    def as_dict(self) -> dict:
        return {**asdict(self), "corrected_at": self.corrected_at.isoformat(),
                "recorded_at": self.recorded_at.isoformat(), "text": self.text}


def _chain_copies(uow: UnitOfWork, snapshot: SnapshotRecord) -> list[Copy]:
    """Every document of the class and period of `snapshot`, whichever version it was made from."""
    return [Copy(pk, kind, version) for pk, kind, version in uow.documents.copies_of_class(snapshot)]


def lock_class(uow: UnitOfWork, snapshot: SnapshotRecord) -> None:
    """Serialize the copies of one class and period until commit. Taken before the audit chain's
    lock by every transaction that records copies, so two closes never wait on each other in a cycle."""
    uow.supersessions.lock_class(snapshot)


def record_replacements(uow: UnitOfWork, document: DocumentRecord, *, actor: Actor, now: dt.datetime) -> int:
    """Inside the caller's transaction: record what the copies of `document`'s class and period
    replace and are replaced by, where not recorded yet; returns how many rows were added.

    Called whenever a document is rendered or found already rendered, so a re-run of the close
    records a replacement a crash (or an archive older than this rule) left unrecorded."""
    snapshot = _snapshot(uow, document.snapshot_id)
    lock_class(uow, snapshot)
    replaced = replacements(_chain_copies(uow, snapshot))
    if not replaced:
        return 0
    known = {r.superseded_id for r in uow.supersessions.of(replaced)}
    added = 0
    for old_pk, new_pk in sorted(replaced.items()):
        if old_pk not in known:
            _record_one(uow, _document(uow, old_pk), _document(uow, new_pk), actor=actor, now=now)
            added += 1
    return added


def _record_one(uow: UnitOfWork, old: DocumentRecord, new: DocumentRecord, *, actor: Actor,
                now: dt.datetime) -> None:
    """`new` replaces `old`: the row, and the audit event naming who made the correction."""
    corrected = _snapshot(uow, new.snapshot_id)
    row = DocumentSupersession(superseded_id=old.id, successor_id=new.id, reason=corrected.reason or NO_REASON,
                               version=corrected.version, corrected_by=corrected.ingested_by,
                               corrected_at=corrected.ingested_at, recorded_at=now, recorded_by=actor.person)
    uow.supersessions.add(row)
    entry = uow.register.of_document(old.id)
    uow.audit.append(at=now, actor=actor.person, action="document.superseded", object_type="document",
                     object_id=old.document_id, origin=actor.origin,
                     details={"successor": new.document_id, "class": old.class_name, "period": old.period_code,
                              "kind": old.kind, "reason": row.reason, "version": row.version,
                              "corrected_by": row.corrected_by, "corrected_at": row.corrected_at.isoformat(),
                              "register": f"{entry.number}/{entry.year}" if entry else None})


def _snapshot(uow: UnitOfWork, snapshot_id: int) -> SnapshotRecord:
    return found(uow.snapshots.get(snapshot_id), f"снимок журнала № {snapshot_id}, из которого изготовлена копия, "
                                                 "не найден")


def _document(uow: UnitOfWork, pk: int) -> DocumentRecord:
    return found(uow.documents.get(pk), f"копия № {pk} не найдена")


def _reference(document: DocumentRecord, version: int, entry: RegisterEntry | None) -> str:
    """The register number of a copy, else its document number and snapshot version."""
    if entry is not None:
        return f"№ {entry.number}/{entry.year}"
    return f"(документ {document.document_id}, версия снимка {version}, в реестр ещё не внесена)"


def replacements_of(uow: UnitOfWork, document_pks: Iterable[int]) -> dict[int, Replacement]:
    """Inside the caller's transaction: document pk → what replaced it, for the replaced ones."""
    pks = list(document_pks)
    if not pks:
        return {}
    rows = {r.superseded_id: r for r in uow.supersessions.of(pks)}
    if not rows:
        return {}
    chain = {pk: r.successor_id for pk, r in rows.items()}
    frontier = set(chain.values()) - chain.keys()
    while frontier:  # the successors' own successors, to the copy in force
        more = [(r.superseded_id, r.successor_id) for r in uow.supersessions.of(frontier)]
        chain.update(dict(more))
        frontier = {new for _, new in more} - chain.keys()
    in_force = {pk: current(pk, chain) for pk in rows}
    wanted = {r.successor_id for r in rows.values()} | set(in_force.values())
    documents = uow.documents.with_versions(sorted(wanted))
    entries = uow.register.of_documents(wanted)

    def described(pk: int) -> tuple[str, str]:
        document, version = documents[pk]
        return document.document_id, _reference(document, version, entries.get(pk))

    out = {}
    for pk, row in rows.items():
        successor, successor_reference = described(row.successor_id)
        now_in_force, in_force_reference = described(in_force[pk])
        out[pk] = Replacement(successor, successor_reference, now_in_force, in_force_reference, row.reason,
                              row.version, row.corrected_by, row.corrected_at, row.recorded_at)
    return out


def superseded_pks(uow: UnitOfWork) -> set[int]:
    """Inside the caller's transaction: every replaced document (to leave out of work still to do)."""
    return uow.supersessions.superseded()
