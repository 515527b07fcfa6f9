"""Running a long job in a background thread of the web process and reporting its progress.

`start(title, kind, params, work)` records the job and runs `work(report)` off the request
(`JobRunner.in_background`, chosen by the composition root);
`report(done, total, message)` updates the job row (and its heartbeat). Failures end the job
with the message people see; nothing secret is stored (see services/jobs.py).
"""

from __future__ import annotations

from typing import Callable

from flask import Flask

from archive_service.errors import ArchiveError
from archive_service.services import jobs
from storage import StorageError

Report = Callable[..., None]


def start(app: Flask, kind: str, title: str, params: dict, work: Callable[[Report], dict], *, actor: str,
          total: int = 0) -> str:
    archive = app.extensions["archive"]
    job_id = jobs.create(archive.uow(), kind, title, params, total=total, actor=actor, now=archive.now())

    def report(done: int | None = None, total: int | None = None, message: str | None = None) -> None:
        jobs.progress(archive.uow(), job_id, done=done, total=total, message=message, status="running",
                      now=archive.now())

    def run() -> None:
        with app.app_context():
            report(message="начато")
            try:
                result = work(report)
            except (ArchiveError, StorageError, OSError, ValueError) as err:
                jobs.progress(archive.uow(), job_id, status="failed", message=str(err), now=archive.now())
                return
            except Exception as err:  # an unexpected failure must still end the job visibly
                jobs.progress(archive.uow(), job_id, status="failed", message=f"внутренняя ошибка: {err!r}",
                              now=archive.now())
                raise
            jobs.progress(archive.uow(), job_id, status="done", result=result or {}, message="готово",
                          now=archive.now())

    archive.runner.in_background(f"job-{kind}-{job_id[:8]}", run)
    return job_id
