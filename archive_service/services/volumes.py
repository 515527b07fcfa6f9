"""The year's volume of a class: every period of the school year and the year's summary bound as
one file (дело) with one title sheet (002 § 5.3, 003 прил. 2 § 3.4).

Which parts a volume has and when it may be made is the domain's rule (`domain/volumes.py`); this
module reads the class's newest snapshots, renders the volume (`rendering/volume.py`) and keeps it
as the period copies are kept (`services/documents.py`): content-addressed in the store, a
`DocumentRecord` of kind «class_journal» and period «volume» (so the school's retention rule for
the class journal is the volume's), made from the year snapshot, its parts in the audit event.
Rendering is deterministic: the same parts, template and options give the same document, reused.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, replace
from typing import Sequence

from archive_service.adapters.orm import DocumentRecord, DocumentSupersession, SnapshotRecord
from archive_service.domain.actor import Actor
from archive_service.domain.class_names import class_sort_key
from archive_service.domain.periods import PERIOD_TITLES, VOLUME, period_title, periods_title
from archive_service.domain.procedure import Fact
from archive_service.domain.permissions import may
from archive_service.domain.volumes import plan_volume, refusal
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.rendering import DocumentRenderer, RenderedDocument, RenderOptions
from archive_service.rendering.volume import VolumeSource, volume_id
from archive_service.services import corrections, register
from archive_service.services.documents import DocumentResult, require_public_address, title_deputy
from archive_service.services.ingest import load_snapshot
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, StorageError


class VolumeRefused(ArchiveError):
    """The class's year is not complete: a period or the year missing, or not ended."""

    code = "volume_refused"
    http_status = 409


@dataclass(frozen=True)
class VolumeOutcome:
    """What became of one class's volume: the document, or why it was not made."""

    class_name: str
    result: DocumentResult | None = None
    error: str = ""

    def as_dict(self) -> dict:
        return {"class": self.class_name, **({"document": self.result.as_dict()} if self.result else {}),
                **({"error": self.error} if self.error else {})}


def _parts(uow: UnitOfWork, academic_year: str, class_name: str, today: dt.date) -> list[SnapshotRecord]:
    """The newest snapshot of each part, in binding order; `VolumeRefused` listing what is missing."""
    latest = {r.period_code: r for r in uow.snapshots.listing(academic_year, None, [class_name], latest_only=True,
                                                                    with_content=True)}
    plan = plan_volume({code: r.period_end for code, r in latest.items()}, today)
    if not latest:
        raise NotFoundError(f"нет сохранённых снимков журнала {class_name} класса за {academic_year} учебный год")
    if not plan.ready:
        raise VolumeRefused(refusal(class_name, academic_year, plan))
    return [latest[code] for code in plan.codes]


def make_volume(uow: UnitOfWork, store: ContentStore, renderer: DocumentRenderer, academic_year: str,
                class_name: str, options: RenderOptions, *, actor: Actor, today: dt.date,
                now: dt.datetime) -> DocumentResult:
    """Render (or reuse) the volume of the class for the school year and record it, audited.

    Refused, with nothing written: an actor who may not make copies, a production installation
    without its public address, and a year not complete on `today` (the clock's)."""
    if not may(actor.role, "close_period"):
        raise PermissionDenied("том за учебный год изготавливает заместитель директора")
    require_public_address(options)
    options = replace(options, retention_years=tuple((k, r.years) for k, r in register.rules(uow).items()),
                      deputy=title_deputy(uow, actor), draft=False)
    with uow:
        records = _parts(uow, academic_year, class_name, today)
        sources = [VolumeSource(load_snapshot(r), zlib.decompress(r.content), r.content_hash) for r in records]
        year_id = records[-1].id
        existing = uow.documents.by_document_id(volume_id(sources, options))
        if existing is not None and store.verify(existing.sha256):
            return _result("reused", existing)
    rendered = renderer.volume(sources, options)
    return _record(uow, rendered, store.put(rendered.pdf), year_id, sources, options, actor=actor, now=now)


def _record(uow: UnitOfWork, rendered: RenderedDocument, digest: str, year_id: int, sources: list[VolumeSource],
            options: RenderOptions, *, actor: Actor, now: dt.datetime) -> DocumentResult:
    """The volume's record, made from the year snapshot, and its audit event naming its parts, committed
    together; a volume recorded meanwhile is taken as it is."""
    with uow:
        year = uow.snapshots.get(year_id)
        if year is None:
            raise NotFoundError(f"снимок №{year_id} не найден")
        corrections.lock_class(uow, year)
        existing = uow.documents.by_document_id(rendered.document_id)
        if existing is not None:  # recorded meanwhile, or its file was lost and is now written again
            if digest != existing.sha256:
                raise StorageError(f"том {rendered.document_id} отрисовался иначе, чем при записи: изменились "
                                   "шрифты или шаблон")
            return _result("rendered", existing)
        record = DocumentRecord(document_id=rendered.document_id, kind="class_journal", draft=False,
                                template_version=rendered.template_version, duplex=options.duplex,
                                pages=rendered.pages, sheets=rendered.sheets, sha256=digest, size=len(rendered.pdf),
                                created_at=now, created_by=actor.person, snapshot_id=year.id,
                                school_id=year.school_id, academic_year=year.academic_year, period_code=VOLUME,
                                class_name=year.class_name, grade=year.grade)
        uow.documents.add(record)
        uow.audit.append(at=now, actor=actor.person, action="document.rendered", object_type="document",
                         object_id=record.document_id, origin=actor.origin,
                         details={"kind": record.kind, "class": record.class_name, "period": VOLUME,
                                  "sheets": record.sheets, "sha256": digest, "snapshot": rendered.snapshot_hash,
                                  "parts": [{"period": s.code, "snapshot": s.content_hash} for s in sources],
                                  "contents": [list(row) for row in rendered.contents]})
        corrections.record_replacements(uow, record, actor=actor, now=now)
        _replace_older(uow, record, sources, year.version, actor=actor, now=now)
        uow.commit()
        return _result("rendered", record)


def _replace_older(uow: UnitOfWork, record: DocumentRecord, sources: list[VolumeSource], version: int, *,
                   actor: Actor, now: dt.datetime) -> None:
    """Older volumes of the class and year made from other snapshot versions (a period corrected since)
    are replaced by `record`, recorded as a corrected copy is (`corrections`): export, signing and the
    register take the new one. A volume of the same snapshots in other print options is no correction."""
    older = [d for d in uow.documents.listing(record.academic_year, [VOLUME], [record.class_name]) if d.id != record.id]
    done = corrections.replacements_of(uow, [d.id for d in older])
    new = {s.code: s.content_hash for s in sources}
    for old in (d for d in older if d.id not in done):
        event = uow.audit.latest("document.rendered", old.document_id)
        parts = {p["period"]: p["snapshot"] for p in (event.details.get("parts", []) if event else [])}
        changed = [code for code in new if parts and parts.get(code) != new[code]]
        if not changed:
            continue
        reason = f"том изготовлен заново по исправленным снимкам журнала: {periods_title(changed)}"
        uow.supersessions.add(DocumentSupersession(superseded_id=old.id, successor_id=record.id, reason=reason,
                                                   version=version, corrected_by=actor.person, corrected_at=now,
                                                   recorded_at=now, recorded_by=actor.person))
        uow.audit.append(at=now, actor=actor.person, action="document.superseded", object_type="document",
                         object_id=old.document_id, origin=actor.origin,
                         details={"successor": record.document_id, "class": old.class_name, "period": VOLUME,
                                  "kind": old.kind, "reason": reason})


def _result(status: str, record: DocumentRecord) -> DocumentResult:
    return DocumentResult("reused" if status == "reused" else "rendered", record.document_id, record.kind,
                          record.class_name, record.period_code, record.pages, record.sheets, record.sha256)


def year_classes(uow: UnitOfWork, academic_year: str) -> list[str]:
    """The classes with any snapshot stored in the school year, in the order of grades."""
    with uow:
        names = {r.class_name for r in uow.snapshots.listing(academic_year, latest_only=True)}
    return sorted(names, key=class_sort_key)


def make_volumes(uow: UnitOfWork, store: ContentStore, renderer: DocumentRenderer, academic_year: str,
                 class_names: Sequence[str], options: RenderOptions, *, actor: Actor, today: dt.date,
                 now: dt.datetime) -> list[VolumeOutcome]:
    """The volume of each class (every class of the year when none is named); a class refused does
    not stop the others, its outcome says why."""
    if not may(actor.role, "close_period"):
        raise PermissionDenied("том за учебный год изготавливает заместитель директора")
    require_public_address(options)
    names = list(class_names) or year_classes(uow, academic_year)
    if not names:
        raise NotFoundError(f"нет сохранённых снимков журнала за {academic_year} учебный год")
    out = []
    for name in names:
        try:
            out.append(VolumeOutcome(name, make_volume(uow, store, renderer, academic_year, name, options,
                                                       actor=actor, today=today, now=now)))
        except ArchiveError as err:
            out.append(VolumeOutcome(name, error=str(err)))
    return out


def volume_of(uow: UnitOfWork, academic_year: str, class_name: str) -> DocumentRecord | None:
    """The newest volume of the class for the school year, if made (inside the caller's transaction)."""
    volumes = uow.documents.listing(academic_year, [VOLUME], [class_name])
    return volumes[-1] if volumes else None


def volume_facts(uow: UnitOfWork, academic_year: str) -> dict[tuple[str, str], list[Fact]]:
    """(class, «volume») → what the board shows of the class's volume of the year, the newest one
    (inside the caller's transaction); it settles «Том за год изготовлен» (`domain.volumes`)."""
    facts: dict[tuple[str, str], list[Fact]] = {}
    for d in uow.documents.listing(academic_year, [VOLUME]):  # oldest first: the newest stays
        facts[(d.class_name, "volume")] = [Fact(f"том изготовлен ({d.sheets} л.)", d.created_at, d.created_by,
                                                settles=True)]
    return facts


def parts_of(uow: UnitOfWork, records: Sequence[DocumentRecord]) -> dict[int, tuple[str, ...]]:
    """document key → the period copies of each volume among `records`, bound in it as its parts: the
    final copies of the class's periods in force, in the order of the school year (inside the
    caller's transaction). Not separate files: the register's entry is the volume's."""
    order = list(PERIOD_TITLES)
    out: dict[int, tuple[str, ...]] = {}
    for volume in (r for r in records if r.period_code == VOLUME):
        copies = [d for d in uow.documents.listing(volume.academic_year, (), [volume.class_name])
                  if d.period_code in order and d.period_code != "year" and not d.draft]
        replaced = corrections.replacements_of(uow, [d.id for d in copies])
        current = {d.period_code: d for d in copies if d.id not in replaced}  # oldest first: the newest stays
        out[volume.id] = tuple(f"{period_title(code)}: документ {current[code].document_id}, "
                               f"{current[code].sheets} л." for code in sorted(current, key=order.index))
    return out


def describe(result: DocumentResult) -> str:
    """«5А: том за учебный год изготовлен, 24 л.» — what people read."""
    word = "изготовлен" if result.status == "rendered" else "уже был изготовлен"
    return f"{result.class_name}: {period_title(VOLUME)} {word}, {result.sheets} л., документ {result.document_id}"
