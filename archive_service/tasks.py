"""Celery wired the Flask way, and the tasks: thin, dotted names, ids in, small JSON out.

Without a broker (the embedded default) tasks run in-process; with one (Redis in production)
they run on workers. Tasks acknowledge late, so a task whose worker is killed is redelivered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import datetime as dt
import logging
from dataclasses import replace

from celery import Celery, Task, shared_task
from celery.schedules import crontab
from flask import Flask

from archive_service.domain.actor import SYSTEM_ROLE, Actor
from archive_service.config import Settings
from archive_service.errors import ArchiveError
from archive_service.tenancy import TASK_KEYWORD, current_archive, district, school_context, task_kwargs
from archive_service.adapters.sources.base import SourceError, SourceUnreachableError
from archive_service.services import (audit, backup, documents, ingest, reminders, renewal, snapshots, source_pull,
                                      source_runs, sources)

log = logging.getLogger(__name__)


def celery_init_app(app: Flask, settings: Settings) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            school = kwargs.pop(TASK_KEYWORD, None)
            with app.app_context(), school_context(school):
                if school is None and district(app) is not None:
                    return _for_every_school(app, self, args, kwargs)
                return self.run(*args, **kwargs)

    celery_app: Celery = Celery(app.name, task_cls=FlaskTask)
    celery_app.conf.update(
        broker_url=settings.broker_url or "memory://",
        result_backend=settings.result_backend or None,
        task_always_eager=not settings.broker_url,
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=25,  # WeasyPrint slows down in a long-lived process
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        beat_schedule=_beat_schedule(settings),
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def _for_every_school(app: Flask, task: Task, args: Any, kwargs: Any) -> dict:
    """A task sent with no school in a district — beat's nightly and weekly work — runs for each school
    in turn, each on its own archive; one school's failure is logged and does not stop the others."""
    results: dict[str, Any] = {}
    for school in district(app).schools:  # type: ignore[union-attr]
        with school_context(school.code):
            try:
                results[school.code] = task.run(*args, **kwargs)
            except Exception as err:  # noqa: BLE001 - the next school's archive is not this one's problem
                log.exception("task %s failed for school %s", task.name, school.code)
                results[school.code] = {"error": str(err)}
    return results


def _beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """What beat sends when; the school's schedules are said in its time zone (`ARCHIVE_TIMEZONE`)."""
    school_now = _school_now(settings.timezone)
    return {
        "verify-audit-log-nightly": {"task": "archive.verify_audit_log", "schedule": crontab(hour=3, minute=15)},
        "audit-backups-nightly": {"task": "archive.audit_backups", "schedule": crontab(hour=2, minute=30)},
        "renew-timestamps-weekly": {"task": "archive.renew_timestamps",
                                    "schedule": crontab(day_of_week=0, hour=4, minute=0)},
        # every night at the school's hour; each source is pulled only inside its period's window
        "pull-journal-sources-nightly": {"task": "archive.pull_due_sources",
                                         "schedule": crontab(hour=settings.source_pull_hour, minute=0,
                                                             nowfun=school_now)},
        # reference 004 § 3.11: the monthly copy of the month past, sealed for the archive key (no code)
        "monthly-backup": {"task": "archive.monthly_backup",
                           "schedule": crontab(day_of_month=1, hour=5, minute=0, nowfun=school_now)},
        # every school morning: «завтра срок» and «срок пропущен» of the year's procedure, by e-mail too
        "deadline-reminders-daily": {"task": "archive.send_reminders",
                                     "schedule": crontab(hour=settings.reminder_hour, minute=0, nowfun=school_now)},
    }


def _school_now(timezone: str) -> Any:
    from zoneinfo import ZoneInfo

    return lambda: dt.datetime.now(ZoneInfo(timezone))


def _archive():
    return current_archive()


def sent_actor(actor: Mapping[str, str] | str, origin: str = "") -> Actor:
    """The actor a task was sent: `Actor.as_dict()` plain data, rebuilt. A plain string is a message
    queued by an older version, which sent only a name (and the origin beside it): that name acts
    as the system, as those tasks always did."""
    if isinstance(actor, str):
        return Actor(actor, SYSTEM_ROLE, origin)
    return Actor.from_dict(actor)


@shared_task(name="archive.ingest_snapshot")
def ingest_snapshot(raw: str, actor: dict[str, str] | str, origin: str = "", reason: str | None = None) -> dict:
    """Store one snapshot; a rejection comes back as {"status": "rejected", "problems": [...]}.
    `actor` is `Actor.as_dict()`; `origin` is read only from an older version's message, whose
    `actor` was a name."""
    archive = _archive()
    try:
        result = ingest.ingest_snapshot(archive.uow(), raw, actor=sent_actor(actor, origin), reason=reason,
                                        now=archive.now())
        return result.as_dict()
    except ArchiveError as err:
        return {"status": "rejected", **err.as_dict()}


@shared_task(name="archive.preflight_period")
def preflight_period(academic_year: str, period_codes: list[str], class_names: list[str] | None = None) -> dict:
    archive = _archive()
    reports = snapshots.preflight_period(archive.uow(), academic_year, period_codes, class_names or (),
                                         archive.thresholds)
    return {"classes": [r.as_dict() for r in reports]}


@shared_task(name="archive.verify_audit_log")
def verify_audit_log() -> dict:
    """Nightly: re-verify the audit log's hash chain; a break is logged as an error."""
    entries, breaks = audit.verify_audit_log(_archive().uow())
    for brk in breaks:
        log.error("audit log broken at entry %s: %s", brk.seq, brk.reason)
    return {"entries": entries, "breaks": [{"seq": b.seq, "reason": b.reason} for b in breaks]}


@shared_task(name="archive.render_document", bind=True, max_retries=2)
def render_document(self: Task, snapshot_id: int, kind: str, actor: dict[str, str] | str,
                    draft: bool = False) -> dict:
    """Render (or reuse) one class's document; safe to run again after a lost worker. `actor` is
    `Actor.as_dict()` (a name alone in a message an older version queued); `draft` is what the
    closing process's clock decided (`RenderJob.draft`)."""
    archive = _archive()
    options = replace(archive.render_options, draft=bool(draft))
    return documents.render_document(archive.uow(), archive.store, archive.renderer, snapshot_id,
                                     documents.as_kind(kind), options, actor=sent_actor(actor),
                                     now=archive.now()).as_dict()


@shared_task(name="archive.renew_timestamps")
def renew_timestamps() -> dict:
    """Weekly: verify every signed document, then add a new document timestamp to every one
    whose newest timestamp nears expiry."""
    archive = _archive()
    checked, failures = renewal.check_signed_documents(archive.uow(), archive.store, archive.trust(), archive.now(),
                                                        zone=archive.zone)
    for failure in failures:
        log.error("signed document %s fails verification: %s", failure.document_id, "; ".join(failure.problems))
    horizon = dt.timedelta(days=archive.settings.timestamp_renewal_days)
    results = renewal.renew_timestamps(archive.uow(), archive.store, archive.timestamper(), archive.trust(),
                                       now=archive.now(), horizon=horizon,
                                       actor=Actor("beat:renew_timestamps", SYSTEM_ROLE, "по расписанию"))
    for doc, error in results:
        if error:
            log.error("timestamp renewal failed for %s: %s", doc.document_id, error)
    return {"checked": checked, "invalid": [f.document_id for f in failures],
            "renewed": sum(1 for _, e in results if e is None), "failed": [d.document_id for d, e in results if e]}


@shared_task(name="archive.audit_backups")
def audit_backups() -> dict:
    """Nightly fixity audit of every backup set on both media; alarms are logged as errors."""
    archive = _archive()
    findings = backup.audit_backups(archive.uow(), archive.media(), actor=Actor.system(), now=archive.now())
    alarms = [f for f in findings if f.outcome == "alarm"]
    for alarm in alarms:
        log.error("backup alarm: %s/%s: %s", alarm.set_id, alarm.name, alarm.detail)
    return {"files": len(findings), "repaired": sum(f.outcome == "repaired" for f in findings),
            "alarms": [f"{a.set_id}/{a.name}" for a in alarms]}


@shared_task(name="archive.pull_due_sources")
def pull_due_sources() -> dict:
    """Nightly: start a pull of every source whose period is ending or has just ended."""
    archive = _archive()
    s = archive.settings
    due = source_runs.due_pulls(archive.uow(), archive.source_box, archive.open_connector, now=archive.local_now(),
                                before=s.source_pull_days_before, after=s.source_pull_days_after)
    started = [pull_source.apply_async((name, year, period), task_kwargs()).id for name, year, period in due]
    return {"due": [list(d) for d in due], "tasks": started}


@shared_task(name="archive.pull_source", autoretry_for=(SourceUnreachableError,), retry_backoff=60,
             retry_backoff_max=3600, retry_jitter=True, max_retries=6)
def pull_source(name: str, academic_year: str, period_code: str) -> dict:
    """Pull one source's period on the schedule; an unreachable system is tried again later
    (1, 2, 4… minutes, up to an hour apart); any other failure is recorded and reported."""
    archive = _archive()
    try:
        report = source_pull.pull(archive.uow(), archive.source_box, archive.open_connector, name, academic_year,
                                  period_code, actor=sources.scheduled("beat"), now=archive.now)
    except SourceUnreachableError:
        raise
    except (SourceError, ArchiveError) as err:
        log.error("scheduled pull of %s failed: %s", name, err)
        return {"source": name, "ok": False, "message": str(err)}
    for c in report.classes:
        if c.status == "rejected":
            log.error("scheduled pull of %s: %s", name, c.message)
    if report.unreachable:  # the stored classes are unchanged next time: a retry costs them nothing
        raise SourceUnreachableError(f"{name}: система не ответила по классам {', '.join(report.unreachable)}")
    return report.as_dict()


@shared_task(name="archive.monthly_backup")
def monthly_backup(month: str | None = None) -> dict:
    """Monthly (the 1st, 05:00 school time): a backup set of the snapshots exported in the month
    past (or `month`, ГГГГ-ММ), on both media, sealed for the director's archive key — no code.
    A set not written (no key yet, a medium failing) is logged as an error."""
    from archive_service.services.backup_command import monthly_backup as make, previous_month
    from storage import StorageError

    archive = _archive()
    month = month or previous_month(archive.local_now().date())
    try:
        made = make(archive.uow(), archive.store, archive.media(), month, actor=Actor.system(), now=archive.now())
    except (ArchiveError, StorageError) as err:
        log.error("monthly backup of %s failed: %s", month, err)
        return {"month": month, "ok": False, "message": str(err)}
    for result in made:
        if not result.complete:
            log.error("monthly backup %s is not complete", result.set_id)
    return {"month": month, "ok": all(r.complete for r in made), "sets": [r.set_id for r in made]}


@shared_task(name="archive.send_reminders")
def send_reminders() -> dict:
    """Every school morning: the reminders of the procedure's deadlines due today, kept once each,
    and their letters to the people of the step's role (when a mail server is configured)."""
    archive = _archive()
    report = reminders.run(archive.uow(), archive.local_now().date(), archive.now(), archive.mailer())
    for subject in report.failed:
        log.error("reminder letter not sent: %s", subject)
    return report.as_dict()
