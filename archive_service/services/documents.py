"""Closing a period: render every class's document, store it content-addressed, record it.

Rendering is deterministic, so a document is named by what it is made from (kind, snapshot,
template version, options): a re-run finds the same name and reuses the stored file. The file
is written before its record and the record is committed with its audit entry, so a crash
leaves at most an unreferenced file that the next run adopts — never a record without a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import zlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal, Sequence

from archive_service.adapters.orm import DocumentRecord
from archive_service.domain.actor import Actor
from archive_service.domain.drafts import is_draft
from archive_service.domain.public_address import is_local_address
from archive_service.domain.periods import period_file_word, period_title, periods_title
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering import DocumentRenderer, RenderOptions, document_id
from archive_service.services import corrections, register
from archive_service.services.ingest import load_snapshot
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, StorageError
from storage.crash_points import crash_point

Kind = Literal["class_journal", "summary_sheet"]
FILE_WORDS = {"class_journal": "журнал", "summary_sheet": "сводная_ведомость"}


@dataclass(frozen=True)
class RenderJob:
    snapshot_id: int
    kind: Kind
    class_name: str
    period_code: str
    draft: bool = False
    """the period had not ended when the close began (`domain.drafts.is_draft`): render the draft"""


@dataclass(frozen=True)
class DocumentResult:
    status: Literal["rendered", "reused"]
    document_id: str
    kind: str
    class_name: str
    period_code: str
    pages: int
    sheets: int
    sha256: str

    def as_dict(self) -> dict:
        return asdict(self)


def as_kind(text: str) -> Kind:
    """A document kind read back from a task's arguments."""
    if text == "class_journal":
        return "class_journal"
    if text == "summary_sheet":
        return "summary_sheet"
    raise ArchiveError(f"неизвестный вид документа: {text}")


def kind_for(period_code: str) -> Kind:
    return "summary_sheet" if period_code == "year" else "class_journal"


def plan_period_close(uow: UnitOfWork, academic_year: str, period_codes: Sequence[str],
                      class_names: Sequence[str] = (), *, today: dt.date | None = None) -> list[RenderJob]:
    """One job per class: the newest snapshot version of each selected class and period; a draft
    where the period has not ended on `today` (the clock's, given by `ClosePeriod`)."""
    with uow:
        jobs = [RenderJob(r.id, kind_for(r.period_code), r.class_name, r.period_code,
                          today is not None and is_draft(r.period_end, today))
                for code in period_codes for r in uow.snapshots.listing(academic_year, code, class_names,
                                                                        latest_only=True)]
    if not jobs:
        where = f"{academic_year}, {periods_title(period_codes)}" + (f", {', '.join(class_names)}"
                                                                     if class_names else "")
        raise NotFoundError(f"нет сохранённых снимков журнала: {where}")
    return jobs


@dataclass(frozen=True)
class _Source:
    """What a render needs of its snapshot, read in one short transaction."""

    facts: dict
    content_hash: str
    canonical: bytes
    snapshot: Any


class PublicAddressNotSet(ArchiveError):
    """A school's installation would print QR codes that open nothing off the server itself."""

    code = "public_address_not_set"
    http_status = 409


def require_public_address(options: RenderOptions) -> None:
    """Refuse, before anything is written, to render copies in production whose QR codes would
    point to this computer itself (127.0.0.1, localhost): paper cannot be reprinted with the
    right address, and an inspector scanning the sheet would reach nothing. The demo may."""
    if options.production and is_local_address(options.public_url):
        raise PublicAddressNotSet(
            f"копии не изготовлены: в QR-коде листа был бы адрес «{options.public_url}» — адрес самого "
            "сервера, с телефона или другого компьютера он не откроется. Попросите администратора "
            "указать адрес архива в сети школы (страница «Носители», строка «Адрес для QR-кодов "
            "листов») и повторите изготовление копий")


def render_document(uow: UnitOfWork, store: ContentStore, renderer: DocumentRenderer, snapshot_id: int,
                    kind: Kind, options: RenderOptions, *, actor: Actor, now: dt.datetime) -> DocumentResult:
    """Render (or reuse) one document of one snapshot and record it.

    No transaction is open while rendering (seconds): the snapshot is read in one short
    transaction, the record written in another that checks again for a concurrent writer.
    The title sheet prints the kind's retention term from the school's schedule and the deputy
    head who closes the period (`title_deputy`). A production installation without its public
    address is refused first (`require_public_address`).
    """
    require_public_address(options)
    options = replace(options, retention_years=tuple((k, r.years) for k, r in register.rules(uow).items()),
                      deputy=title_deputy(uow, actor))
    source = _source_or_reused(uow, store, snapshot_id, kind, options, actor=actor, now=now)
    if isinstance(source, DocumentResult):
        return source
    doc_id = document_id(kind, source.content_hash, options)
    render = renderer.summary_sheet if kind == "summary_sheet" else renderer.class_journal
    rendered = render(source.snapshot, source.canonical, source.content_hash, options)
    digest = store.put(rendered.pdf)
    with uow:
        snapshot = uow.snapshots.get(snapshot_id)
        if snapshot is None:
            raise NotFoundError(f"снимок №{snapshot_id} не найден")
        corrections.lock_class(uow, snapshot)
        existing = uow.documents.by_document_id(doc_id)
        if existing is not None:  # recorded meanwhile, or the record stood but its file was lost
            if digest != existing.sha256:
                raise StorageError(f"документ {doc_id} отрисовался иначе, чем при записи: "
                                   "изменились шрифты или шаблон без смены версии")
            if corrections.record_replacements(uow, existing, actor=actor, now=now):
                uow.commit()
            return _result("rendered", existing)
        record = DocumentRecord(document_id=doc_id, kind=kind, template_version=rendered.template_version,
                                duplex=options.duplex, draft=options.draft, pages=rendered.pages,
                                sheets=rendered.sheets, sha256=digest, size=len(rendered.pdf), created_at=now,
                                created_by=actor.person, **source.facts)
        _record(uow, record, source.content_hash, actor=actor, now=now)
        return _result("rendered", record)


def title_deputy(uow: UnitOfWork, actor: Actor) -> str:
    """Whose name the title sheet's line «Заместитель директора по УВР» prints: the deputy head
    closing the period with their account (the web, `--as LOGIN`); when the archive itself closes
    it (or an actor without an account, like the terminal's «cli:…» of old), the school's only
    active deputy account; with none or several, nobody (the line is left to be filled by hand)."""
    if actor.role == "deputy" and actor.account:
        return actor.person
    with uow:
        deputies = [a.full_name for a in uow.accounts.all() if a.role == "deputy" and a.active]
    return deputies[0] if len(deputies) == 1 else ""


def _source_or_reused(uow: UnitOfWork, store: ContentStore, snapshot_id: int, kind: Kind, options: RenderOptions,
                      *, actor: Actor, now: dt.datetime) -> _Source | DocumentResult:
    """The snapshot to render, or the document already made from it (its file intact)."""
    with uow:
        snapshot = uow.snapshots.get(snapshot_id, with_content=True)
        if snapshot is None:
            raise NotFoundError(f"снимок №{snapshot_id} не найден")
        existing = uow.documents.by_document_id(document_id(kind, snapshot.content_hash, options))
        if existing is not None and store.verify(existing.sha256):
            if corrections.record_replacements(uow, existing, actor=actor, now=now):
                uow.commit()  # a replacement an interrupted close left unrecorded
            return _result("reused", existing)
        facts = {"snapshot_id": snapshot.id, "school_id": snapshot.school_id, "academic_year": snapshot.academic_year,
                 "period_code": snapshot.period_code, "class_name": snapshot.class_name, "grade": snapshot.grade}
        return _Source(facts, snapshot.content_hash, zlib.decompress(snapshot.content), load_snapshot(snapshot))


def _record(uow: UnitOfWork, record: DocumentRecord, snapshot_hash: str, *, actor: Actor, now: dt.datetime) -> None:
    """The document's record, its audit event and what it replaces, committed together."""
    uow.documents.add(record)
    uow.audit.append(at=now, actor=actor.person, action="document.rendered", object_type="document",
                     object_id=record.document_id, origin=actor.origin,
                     details={"kind": record.kind, "class": record.class_name, "period": record.period_code,
                              "sheets": record.sheets, "sha256": record.sha256, "snapshot": snapshot_hash})
    corrections.record_replacements(uow, record, actor=actor, now=now)  # one transaction with the record
    crash_point("render.uncommitted")
    uow.commit()
    crash_point("render.committed")


def _result(status: Literal["rendered", "reused"], record: DocumentRecord) -> DocumentResult:
    return DocumentResult(status, record.document_id, record.kind, record.class_name, record.period_code,
                          record.pages, record.sheets, record.sha256)


def list_documents(uow: UnitOfWork, academic_year: str | None = None, period_codes: Sequence[str] = (),
                   class_names: Sequence[str] = ()) -> list[dict]:
    with uow:
        records = uow.documents.listing(academic_year, period_codes, class_names)
        signed = uow.documents.signatures([d.id for d in records])
        newest = uow.documents.latest_renewals([sig.id for sig in signed.values()])
        renewed = {pk: newest.get(sig.id) for pk, sig in signed.items()}
        replaced = corrections.replacements_of(uow, [d.id for d in records])
        return [{"document_id": d.document_id, "kind": d.kind, "academic_year": d.academic_year,
                 "period": d.period_code, "class": d.class_name, "pages": d.pages, "sheets": d.sheets,
                 "sha256": d.sha256, "size": d.size, "template_version": d.template_version,
                 "duplex": d.duplex, "draft": d.draft, "created_at": d.created_at.isoformat(),
                 "created_by": d.created_by,
                 "signature": _signature_dict(signed.get(d.id), renewed.get(d.id)),
                 "superseded": replaced[d.id].as_dict() if d.id in replaced else None}
                for d in records]


def _signature_dict(sig, renewal) -> dict | None:
    """The signature, with the current signed file: the newest timestamp renewal's, if any."""
    if sig is None:
        return None
    expires = renewal.timestamp_expires_at if renewal else sig.timestamp_expires_at
    return {"sha256": renewal.sha256 if renewal else sig.sha256, "level": sig.level, "signer": sig.signer,
            "certificate_serial": sig.certificate_serial, "signed_at": sig.signed_at.isoformat(),
            "signed_by": sig.signed_by, "timestamp_expires_at": expires.isoformat() if expires else None,
            "renewals": 1 if renewal else 0}


def export_name(record: dict) -> str:
    """«7В_2_четверть_журнал.pdf», «9А_год_сводная_ведомость.pdf»: a name people read, no period code."""
    name = re.sub(r"[^\w-]+", "_", record["class"])
    return f"{name}_{period_file_word(record['period'])}_{FILE_WORDS[record['kind']]}.pdf"


@dataclass(frozen=True)
class Export:
    """What an export wrote: the files, and what people must be told about their names."""

    paths: list[Path]
    notes: list[str]


def export_documents(uow: UnitOfWork, store: ContentStore, target: Path, academic_year: str,
                     period_codes: Sequence[str] = (), class_names: Sequence[str] = (), *, actor: Actor,
                     now: dt.datetime) -> Export:
    """Copy the copy in force of each class and period to `target` under readable names: the
    signed file where the director has signed (the electronic original), else the unsigned one.
    Copies replaced by a corrected one stay in the archive but are not exported as current.

    No file ever replaces another: two documents that would get one name get their document
    ids added (and a note says so); a different file already in the folder under a name
    stops the export before anything is written."""
    records = sorted((r for r in list_documents(uow, academic_year, period_codes, class_names) if not r["superseded"]),
                     key=lambda r: not r["draft"])  # a final copy wins over a draft of the same class
    if not records:
        raise NotFoundError(f"нет изготовленных документов: {academic_year} {periods_title(period_codes)}")
    with uow:
        class_of = uow.documents.class_ids([r["document_id"] for r in records])
    newest = {(class_of[r["document_id"]], r["period"], r["kind"]): r for r in records}  # listed oldest first
    plan, notes = export_plan(target, list(newest.values()))
    _refuse_overwrites(plan)
    target.mkdir(parents=True, exist_ok=True)
    for path, digest in plan:
        if not path.exists():  # else it holds this very file already (checked above)
            data = store.read(digest)
            with path.open("xb") as out:  # exclusive: never replaces a file made meanwhile
                out.write(data)
    with uow:
        uow.audit.append(at=now, actor=actor.person, action="documents.exported", object_type="period",
                         object_id=f"{academic_year}:{','.join(period_codes)}", origin=actor.origin,
                         details={"to": str(target), "documents": [r["document_id"] for r in newest.values()],
                                  "files": [path.name for path, _ in plan]})
        uow.commit()
    return Export([path for path, _ in plan], notes)


def export_plan(target: Path, records: list[dict]) -> tuple[list[tuple[Path, str]], list[str]]:
    """(file under `target`, content digest) per document — the signed file where signed — the
    names unique, and notes on the names that had to be changed for that."""
    by_name: dict[str, list[dict]] = {}
    for record in records:  # «10а» and «10А» are one file where the file system ignores case
        key = unicodedata.normalize("NFC", export_name(record)).casefold()
        by_name.setdefault(key, []).append(record)
    plan, notes = [], []
    for same in by_name.values():
        for record in same:
            name = export_name(record)
            unique = name if len(same) == 1 else f"{name.removesuffix('.pdf')}_{record['document_id']}.pdf"
            signature = record["signature"]
            plan.append((target / unique, signature["sha256"] if signature else record["sha256"]))
        if len(same) > 1:
            which = ", ".join(f"{r['class']} ({period_title(r['period'])})" for r in same)
            notes.append(f"документы {which} получили бы одно "
                         f"имя «{export_name(same[0])}»; к именам их файлов добавлен номер документа")
    return plan, notes


def _refuse_overwrites(plan: list[tuple[Path, str]]) -> None:
    clash = [path.name for path, digest in plan if path.exists() and
             (not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest)]
    if clash:
        raise ArchiveError(f"в папке уже есть другие файлы с теми же именами: {', '.join(clash)}; "
                           "выгрузка ничего не записала — выберите другую папку или уберите эти файлы")
