"""Long jobs started from the web, with their progress kept in the database.

A job row says what is being done, how far it got and how it ended; the page polls it. The
work itself runs in a background thread of the web process (`web/jobs.py`): secrets such as a
key's PIN or a backup's access code stay in that process's memory and never pass through a
broker or the database. Every job's steps are idempotent (documents already rendered or signed
are reused), so a job whose process was killed — its heartbeat stops — is simply started again.
"""

from __future__ import annotations

import datetime as dt
import uuid

from archive_service.adapters.orm import Job
from archive_service.errors import NotFoundError
from archive_service.services.unit_of_work import UnitOfWork

STALE_AFTER = dt.timedelta(minutes=2)
STATUS = {"queued": "в очереди", "running": "выполняется", "done": "готово", "failed": "ошибка",
          "interrupted": "прервано (процесс остановлен) — можно запустить снова"}


def create(uow: UnitOfWork, kind: str, title: str, params: dict, *, total: int, actor: str, now: dt.datetime) -> str:
    job_id = uuid.uuid4().hex
    with uow:
        uow.jobs.add(Job(id=job_id, kind=kind, title=title, params=params, status="queued", total=total, done=0,
                         message="", result={}, created_by=actor, created_at=now, heartbeat_at=now))
        uow.commit()
    return job_id


def progress(uow: UnitOfWork, job_id: str, *, done: int | None = None, total: int | None = None,
             message: str | None = None, status: str | None = None, result: dict | None = None,
             now: dt.datetime) -> None:
    with uow:
        job = uow.jobs.get(job_id)
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


def get(uow: UnitOfWork, job_id: str, *, now: dt.datetime) -> dict:
    with uow:
        job = uow.jobs.get(job_id)
        if job is None:
            raise NotFoundError("задание не найдено")
        status = job.status
        if status in ("queued", "running") and now - job.heartbeat_at > STALE_AFTER:
            status = "interrupted"
        return {"id": job.id, "kind": job.kind, "title": job.title, "params": job.params, "status": status,
                "status_text": STATUS[status], "total": job.total, "done": job.done,
                "percent": round(100 * job.done / job.total) if job.total else (100 if status == "done" else 0),
                "message": job.message, "result": job.result, "created_by": job.created_by,
                "created_at": job.created_at.isoformat()}
