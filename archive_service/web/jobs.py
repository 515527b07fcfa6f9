"""Running a long job off the request and reporting its progress.

`start(app, kind, title, params, work)` records the job and runs `work(report)` off the request
through the one `JobRunner` interface the composition root chose (`JobRunner.in_background`: a
daemon thread of this web process, whichever runner); `report(done, total, message)` updates the
job row. Beside the work a heartbeat is renewed every `jobs.BEAT_EVERY` until the work ends, so a
stale heartbeat means this process is gone. Failures end the job with the message people see;
nothing secret is stored (see services/jobs.py).

When the web process dies (restart, crash, kill) its daemon threads die with it: the work stops
where it was, the row stays «queued» or «running» and its heartbeat stops. The pages read such a
row as «interrupted» once the heartbeat is `jobs.STALE_AFTER` old, and `mark_left_behind_on_start`
— the first request a web process serves — writes «interrupted» with the reason into every such
row. Nothing restarts a job by itself: the person starts it again (every job's steps are
idempotent).
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from flask import Flask, abort
from flask.blueprints import BlueprintSetupState

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import jobs
from archive_service.tenancy import current_archive, district, school_code, school_context
from storage import StorageError

Report = Callable[..., None]
Work = Callable[[Report], dict]


def job_of_kind(app: Flask, kind: str, job_id: str) -> jobs.JobState:
    """The job `job_id` if it is a job of `kind` (a printing job's page shows no other); else 404."""
    archive = current_archive(app)
    try:
        job = jobs.get(archive.uow(), job_id, now=archive.now())
    except NotFoundError:
        abort(404)
    if job.kind != kind:
        abort(404)
    return job


def start(app: Flask, kind: str, title: str, params: dict, work: Work, *, actor: Actor,
          total: int = 0) -> str:
    archive = current_archive(app)
    school = school_code()  # the job's thread works on the school of the request that started it
    job_id = jobs.create(archive.uow(), kind, title, params, total=total, actor=actor, now=archive.now())
    finished = threading.Event()

    def report(done: int | None = None, total: int | None = None, message: str | None = None) -> None:
        jobs.progress(archive.uow(), job_id, done=done, total=total, message=message, status="running",
                      now=archive.now())

    def heartbeat() -> None:
        while not finished.wait(jobs.BEAT_EVERY.total_seconds()):
            jobs.beat(archive.uow(), job_id, now=archive.now())

    def run() -> None:
        with app.app_context(), school_context(school):
            report(message="начато")
            archive.runner.in_background(f"beat-{kind}-{job_id[:8]}", heartbeat)
            try:
                result = work(report)
            except (ArchiveError, StorageError, OSError, ValueError) as err:
                jobs.progress(archive.uow(), job_id, status="failed", message=str(err), now=archive.now())
                return
            except Exception as err:  # an unexpected failure must still end the job visibly
                jobs.progress(archive.uow(), job_id, status="failed", message=f"внутренняя ошибка: {err!r}",
                              now=archive.now())
                raise
            finally:
                finished.set()
            jobs.progress(archive.uow(), job_id, status="done", result=result or {}, message="готово",
                          now=archive.now())

    archive.runner.in_background(f"job-{kind}-{job_id[:8]}", run)
    return job_id


def mark_left_behind_on_start(state: BlueprintSetupState) -> None:
    """Registered once with the pages that start jobs: before the first request this web process
    serves (the database is migrated by then), rows left «running» by a dead process are marked
    interrupted with the reason (`jobs.mark_left_behind`)."""
    app = state.app
    swept = threading.Event()

    def sweep() -> None:
        if not swept.is_set():
            swept.set()
            for archive in _every_archive(app):
                jobs.mark_left_behind(archive.uow(), now=archive.now())

    app.before_request(sweep)


def _every_archive(app: Any) -> list:
    """The installation's archives: the one, or in a district its own and every school's."""
    found = district(app)
    if found is None:
        return [app.extensions["archive"]]
    return [found.own, *(found.archive(s.code) for s in found.schools)]
