"""Long jobs started from the web, with their progress kept in the database.

A job row says what is being done, how far it got and how it ended; the page polls it. The
work itself runs off the request (`web/jobs.py`, through `JobRunner.in_background`): secrets
such as a key's PIN or a backup's access code stay in that process's memory and never pass
through a broker or the database. While the work runs, its heartbeat is renewed every
`BEAT_EVERY` whether or not the work reports progress, so a heartbeat older than `STALE_AFTER`
means the process running the job is gone. Such a row reads as «interrupted» at once, and
`mark_left_behind` (run when a web process starts serving) writes that into the row with a
Russian message. Every job's steps are idempotent (documents already rendered or signed are
reused, a backup set taken over), so an interrupted job is simply started again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from archive_service.adapters.orm import Job
from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError
from archive_service.services.rows import Row
from archive_service.services.unit_of_work import UnitOfWork

STALE_AFTER = dt.timedelta(minutes=2)
BEAT_EVERY = dt.timedelta(seconds=30)
"""How often a running job's heartbeat is renewed (well inside `STALE_AFTER`)."""
STATUS = {"queued": "в очереди", "running": "выполняется", "done": "готово", "failed": "ошибка",
          "interrupted": "прервано (процесс остановлен) — можно запустить снова"}
LEFT_BEHIND = ("прервано: процесс веб-сервера, выполнявший задание, остановлен (перезапуск или сбой); "
               "запустите задание снова — уже сделанное повторно не делается")


def create(uow: UnitOfWork, kind: str, title: str, params: dict, *, total: int, actor: Actor,
           now: dt.datetime) -> str:
    """A queued job row, created by `actor` (the row keeps the person's name)."""
    job_id = uuid.uuid4().hex
    with uow:
        uow.jobs.add(Job(id=job_id, kind=kind, title=title, params=params, status="queued", total=total, done=0,
                         message="", result={}, created_by=actor.person, created_at=now, heartbeat_at=now))
        uow.commit()
    return job_id


def _job(uow: UnitOfWork, job_id: str) -> Job:
    job = uow.jobs.get(job_id)
    if job is None:
        raise NotFoundError("задание не найдено")
    return job


def progress(uow: UnitOfWork, job_id: str, *, done: int | None = None, total: int | None = None,
             message: str | None = None, status: str | None = None, result: dict | None = None,
             now: dt.datetime) -> None:
    with uow:
        job = _job(uow, job_id)
        if done is not None:
            job.done = done
        if total is not None:
            job.total = total
        if message is not None:
            job.message = message
        if status is not None:
            job.status = status
        if result is not None:
            job.result = result
        job.heartbeat_at = now
        uow.commit()


def beat(uow: UnitOfWork, job_id: str, *, now: dt.datetime) -> None:
    """The job's process is alive: its heartbeat renewed, nothing else touched."""
    with uow:
        _job(uow, job_id).heartbeat_at = now
        uow.commit()


def running_with(uow: UnitOfWork, kind: str, params: dict, *, now: dt.datetime) -> str | None:
    """The id of a job of this kind with these very choices still under way (its heartbeat fresh):
    a second click shows the first job's progress instead of starting another."""
    with uow:
        rows = uow.jobs.under_way(kind, alive_since=now - STALE_AFTER)
        return next((j.id for j in rows if j.params == params), None)


def mark_left_behind(uow: UnitOfWork, *, now: dt.datetime) -> int:
    """Write «interrupted», with the reason, into every queued or running job whose heartbeat
    stopped more than `STALE_AFTER` ago (its process is gone); how many."""
    with uow:
        rows = uow.jobs.left_behind(now - STALE_AFTER)
        for job in rows:
            job.status, job.message = "interrupted", LEFT_BEHIND
        uow.commit()
        return len(rows)


@dataclass(frozen=True)
class JobState(Row):
    """A job as its page polls it (`as_dict()` is the JSON `/jobs/<id>` answers): a job whose
    heartbeat stopped reads «interrupted» whatever its row still says."""

    id: str
    kind: str
    title: str
    params: dict
    status: str
    status_text: str
    total: int
    done: int
    percent: int
    message: str
    result: dict
    created_by: str
    created_at: str


def get(uow: UnitOfWork, job_id: str, *, now: dt.datetime) -> JobState:
    with uow:
        job = _job(uow, job_id)
        status = job.status
        if status in ("queued", "running") and now - job.heartbeat_at > STALE_AFTER:
            status = "interrupted"
        return JobState(job.id, job.kind, job.title, job.params, status, STATUS[status], job.total, job.done,
                        round(100 * job.done / job.total) if job.total else (100 if status == "done" else 0),
                        job.message, job.result, job.created_by, job.created_at.isoformat())
