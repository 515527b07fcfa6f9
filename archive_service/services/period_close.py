"""Closing a period from the deputy head's pages: uploads, copies, previews, downloads, backup.

Copies are made by the command «close a period» (`ClosePeriod`: validate, then run), the same
for the page, the command line and the demo: rendered by the job runner the composition root
chose (Celery workers with a broker, else local worker processes), results arriving as each class
finishes so a progress bar can follow, the tally recorded as one `period.copies_made` event.
Looking at a page of a copy and taking a file away are actions on archive material too: each one
is an audit event with who, what and from where (the `Actor` the entry point passes).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from archive_service.domain.actor import Actor
from archive_service.domain.class_names import class_sort_key
from archive_service.domain.periods import period_title
from archive_service.domain.clock import Clock
from archive_service.domain.permissions import may
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied, ReasonRequired, SnapshotRejected
from archive_service.rendering import RenderOptions
from archive_service.rendering.preview import page_png
from archive_service.services import backup, documents
from archive_service.services.execution import JobRunner
from archive_service.services.ingest import IngestResult, ingest_snapshot
from archive_service.services.rows import Row
from archive_service.services.unit_of_work import UnitOfWork
from storage import ContentStore

Report = Callable[..., None]


@dataclass(frozen=True)
class UploadOutcome(Row):
    """What became of one uploaded snapshot file: stored (with the snapshot's facts), a duplicate,
    a correction awaiting its reason, or rejected with the problems found."""

    file: str
    status: str
    message: str
    problems: tuple[dict[str, Any], ...] = ()
    stored: IngestResult | None = None

    @property
    def class_name(self) -> str:
        return self.stored.class_name if self.stored else ""

    @property
    def academic_year(self) -> str:
        return self.stored.academic_year if self.stored else ""

    @property
    def period_code(self) -> str:
        return self.stored.period_code if self.stored else ""

    def as_dict(self) -> dict[str, Any]:
        """The file, its problems, and the stored snapshot's facts where it was stored."""
        return {"file": self.file, "problems": list(self.problems), "status": self.status, "message": self.message,
                **(self.stored.as_dict() if self.stored else {})}


def ingest_files(uow: UnitOfWork, files: Sequence[tuple[str, bytes]], *, reason: str, actor: Actor,
                 now: dt.datetime) -> list[UploadOutcome]:
    """Store each uploaded file on its own (a rejected file writes nothing); one outcome per file."""
    outcomes = []
    for name, raw in files:
        try:
            result = ingest_snapshot(uow, raw, actor=actor, reason=reason, now=now)
        except SnapshotRejected as err:
            outcomes.append(UploadOutcome(name, "rejected", str(err), tuple(p.as_dict() for p in err.problems)))
        except ReasonRequired as err:
            outcomes.append(UploadOutcome(name, "reason_required", str(err)))
        except ArchiveError as err:
            outcomes.append(UploadOutcome(name, "rejected", str(err)))
        else:
            outcomes.append(UploadOutcome(name, result.status, result.message, stored=result))
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


def render_period(runner: JobRunner, jobs: Sequence[documents.RenderJob], actor: Actor,
                  on_outcome: Callable[[int, documents.RenderJob, dict], None] | None = None,
                  ready: Callable[[], None] | None = None) -> Counter:
    """Render (or reuse) each job's document on the runner; the tally of rendered, reused, failed,
    sheets and pages. `on_outcome(done, job, outcome)` hears of each document as it is finished;
    a failed one does not stop the others. `ready()` hears that the runner has started (its
    workers up, fonts loaded), before the first document is done."""
    tally: Counter = Counter()
    for done, (job, outcome) in enumerate(runner.render(jobs, actor, ready=ready), 1):
        if "error" in outcome:
            tally["failed"] += 1
        else:
            tally[outcome["status"]] += 1
            tally["sheets"] += outcome["sheets"]
            tally["pages"] += outcome["pages"]
        if on_outcome is not None:
            on_outcome(done, job, outcome)
    return tally


OnOutcome = Callable[[int, documents.RenderJob, dict], None]


@dataclass(frozen=True)
class CopiesMade:
    """What closing a period made: documents rendered, reused and failed, sheets and pages, and
    each failed class's error; the classes whose copy was made (`made`), made anew because their
    journal changed since their last copy (`remade`) and already made (`ready`), in class order."""

    rendered: int
    reused: int
    failed: int
    sheets: int
    pages: int
    errors: tuple[str, ...]
    made: tuple[str, ...] = ()
    remade: tuple[str, ...] = ()
    ready: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """As the job's result and the audit event record it (the pages are for the terminal)."""
        return {"rendered": self.rendered, "reused": self.reused, "failed": self.failed, "sheets": self.sheets,
                "errors": list(self.errors), "made": list(self.made), "remade": list(self.remade),
                "ready": list(self.ready), "summary": self.summary()}

    def summary(self) -> str:
        """«Сделаны копии: 5А, 5Б; переделаны (журнал изменился): 6В; уже были готовы: 7А» — what
        people read on the page and in the terminal."""
        parts = [f"{label}: {', '.join(names)}" for label, names in (
            ("Сделаны копии", self.made), ("переделаны (журнал изменился)", self.remade),
            ("уже были готовы", self.ready)) if names]
        text = "; ".join(parts)
        return f"{text[:1].upper()}{text[1:]}." if parts else "Копии не изготовлены."


def copies_on_file(uow: UnitOfWork, academic_year: str,
                   jobs: Sequence[documents.RenderJob]) -> dict[tuple[str, str, str], set[int]]:
    """(class, period, kind) → the snapshots the class's existing copies were made from (before a close)."""
    on_file: dict[tuple[str, str, str], set[int]] = {}
    with uow:
        for record in uow.documents.listing(academic_year, sorted({j.period_code for j in jobs}),
                                            sorted({j.class_name for j in jobs})):
            on_file.setdefault((record.class_name, record.period_code, record.kind), set()).add(record.snapshot_id)
    return on_file


def copy_word(job: documents.RenderJob, outcome: dict, on_file: dict[tuple[str, str, str], set[int]]) -> str:
    """«made», «remade» (a copy of the class existed, made from an earlier version of its journal)
    or «ready» (the copy was already made from this very version); «failed» for an error."""
    if "error" in outcome:
        return "failed"
    if outcome["status"] == "reused":
        return "ready"
    before = on_file.get((job.class_name, job.period_code, job.kind), set())
    return "remade" if before - {job.snapshot_id} else "made"


class ClosePeriod:
    """The command «close a period»: render (or reuse) the copy of every class of the periods
    (journal copies, or the year's summary sheets) on the job runner, then record one
    `period.copies_made` event with the tally. `validate()` refuses — having written nothing — an
    actor who may not close a period, a production installation whose QR codes would point to the
    server itself (given the `options` the copies are rendered with; each render checks again) and a
    selection with no stored snapshots; `run()` validates,
    then renders: a failed class does not stop the others.

    Whether a copy is a draft is decided here, once, by the `clock` of the composition root (no
    option, form field or parameter sets it): a period not ended today gets the draft
    («ЧЕРНОВИК — период не завершён», `domain.drafts`); a close after its end, the final copy."""

    def __init__(self, uow: UnitOfWork, runner: JobRunner, academic_year: str, periods: Sequence[str], *,
                 actor: Actor, clock: Clock, class_names: Sequence[str] = (),
                 options: RenderOptions | None = None) -> None:
        self.uow, self.runner, self.academic_year = uow, runner, academic_year
        self.periods, self.class_names, self.actor, self.clock = tuple(periods), tuple(class_names), actor, clock
        self.options = options

    def validate(self) -> list[documents.RenderJob]:
        """The render jobs, one per class and period."""
        if not may(self.actor.role, "close_period"):
            raise PermissionDenied("закрывать период может только заместитель директора")
        if not self.periods:
            raise ArchiveError("не выбран ни один период")
        if self.options is not None:
            documents.require_public_address(self.options)
        return documents.plan_period_close(self.uow, self.academic_year, self.periods, self.class_names,
                                           today=self.clock.today())

    def run(self, on_outcome: OnOutcome | None = None, ready: Callable[[], None] | None = None) -> CopiesMade:
        """`on_outcome(done, job, outcome)` hears of each class as it is finished (the outcome
        carries «word»: made, remade, ready or failed); `ready()` that the runner has started."""
        jobs = self.validate()
        on_file = copies_on_file(self.uow, self.academic_year, jobs)
        errors: list[str] = []
        words: dict[str, list[str]] = {"made": [], "remade": [], "ready": [], "failed": []}

        def finished(done: int, job: documents.RenderJob, outcome: dict) -> None:
            word = copy_word(job, outcome, on_file)
            words[word].append(job.class_name if len(self.periods) == 1
                               else f"{job.class_name} ({period_title(job.period_code)})")
            if "error" in outcome:
                errors.append(f"{job.class_name}: {outcome['error']}")
            if on_outcome is not None:
                on_outcome(done, job, {**outcome, "word": word})

        tally = render_period(self.runner, jobs, self.actor, finished, ready)
        made = CopiesMade(tally["rendered"], tally["reused"], tally["failed"], tally["sheets"], tally["pages"],
                          tuple(errors), *(tuple(sorted(words[w], key=class_sort_key)) for w in
                                           ("made", "remade", "ready")))
        with self.uow:
            self.uow.audit.append(at=self.clock.now(), actor=self.actor.person, action="period.copies_made",
                                  object_type="period", object_id=f"{self.academic_year}:{','.join(self.periods)}",
                                  origin=self.actor.origin, details=made.as_dict())
            self.uow.commit()
        return made


def make_copies(uow: UnitOfWork, runner: JobRunner, academic_year: str, period_code: str, *, actor: Actor,
                clock: Clock, report: Report | None = None) -> dict:
    """The copy of every class of the period (`ClosePeriod`), telling `report` of each class as it is
    finished; the job's result."""
    command = ClosePeriod(uow, runner, academic_year, [period_code], actor=actor, clock=clock)
    tell = report or (lambda **_: None)
    tell(message="Готовим: проверяем снимки журнала")
    jobs = command.validate()
    tell(done=0, total=len(jobs), message=f"Готовим: загрузка шрифтов и снимков, запуск обработчиков "
                                          f"(классов: {len(jobs)})")
    started = [False]

    def ready() -> None:
        if not started[0]:
            started[0] = True
            tell(message=f"Вёрстка копий: классов {len(jobs)}, первые будут готовы через несколько секунд")

    def finished(done: int, job: documents.RenderJob, outcome: dict) -> None:
        tell(done=done, message=f"{job.class_name}: {CLASS_WORDS[outcome['word']]}"
                                + (f" — {outcome['error']}" if "error" in outcome else f", {outcome['sheets']} л."))

    return command.run(finished, ready).as_dict()


CLASS_WORDS = {"made": "копия сделана", "remade": "копия переделана (журнал изменился)",
               "ready": "копия уже была готова", "failed": "ошибка"}


def running_job(uow: UnitOfWork, kind: str, academic_year: str, period_code: str, *, now: dt.datetime) -> str | None:
    """The id of a job of this kind for the period still under way (its heartbeat fresh), if any:
    a page opened again shows its progress, and a second click does not start a second job."""
    from archive_service.services.jobs import running_with

    return running_with(uow, kind, {"academic_year": academic_year, "period": period_code}, now=now)


def period_documents(uow: UnitOfWork, academic_year: str, period_code: str) -> tuple[list[dict], list[dict]]:
    """(the copy in force of each class of the period, the copies replaced by corrected ones)."""
    rows = sorted(documents.list_documents(uow, academic_year, [period_code]), key=lambda r: not r["draft"])
    current = [r for r in rows if not r["superseded"]]
    replaced = [r for r in rows if r["superseded"]]
    # drafts, then final copies, each oldest first: the newest final copy wins over any draft
    return list({(r["class"], r["kind"]): r for r in current}.values()), replaced


def find_document(uow: UnitOfWork, document_id: str) -> dict:
    """A document as `documents.list_documents` gives it (with its signature); destroyed ones are gone."""
    with uow:
        record = uow.documents.by_document_id(document_id)
        where = (record.academic_year, [record.period_code], [record.class_name]) if record else None
    rows = [r for r in documents.list_documents(uow, *where) if r["document_id"] == document_id] if where else []
    if not rows:
        raise NotFoundError(f"документ {document_id} не найден")
    return rows[0]


def _audit(uow: UnitOfWork, action: str, document: dict, *, actor: Actor, now: dt.datetime, **details: Any) -> None:
    with uow:
        uow.audit.append(at=now, actor=actor.person, action=action, object_type="document",
                         object_id=document["document_id"], origin=actor.origin,
                         details={"class": document["class"], "period": document["period"], **details})
        uow.commit()


def preview_page(uow: UnitOfWork, store: ContentStore, document_id: str, page: int, *, dpi: int, actor: Actor,
                 now: dt.datetime) -> bytes:
    """A page of the copy as it will be printed (PNG), recorded in the audit log.

    Raises `rendering.preview.PreviewError` or `storage.StorageError` when the page cannot be drawn."""
    document = find_document(uow, document_id)
    if not 1 <= page <= document["pages"]:
        raise NotFoundError(f"в документе {document['pages']} стр., страницы {page} нет")
    png = page_png(store.read(document["sha256"]), page, dpi)  # PreviewError, StorageError: nothing to audit
    _audit(uow, "document.previewed", document, actor=actor, now=now, page=page)
    return png


def document_file(uow: UnitOfWork, store: ContentStore, document_id: str, *, signed: bool, actor: Actor,
                  now: dt.datetime) -> tuple[bytes, str]:
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
    _audit(uow, "document.downloaded", document, actor=actor, now=now,
           file="signed" if signed else "print", sha256=digest)
    return data, name


def view_document(uow: UnitOfWork, store: ContentStore, document_id: str, *, actor: Actor,
                  now: dt.datetime) -> tuple[bytes, str]:
    """(PDF, file name) of a document as it is stored — the signed original when signed, else the
    unsigned copy — its viewing recorded as a `web.document_viewed` event."""
    document = find_document(uow, document_id)
    digest = document["signature"]["sha256"] if document["signature"] else document["sha256"]
    data = store.read(digest)
    with uow:
        uow.audit.append(at=now, actor=actor.person, action="web.document_viewed", object_type="document",
                         object_id=document_id, origin=actor.origin, details={"sha256": digest})
        uow.commit()
    return data, documents.export_name(document)


def handover_act(uow: UnitOfWork, templates_dir: Path, set_id: str, *, actor: Actor, now: dt.datetime,
                 zone: dt.tzinfo | None = None) -> bytes:
    """The hand-over act of a backup set (PDF), its printing recorded in the audit log."""
    return backup.handover_act_pdf(uow, templates_dir, set_id, actor=actor, now=now, zone=zone)
