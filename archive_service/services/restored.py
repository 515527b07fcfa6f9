"""What a restore brought back, in words, and its documents handed to the director.

A restored set is a folder on the archive's server (`restore_backup`); people never see that
folder. They read what came back — the year, the classes, the periods, the documents, how many
files were checked against the checksums written when the set was made — and download the
restored documents, one by one under the names they have everywhere else («5А_2_четверть_журнал.pdf»)
or all in one ZIP. Each download is an audit event with the person's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive_service.domain.actor import Actor
from archive_service.domain.class_names import class_sort_key
from archive_service.domain.names import plural
from archive_service.domain.periods import period_title
from archive_service.errors import NotFoundError
from archive_service.services.unit_of_work import UnitOfWork
from storage.bags import read_manifest

KINDS = {"class_journal": "копия классного журнала", "summary_sheet": "сводная ведомость итоговых отметок"}
REPLACED = "заменённые"  # the folder of copies replaced by corrected ones, in a set and in the ZIP


@dataclass(frozen=True)
class RestoredDocument:
    name: str  # the file name people get («5А_2_четверть_журнал.pdf»); unique in the set
    class_name: str
    period: str  # in words: «II четверть», «год»
    kind: str  # in words: «копия классного журнала»
    signed: bool
    replaced: bool  # a copy replaced by a corrected one, kept as evidence


@dataclass(frozen=True)
class RestoredSet:
    set_id: str
    academic_year: str
    classes: list[str]
    periods: list[str]
    documents: list[RestoredDocument]
    snapshots: int  # journal snapshots (one per class and period)
    files_checked: int  # every file of the set, each checked against its checksum
    audit_entries: int
    members: dict[str, str] = field(default_factory=dict)  # file name → its place in the set (never shown)

    def as_dict(self) -> dict:
        """What the result page shows (the places of the files inside the set stay out)."""
        return {k: v for k, v in asdict(self).items() if k != "members"}

    @property
    def files_words(self) -> str:
        return f"{self.files_checked} {plural(self.files_checked, 'файл', 'файла', 'файлов')}"


def describe(bag: Path, set_id: str, academic_year: str = "") -> RestoredSet:
    """What the validated set in `bag` holds (`restore_set` has checked every file's checksum)."""
    data = bag / "data"
    rows = json.loads((data / "documents.json").read_text(encoding="utf-8")) if (data / "documents.json").exists() \
        else []
    by_digest = {(r["signature"] or {}).get("sha256") or r["sha256"]: r for r in rows}
    listed = read_manifest(bag)  # every file's checksum, matched on restore: no need to hash again
    documents, members = [], {}
    for path in sorted((data / "documents").rglob("*.pdf")):
        member = path.relative_to(data).as_posix()
        row = by_digest.get(listed.get(f"data/{member}", ""))
        documents.append(RestoredDocument(
            name=path.name, class_name=row["class"] if row else "", period=period_title(row["period"]) if row else "",
            kind=KINDS.get(row["kind"], "") if row else "", signed=bool(row and row["signature"]),
            replaced=REPLACED in path.relative_to(data / "documents").parts[:-1]))
        members[path.name] = member
    snapshots = sorted((data / "snapshots").rglob("*.json"))
    classes = {r["class"] for r in rows} | {p.stem for p in snapshots}
    periods = sorted({r["period"] for r in rows} | {p.parent.name for p in snapshots}, key=_period_order)
    audit = data / "audit-log.jsonl"
    return RestoredSet(
        set_id=set_id, academic_year=academic_year or next((r["academic_year"] for r in rows), ""),
        classes=sorted(classes, key=class_sort_key), periods=[period_title(p) for p in periods],
        documents=sorted(documents, key=lambda d: (d.replaced, d.class_name, d.name)),
        snapshots=len(snapshots), files_checked=len(listed),
        audit_entries=len(audit.read_text(encoding="utf-8").splitlines()) if audit.exists() else 0, members=members)


def _period_order(code: str) -> tuple[int, str]:
    return (1 if code == "year" else 0, code)


def document_bytes(uow: UnitOfWork, bag: Path, restored: RestoredSet, name: str, *, actor: Actor, now: dt.datetime,
                   audit_as: str) -> bytes:
    """One restored document, by its file name, for the person downloading it (audited)."""
    member = restored.members.get(name)
    if member is None:
        raise NotFoundError("в восстановленной копии нет такого документа")
    data = (bag / "data" / member).read_bytes()
    _audit(uow, restored, actor, now, audit_as, {"file": name, "sha256": hashlib.sha256(data).hexdigest()})
    return data


def documents_zip(uow: UnitOfWork, bag: Path, restored: RestoredSet, *, actor: Actor, now: dt.datetime,
                  audit_as: str) -> bytes:
    """Every restored document in one ZIP (replaced copies in «заменённые»), audited as one download."""
    if not restored.documents:
        raise NotFoundError("в восстановленной копии нет документов")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for document in restored.documents:
            inner = f"{REPLACED}/{document.name}" if document.replaced else document.name
            bundle.writestr(inner, (bag / "data" / restored.members[document.name]).read_bytes())
    data = buffer.getvalue()
    _audit(uow, restored, actor, now, audit_as, {"files": len(restored.documents),
                                                   "sha256": hashlib.sha256(data).hexdigest()})
    return data


def _audit(uow: UnitOfWork, restored: RestoredSet, actor: Actor, now: dt.datetime, action: str, details: dict) -> None:
    with uow:
        uow.audit.append(at=now, actor=actor.person, action=action, object_type="backup_set",
                         object_id=restored.set_id, origin=actor.origin, details=details)
        uow.commit()
