"""Running render and signing jobs in local worker processes when there is no Celery broker.

The embedded default has no broker, yet closing a period should still use every core: each
child process builds its own Archive (database engine, renderer) from the settings once and
renders the jobs it is given. Results arrive as they complete, for the progress bar.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Iterator

from archive_service.bootstrap import Archive
from archive_service.config import Settings
from archive_service.key_specs import KeySpec, Pkcs12File
from archive_service.services import documents, signing

_archive: Archive | None = None


def _start(settings: Settings) -> None:
    global _archive
    _archive = Archive(settings)


def _render(snapshot_id: int, kind: str, actor: str) -> dict:
    assert _archive is not None
    return documents.render_document(_archive.uow(), _archive.store, _archive.renderer, snapshot_id, kind,
                                     _archive.render_options, actor=actor, now=_archive.now()).as_dict()


def render_locally(settings: Settings, jobs: list[documents.RenderJob], actor: str,
                   processes: int = 0) -> Iterator[tuple[documents.RenderJob, Future]]:
    """Yield (job, finished future) in completion order."""
    workers = max(1, min(processes or os.cpu_count() or 1, len(jobs)))
    context = multiprocessing.get_context("spawn")  # no inherited database connections
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(settings,),
                             max_tasks_per_child=25) as pool:
        futures = {pool.submit(_render, job.snapshot_id, job.kind, actor): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future


def _sign_share(key: KeySpec, academic_year: str, periods: tuple[str, ...], classes: list[str],
                actor: str) -> list[dict]:
    assert _archive is not None
    with _archive.signer(key) as signer:
        outcomes = signing.sign_documents(_archive.uow(), _archive.store, signer, academic_year, periods, classes,
                                          actor=actor, role=signing.SIGNING_ROLE, now=_archive.now)
    return [o.as_dict() for o in outcomes]


def sign_locally(settings: Settings, key: Pkcs12File, academic_year: str, periods: tuple[str, ...],
                 class_names: list[str], actor: str, processes: int = 0) -> Iterator[list[dict]]:
    """Sign with a PKCS#12 key in worker processes, each opening the key once per share of
    classes; yields each share's outcomes as it completes. The password lives only in memory."""
    workers = max(1, min(processes or os.cpu_count() or 1, len(class_names)))
    shares = [class_names[i::workers * 2] for i in range(workers * 2)]  # small shares: steady progress
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(settings,)) as pool:
        futures = [pool.submit(_sign_share, key, academic_year, periods, share, actor)
                   for share in shares if share]
        for future in as_completed(futures):
            yield future.result()
