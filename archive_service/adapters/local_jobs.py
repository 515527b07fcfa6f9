"""Running render and signing jobs in local worker processes when there is no Celery broker.

The embedded default has no broker, yet closing a period should still use every core: each
child process builds its own Archive (database engine, renderer) from the settings once and
renders the jobs it is given. Results arrive as they complete, for the progress bar.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import replace
from typing import Any

from archive_service.adapters.job_runners import start_thread
from archive_service.config import Settings
from archive_service.domain.actor import Actor
from archive_service.key_specs import Pkcs12File
from archive_service.services import documents, signing

_archive: Any = None  # the child process's own Archive


def _start(settings: Settings, offset: dt.timedelta = dt.timedelta(0)) -> None:
    from archive_service.bootstrap import Archive  # the composition root imports this module

    global _archive
    if offset:  # the parent runs on a clock of its own (the demo's): its workers keep the same time
        _archive = Archive(settings, in_worker=True, moment=lambda: dt.datetime.now(dt.timezone.utc) + offset)
    else:
        _archive = Archive(settings, in_worker=True)


def _started() -> bool:
    """A task that only waits for its worker process to have started (`_start`): the pool is ready."""
    return _archive is not None


def _render(snapshot_id: int, kind: documents.Kind, actor: Actor, draft: bool) -> dict:
    assert _archive is not None
    options = replace(_archive.render_options, draft=draft)  # decided by the closing process's clock
    return documents.render_document(_archive.uow(), _archive.store, _archive.renderer, snapshot_id, kind,
                                     options, actor=actor, now=_archive.now()).as_dict()


def _sign_share(key: Pkcs12File, academic_year: str, periods: tuple[str, ...], classes: list[str],
                actor: Actor) -> list[dict]:
    assert _archive is not None
    with _archive.signer(key) as signer:
        outcomes = signing.sign_documents(_archive.uow(), _archive.store, signer, academic_year, periods, classes,
                                          actor=actor, now=_archive.now, zone=_archive.settings.timezone)
    return [o.as_dict() for o in outcomes]


class LocalProcessRunner:
    """Render and sign in `processes` spawned worker processes (0: one per CPU core)."""

    def __init__(self, settings: Settings, processes: int = 0, offset: dt.timedelta = dt.timedelta(0)) -> None:
        self.settings = settings
        self.processes = processes
        self.offset = offset  # the parent's clock from the machine's: zero but for the demo's and tests' clocks

    def _workers(self, count: int) -> int:
        return max(1, min(self.processes or os.cpu_count() or 1, count))

    def render(self, jobs: Sequence[documents.RenderJob], actor: Actor,
               ready: Callable[[], None] | None = None) -> Iterator[tuple[documents.RenderJob, dict]]:
        """(job, outcome) in completion order; a job that raised gives {"error": message}. Ready
        once the first worker process has started (spawned, the code imported, its Archive and
        fonts loaded: most of the seconds before the first class is done)."""
        if not jobs:
            return
        context = multiprocessing.get_context("spawn")  # no inherited database connections
        with ProcessPoolExecutor(self._workers(len(jobs)), mp_context=context, initializer=_start,
                                 initargs=(self.settings, self.offset), max_tasks_per_child=25) as pool:
            started: Future[Any] = pool.submit(_started)  # first in the queue: done once a worker is up
            futures: dict[Future[Any], documents.RenderJob] = {
                pool.submit(_render, job.snapshot_id, job.kind, actor, job.draft): job for job in jobs}
            told = False
            for future in as_completed([started, *futures]):
                if ready is not None and not told:  # once, before the first outcome
                    told = True
                    ready()
                if future is started:
                    continue
                error = future.exception()
                yield futures[future], {"error": str(error)} if error else future.result()

    def sign(self, key: Pkcs12File, academic_year: str, periods: Sequence[str], class_names: Sequence[str],
             actor: Actor) -> Iterator[list[dict]]:
        """Each worker process opens the key once per share of classes; yields each share's outcomes
        as it completes. The password lives only in memory."""
        names = list(class_names)
        if not names:
            return
        workers = self._workers(len(names))
        shares = [names[i::workers * 2] for i in range(workers * 2)]  # small shares: steady progress
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(self.settings, self.offset)) as pool:
            futures = [pool.submit(_sign_share, key, academic_year, tuple(periods), share, actor)
                       for share in shares if share]
            for future in as_completed(futures):
                yield future.result()

    def in_background(self, name: str, run: Callable[[], None]) -> None:
        start_thread(name, run)
