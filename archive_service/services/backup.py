"""Backups of a period on two media, their audit and restore, and the backup-usage journal.

A backup set holds the newest snapshot of every class of the period, its documents (the
signed originals where signed; copies replaced by corrected ones apart, under «заменённые»),
the document list and the audit log; it is sealed with the
director's access code (never stored) and written to medium A and medium B. Every creation,
audit and restore — successful or not — is a line in the hash-chained backup-usage journal.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from archive_service.adapters.orm import BackupSet
from archive_service.adapters.repository import audit_payload, journal_payload
from archive_service.domain.chain import ChainBreak, verify_chain
from archive_service.errors import NotFoundError
from archive_service.services import documents as documents_service
from archive_service.services.snapshots import school_facts
from archive_service.services.unit_of_work import UnitOfWork
from retention import retention_end
from storage import AuditFinding, ContentStore, Medium, StorageError, audit_set, build_set, restore_set, write_set


@dataclass(frozen=True)
class Actor:
    person: str
    role: str


def _retain_until(academic_year: str, periods: Sequence[str]) -> dt.date:
    """The school year's file closes on 31 August; summary sheets are kept 25 years, journals 5."""
    closed = dt.date(int(academic_year[5:]), 8, 31)
    return retention_end(closed, 25 if "year" in periods else 5)


def _payload(uow: UnitOfWork, store: ContentStore, academic_year: str, periods: Sequence[str],
             month: str | None = None) -> dict[str, bytes]:
    """Snapshots (newest versions), documents, the document list and the audit log; with `month`
    ("2026-12"), only the snapshots exported in that month (the monthly copy of reference 004)."""
    payload: dict[str, bytes] = {}
    with uow:
        for code in periods:
            for record in uow.snapshots.listing(academic_year, code, latest_only=True, with_content=True):
                if month and record.exported_at.strftime("%Y-%m") != month:
                    continue
                payload[f"snapshots/{code}/{record.class_name}.json"] = zlib.decompress(record.content)
        audit = [audit_payload(e) | {"hash": e.hash} for e in uow.audit.entries()]
    classes = {name.split("/")[2][:-5] for name in payload}
    rows = [r for r in documents_service.list_documents(uow, academic_year, periods)
            if not month or r["class"] in classes]
    for row in rows:
        signed = row["signature"]
        payload[_document_path(row)] = store.read(signed["sha256"] if signed else row["sha256"])
    payload["documents.json"] = json.dumps(rows, ensure_ascii=False, indent=1).encode()
    payload["audit-log.jsonl"] = "\n".join(json.dumps(e, ensure_ascii=False) for e in audit).encode()
    if not any(name.startswith("snapshots/") for name in payload):
        raise NotFoundError(f"нет снимков журнала для резервной копии: {academic_year} {', '.join(periods)}")
    return payload


def _document_path(row: dict) -> str:
    """The copy in force under its readable name; a copy replaced by a corrected one is kept too
    (evidence), apart and named by its document number, so it can never overwrite the current one."""
    name = documents_service.export_name(row)
    if row["superseded"]:
        return f"documents/заменённые/{name.removesuffix('.pdf')}_{row['document_id']}.pdf"
    return f"documents/{name}"


def create_backup(uow: UnitOfWork, store: ContentStore, media: list[Medium], academic_year: str,
                  periods: Sequence[str], code: str, *, actor: Actor, now: dt.datetime,
                  month: str | None = None) -> dict:
    """Build, seal, write and verify a set on every medium; complete only when all copies verify."""
    payload = _payload(uow, store, academic_year, periods, month)
    scope = f"month-{month}" if month else "-".join(periods)
    set_id = f"{academic_year.replace('/', '-')}-{scope}-{now:%Y%m%dT%H%M%S}"
    info = {"Source-Organization": "archive_service", "External-Identifier": set_id,
            "External-Description": f"Резервная копия: {academic_year}, {', '.join(periods)}",
            "Contact-Name": actor.person, "Bagging-Date": now.date().isoformat()}
    files = build_set(payload, info, code)
    retain = _retain_until(academic_year, periods)
    statuses = write_set(set_id, files, media, retain_until=retain)
    complete = all(s.verified for s in statuses)
    with uow:
        uow.backups.add(BackupSet(set_id=set_id, academic_year=academic_year,
                                  periods=f"месяц {month}" if month else ",".join(periods),
                                  files=len(payload), size=sum(len(v) for v in files.values()), retain_until=retain,
                                  complete=complete, created_at=now, created_by=actor.person,
                                  copies={s.medium: {"location": s.location, "verified": s.verified} for s in statuses}))
        for status in statuses:
            uow.backups.record_use(at=now, person=actor.person, role=actor.role,
                                   medium=f"{status.medium} ({status.location})", set_id=set_id, action="создание",
                                   purpose=f"ежемесячное резервное копирование ({month})" if month
                                   else "резервное копирование периода",
                                   result="записан и проверен" if status.verified else "; ".join(status.problems))
        uow.audit.append(at=now, actor=actor.person, action="backup.created", object_type="backup_set",
                         object_id=set_id, details={"complete": complete, "files": len(payload)})
        uow.commit()
    return {"set_id": set_id, "complete": complete, "files": len(payload), "retain_until": retain.isoformat(),
            "copies": [{"medium": s.medium, "location": s.location, "verified": s.verified} for s in statuses]}


def list_backups(uow: UnitOfWork, *, actor: Actor | None = None, now: dt.datetime | None = None) -> list[dict]:
    """The sets; with an actor, the look at the list is itself a journal entry."""
    if actor is not None and now is not None:
        with uow:
            uow.backups.record_use(at=now, person=actor.person, role=actor.role, medium="—", set_id="*",
                                   action="просмотр списка", purpose="перечень резервных копий", result="выполнено")
            uow.commit()
    with uow:
        return [{"set_id": b.set_id, "academic_year": b.academic_year, "periods": b.periods, "files": b.files,
                 "size": b.size, "complete": b.complete, "retain_until": b.retain_until.isoformat(),
                 "created_at": b.created_at.isoformat(), "created_by": b.created_by, "copies": b.copies,
                 "destroyed_by_act": b.destroyed_by_act}
                for b in uow.backups.all()]


def audit_backups(uow: UnitOfWork, media: list[Medium], *, actor: Actor, now: dt.datetime) -> list[AuditFinding]:
    """Fixity audit of every complete set on every medium, repairing from the good copy."""
    findings: list[AuditFinding] = []
    for backup in [b for b in list_backups(uow) if b["complete"] and not b["destroyed_by_act"]]:
        retain = dt.date.fromisoformat(backup["retain_until"])
        try:
            found = audit_set(backup["set_id"], media, retain_until=retain)
        except StorageError as err:
            found = [AuditFinding(backup["set_id"], "*", "alarm", str(err))]
        findings.extend(found)
        bad = [f for f in found if f.outcome != "ok"]
        with uow:
            uow.backups.record_use(at=now, person=actor.person, role=actor.role,
                                   medium=", ".join(m.label for m in media), set_id=backup["set_id"],
                                   action="проверка", purpose="проверка целостности (фиксити)",
                                   result="; ".join(f"{f.name}: {f.outcome} {f.detail}" for f in bad) or "в порядке")
            uow.commit()
    return findings


def restore_backup(uow: UnitOfWork, media: list[Medium], set_id: str, code: str, target: Path, *, actor: Actor,
                   purpose: str, now: dt.datetime) -> Path:
    with uow:
        if uow.backups.get(set_id) is None:
            raise NotFoundError(f"резервная копия {set_id} не найдена")
    try:
        bag = restore_set(set_id, media, code, target)
        result = f"восстановлена в {bag}"
    except StorageError as err:
        bag, result = None, f"отказ: {err}"
    with uow:
        uow.backups.record_use(at=now, person=actor.person, role=actor.role, medium=", ".join(m.label for m in media),
                               set_id=set_id, action="восстановление", purpose=purpose, result=result)
        uow.commit()
    if bag is None:
        raise StorageError(result.removeprefix("отказ: "))
    return bag


def verify_journal(uow: UnitOfWork) -> tuple[int, list[ChainBreak]]:
    with uow:
        entries = uow.backups.journal()
        return len(entries), verify_chain((e.seq, e.prev_hash, e.hash, journal_payload(e)) for e in entries)


def journal_rows(uow: UnitOfWork) -> list[dict]:
    with uow:
        return [journal_payload(e) for e in uow.backups.journal()]


def handover_act_pdf(uow: UnitOfWork, templates_dir: Path, set_id: str) -> bytes:
    """The hand-over act of a set (deterministic: dated with the set's creation)."""
    from archive_service.rendering.registers import handover_act

    backup = next((b for b in list_backups(uow) if b["set_id"] == set_id), None)
    if backup is None:
        raise NotFoundError(f"резервная копия {set_id} не найдена")
    school, director = school_facts(uow)
    return handover_act(templates_dir, backup, school=school, director=director,
                        moment=dt.datetime.fromisoformat(backup["created_at"]))


def journal_pdf(uow: UnitOfWork, templates_dir: Path, now: dt.datetime) -> bytes:
    from archive_service.rendering.registers import backup_journal

    _, breaks = verify_journal(uow)
    return backup_journal(templates_dir, journal_rows(uow), intact=not breaks, school=school_facts(uow)[0], moment=now)
