"""Closing a period from the deputy head's pages: uploads, copies, previews, downloads, backup.

Copies are rendered by the job runner the composition root chose (Celery workers with a broker,
else local worker processes), exactly as the command line does; results arrive as each class
finishes so a progress bar can follow. Looking at a page of a copy and taking a file
away are actions on archive material too: each one is an audit event with who, what and
from where.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from archive_service.domain.actor import Actor
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, NotFoundError, ReasonRequired, SnapshotRejected
from archive_service.rendering.preview import page_png
from archive_service.services import backup, documents
from archive_service.services.execution import JobRunner
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore, Medium

Report = Callable[..., None]
MIN_CODE_LENGTH = 6


def ingest_files(uow: UnitOfWork, files: Sequence[tuple[str, bytes]], *, reason: str, actor: Actor,
                 now: dt.datetime) -> list[dict]:
    """Store each uploaded file on its own (a rejected file writes nothing); one outcome per file."""
    outcomes = []
    for name, raw in files:
        outcome: dict[str, Any] = {"file": name, "problems": []}
        try:
            result = ingest_snapshot(uow, raw, actor=actor, reason=reason, now=now)
        except SnapshotRejected as err:
            outcome.update(status="rejected", message=str(err), problems=[p.as_dict() for p in err.problems])
        except ReasonRequired as err:
            outcome.update(status="reason_required", message=str(err))
        except ArchiveError as err:
            outcome.update(status="rejected", message=str(err))
        else:
            outcome.update(result.as_dict())
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class FileOutcome:
    """What became of one snapshot file read from disk."""

    path: Path
    status: str  # "stored", "new_version", "duplicate" or "rejected"
    message: str
    problems: tuple[Any, ...] = ()

    def lines(self, limit: int = 50) -> list[str]:
        """The outcome as people read it: a rejection with its first `limit` problems."""
        if self.status != "rejected":
            return [f"{'ПРИНЯТ' if self.status != 'duplicate' else 'ПОВТОР'} {self.path}: {self.message}"]
        more = [f"    … и ещё {len(self.problems) - limit}"] if len(self.problems) > limit else []
        return [f"ОТКЛОНЁН {self.path}: {self.message}", *(f"    {p}" for p in self.problems[:limit]), *more]


def ingest_paths(new_uow: Callable[[], UnitOfWork], paths: Iterable[Path], *, reason: str | None, actor: Actor,
                 clock: Callable[[], dt.datetime]) -> Iterator[FileOutcome]:
    """Store each snapshot file in its own transaction (a rejected file writes nothing), telling
    each file's outcome as it is done."""
    for path in paths:
        try:
            result = ingest_snapshot(new_uow(), path.read_bytes(), actor=actor, reason=reason, now=clock())
        except SnapshotRejected as err:
            yield FileOutcome(path, "rejected", str(err), tuple(err.problems))
        except (ArchiveError, OSError) as err:
            yield FileOutcome(path, "rejected", str(err))
        else:
            yield FileOutcome(path, result.status, result.message)


def render_period(runner: JobRunner, jobs: Sequence[documents.RenderJob], actor: str,
                  on_outcome: Callable[[int, documents.RenderJob, dict], None] | None = None) -> Counter:
    """Render (or reuse) each job's document on the runner; the tally of rendered, reused, failed,
    sheets and pages. `on_outcome(done, job, outcome)` hears of each document as it is finished;
    a failed one does not stop the others."""
    tally: Counter = Counter()
    for done, (job, outcome) in enumerate(runner.render(jobs, actor), 1):
        if "error" in outcome:
            tally["failed"] += 1
        else:
            tally[outcome["status"]] += 1
            tally["sheets"] += outcome["sheets"]
            tally["pages"] += outcome["pages"]
        if on_outcome is not None:
            on_outcome(done, job, outcome)
    return tally


def make_copies(uow: UnitOfWork, runner: JobRunner, academic_year: str, period_code: str, *, actor: str,
                origin: str, clock: Callable[[], dt.datetime], report: Report | None = None) -> dict:
    """Render (or reuse) the copy of every class of the period; a failed class does not stop the others."""
    jobs = documents.plan_period_close(uow, academic_year, [period_code])
    tell = report or (lambda **_: None)
    tell(done=0, total=len(jobs), message=f"классов: {len(jobs)}")
    errors = []

    def finished(done: int, job: documents.RenderJob, outcome: dict) -> None:
        if "error" in outcome:
            errors.append(f"{job.class_name}: {outcome['error']}")
            tell(done=done, message=f"{job.class_name}: ошибка — {outcome['error']}")
        else:
            tell(done=done, message=f"{job.class_name}: готово, {outcome['sheets']} л.")

    tally = render_period(runner, jobs, actor, finished)
    result = {"rendered": tally["rendered"], "reused": tally["reused"], "failed": tally["failed"],
              "sheets": tally["sheets"], "errors": errors}
    with uow:
        uow.audit.append(at=clock(), actor=actor, action="period.copies_made", object_type="period",
                         object_id=f"{academic_year}:{period_code}", origin=origin, details=result)
        uow.commit()
    return result


def running_job(uow: UnitOfWork, kind: str, academic_year: str, period_code: str, *, now: dt.datetime) -> str | None:
    """The id of a job of this kind for the period still under way (its heartbeat fresh), if any:
    a page opened again shows its progress, and a second click does not start a second job."""
    from archive_service.services.jobs import STALE_AFTER

    with uow:
        rows = uow.jobs.under_way(kind, alive_since=now - STALE_AFTER)
        return next((j.id for j in rows if j.params == {"academic_year": academic_year, "period": period_code}), None)


def period_documents(uow: UnitOfWork, academic_year: str, period_code: str) -> tuple[list[dict], list[dict]]:
    """(the copy in force of each class of the period, the copies replaced by corrected ones)."""
    rows = documents.list_documents(uow, academic_year, [period_code])
    current = [r for r in rows if not r["superseded"]]
    replaced = [r for r in rows if r["superseded"]]
    return list({(r["class"], r["kind"]): r for r in current}.values()), replaced  # oldest first: newest wins


def find_document(uow: UnitOfWork, document_id: str) -> dict:
    """A document as `documents.list_documents` gives it (with its signature); destroyed ones are gone."""
    with uow:
        record = uow.documents.by_document_id(document_id)
        where = (record.academic_year, [record.period_code], [record.class_name]) if record else None
    rows = [r for r in documents.list_documents(uow, *where) if r["document_id"] == document_id] if where else []
    if not rows:
        raise NotFoundError(f"документ {document_id} не найден")
    return rows[0]


def _audit(uow: UnitOfWork, action: str, document: dict, *, actor: str, origin: str, now: dt.datetime,
           **details: Any) -> None:
    with uow:
        uow.audit.append(at=now, actor=actor, action=action, object_type="document",
                         object_id=document["document_id"], origin=origin,
                         details={"class": document["class"], "period": document["period"], **details})
        uow.commit()


def preview_page(uow: UnitOfWork, store: ContentStore, document_id: str, page: int, *, dpi: int, actor: str,
                 origin: str, now: dt.datetime) -> bytes:
    """A page of the copy as it will be printed (PNG), recorded in the audit log.

    Raises `rendering.preview.PreviewError` or `storage.StorageError` when the page cannot be drawn."""
    document = find_document(uow, document_id)
    if not 1 <= page <= document["pages"]:
        raise NotFoundError(f"в документе {document['pages']} стр., страницы {page} нет")
    png = page_png(store.read(document["sha256"]), page, dpi)  # PreviewError, StorageError: nothing to audit
    _audit(uow, "document.previewed", document, actor=actor, origin=origin, now=now, page=page)
    return png


def document_file(uow: UnitOfWork, store: ContentStore, document_id: str, *, signed: bool, actor: str,
                  origin: str, now: dt.datetime) -> tuple[bytes, str]:
    """(PDF, file name): the unsigned copy for printing, or the electronically signed original."""
    document = find_document(uow, document_id)
    name = documents.export_name(document)
    if signed:
        if document["signature"] is None:
            raise NotFoundError(f"документ {document_id} ещё не подписан директором")
        digest, name = document["signature"]["sha256"], name.removesuffix(".pdf") + "_подписан.pdf"
    else:
        digest = document["sha256"]
    data = store.read(digest)
    _audit(uow, "document.downloaded", document, actor=actor, origin=origin, now=now,
           file="signed" if signed else "print", sha256=digest)
    return data, name


def back_up_period(uow: UnitOfWork, store: ContentStore, media: list[Medium], academic_year: str,
                   period_code: str, code: str, repeated: str, *, person: str, now: dt.datetime) -> dict:
    """A backup set of the period on both media, sealed with the director's access code (never stored)."""
    check_access_code(code, repeated)
    return backup.create_backup(uow, store, media, academic_year, [period_code], code,
                                actor=backup.Actor(person, ROLES["deputy"]), now=now)


def check_access_code(code: str, repeated: str) -> None:
    if not code:
        raise ArchiveError("введите код доступа директора")
    if code != repeated:
        raise ArchiveError("код доступа введён по-разному; введите его дважды одинаково")
    if len(code) < MIN_CODE_LENGTH:
        raise ArchiveError(f"код доступа слишком короткий: нужно не меньше {MIN_CODE_LENGTH} знаков")


def handover_act(uow: UnitOfWork, templates_dir: Path, set_id: str, *, actor: str, origin: str,
                 now: dt.datetime) -> bytes:
    """The hand-over act of a backup set (PDF), its printing recorded in the audit log."""
    pdf = backup.handover_act_pdf(uow, templates_dir, set_id)
    with uow:
        uow.audit.append(at=now, actor=actor, action="backup.act_printed", object_type="backup_set",
                         object_id=set_id, origin=origin)
        uow.commit()
    return pdf
