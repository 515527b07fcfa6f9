"""`JobRunner` implementations: Celery workers and this very process (local worker processes
are in `local_jobs`).

Long jobs started from a web page run in a daemon thread of the web process whichever runner
is chosen: their work is a closure over the request's choices (and a key's secret, which must
not cross a broker); the heavy parts inside them fan out through `render`/`sign`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from archive_service.domain.actor import Actor
from archive_service.key_specs import Pkcs12File
from archive_service.services import documents, signing
from archive_service.services.execution import JobRunner
from archive_service.tenancy import task_kwargs

POLL_SECONDS = 0.2


def start_thread(name: str, run: Callable[[], None]) -> None:
    """`run()` in a daemon thread: the web process's background job."""
    threading.Thread(target=run, name=name, daemon=True).start()


class InProcessRunner:
    """Everything in this process, one job after another (inside a worker, and for tests)."""

    def __init__(self, archive: Any) -> None:
        self.archive = archive

    def render(self, jobs: Sequence[documents.RenderJob], actor: Actor,
               ready: Callable[[], None] | None = None) -> Iterator[tuple[documents.RenderJob, dict]]:
        a = self.archive
        if ready is not None:
            ready()  # nothing to start: this process renders
        for job in jobs:
            try:
                outcome = documents.render_document(a.uow(), a.store, a.renderer, job.snapshot_id, job.kind,
                                                    replace(a.render_options, draft=job.draft), actor=actor,
                                                    now=a.now()).as_dict()
            except Exception as err:  # noqa: BLE001 - like a worker's failure: one class, not the batch
                outcome = {"error": str(err)}
            yield job, outcome

    def sign(self, key: Pkcs12File, academic_year: str, periods: Sequence[str], class_names: Sequence[str],
             actor: Actor) -> Iterator[list[dict]]:
        a = self.archive
        with a.signer(key) as signer:
            outcomes = signing.sign_documents(a.uow(), a.store, signer, academic_year, tuple(periods),
                                              list(class_names), actor=actor, now=a.now, zone=a.settings.timezone)
        yield [o.as_dict() for o in outcomes]

    def in_background(self, name: str, run: Callable[[], None]) -> None:
        start_thread(name, run)


class CeleryRunner:
    """Rendering on Celery workers (tasks acknowledged late: a killed worker's task is redelivered);
    signing with a key file on local processes, since a password must not travel through the broker."""

    def __init__(self, celery: Any, local: JobRunner) -> None:
        self.celery = celery
        self.local = local

    def render(self, jobs: Sequence[documents.RenderJob], actor: Actor,
               ready: Callable[[], None] | None = None) -> Iterator[tuple[documents.RenderJob, dict]]:
        """The actor crosses the broker as plain data (`Actor.as_dict`), rebuilt in the task; so does
        whether the copy is a draft, decided by the clock of the process that closes the period.
        Ready once every task is handed to the broker (the workers are already running)."""
        who = actor.as_dict()
        pending = {self.celery.send_task("archive.render_document", args=[j.snapshot_id, j.kind, who, j.draft],
                                              kwargs=task_kwargs()): j
                   for j in jobs}
        if ready is not None:
            ready()
        while pending:
            for result in [r for r in pending if r.ready()]:
                job = pending.pop(result)
                value = result.get(propagate=False)
                yield job, value if isinstance(value, dict) else {"error": str(value)}
            if pending:
                time.sleep(POLL_SECONDS)

    def sign(self, key: Pkcs12File, academic_year: str, periods: Sequence[str], class_names: Sequence[str],
             actor: Actor) -> Iterator[list[dict]]:
        return self.local.sign(key, academic_year, periods, class_names, actor)

    def in_background(self, name: str, run: Callable[[], None]) -> None:
        start_thread(name, run)
