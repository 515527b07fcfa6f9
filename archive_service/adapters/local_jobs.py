"""Running render jobs in local worker processes when there is no Celery broker.

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
from archive_service.services import documents

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
