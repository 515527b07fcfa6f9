"""The deputy head's monthly control of the journal: the report of a month (and of one class)
from the newest stored snapshot versions, and its printed справка the deputy head signs.

The rules are in `domain.journal_control`; working days come from the production calendar
(`adapters.production_calendar`). The page, the command line and the PDF call these. The whole
school's справка reads every class's snapshots and lays out some twenty pages, so the page makes
it as a job (`print_pdf`, stages told as they pass) and gives the file out with the person's name
in the audit log (`printed_file`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.domain.journal_control import (BACKDATED_DAYS, ControlReport, ControlRules, Month, MonthError,
                                                    control)
from archive_service.domain.preflight import PreflightThresholds
from archive_service.domain.procedures import WorkCalendar
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.domain.actor import Actor
from archive_service.services.audit_trail import record_request
from archive_service.services.ingest import load_snapshot
from storage import ContentStore
from archive_service.services.unit_of_work import UnitOfWork

JOB_KIND = "control.certificate"
PDF_STEPS = 3
"""The stages the справка's job counts: the journals checked, the pages laid out, the file kept."""


def parse_month(text: str) -> Month:
    """«2026-12» → the month, or an ArchiveError saying how to write it."""
    try:
        return Month.parse(text)
    except MonthError as err:
        raise ArchiveError(str(err)) from None


def control_report(uow: UnitOfWork, month: str, class_name: str | None = None, *,
                   thresholds: PreflightThresholds = PreflightThresholds(), backdated_days: int = BACKDATED_DAYS,
                   calendar: WorkCalendar = CALENDAR) -> ControlReport:
    """The month's control over the newest snapshot version of every period of the month (of one
    class when `class_name` is given); NotFoundError when nothing of the month is stored."""
    wanted = parse_month(month)
    classes = [class_name] if class_name else []
    with uow:
        records = [r for r in uow.snapshots.listing(wanted.academic_year, None, classes, latest_only=True)
                   if r.period_kind != "year" and r.period_start <= wanted.last and r.period_end >= wanted.first]
        if not records:
            where = f", класс {class_name}" if class_name else ""
            raise NotFoundError(f"нет сохранённых снимков журнала за {wanted.title}{where}")
        uow.snapshots.load_contents(records)
        snaps = [load_snapshot(r) for r in records]
    return control(snaps, wanted, ControlRules(calendar, thresholds, backdated_days), class_name)


def school_name(uow: UnitOfWork) -> str:
    with uow:
        return uow.snapshots.school()[0]


def control_pdf(report: ControlReport, templates_dir: Path, *, school: str, deputy: str, now: dt.datetime,
                zone: dt.tzinfo | None = None) -> bytes:
    """«Справка о проверке ведения электронного журнала за <месяц>», dated today in the school's time."""
    from archive_service.rendering.journal_control import certificate

    today = now.astimezone(zone or ZoneInfo(SCHOOL_TIMEZONE))
    return certificate(templates_dir, report, school=school, deputy=deputy, moment=today)


def file_name(report: ControlReport) -> str:
    """«Справка_о_проверке_ЭЖ_2026-12_5А.pdf»."""
    return f"Справка_о_проверке_ЭЖ_{report.month}" + (f"_{report.class_name}" if report.class_name else "") + ".pdf"


def job_title(month: str, class_name: str | None) -> str:
    """«Справка о проверке журнала за декабрь 2026 г., класс 5А»: the job as its page names it."""
    return f"Справка о проверке журнала за {parse_month(month).title}" + (f", класс {class_name}" if class_name else "")


def print_pdf(uow: UnitOfWork, store: ContentStore, templates_dir: Path, month: str, class_name: str | None, *,
              thresholds: PreflightThresholds, backdated_days: int, deputy: str, now: dt.datetime,
              zone: dt.tzinfo | None = None, report: Callable[..., None] | None = None) -> dict[str, Any]:
    """The справка made as a job: «Проверяем журналы…», «Вёрстка: …», «Записываем PDF…», the file
    kept in the content store; the result says what was made and where (`printed_file` gives it out)."""
    import io

    from pypdf import PdfReader

    tell = report or (lambda **_: None)
    tell(done=0, total=PDF_STEPS, message=f"Проверяем журналы за {parse_month(month).title}")
    found = control_report(uow, month, class_name, thresholds=thresholds, backdated_days=backdated_days)
    tell(done=1, message=f"Вёрстка: классов {len(found.checked)}, замечаний {len(found.findings)}")
    data = control_pdf(found, templates_dir, school=school_name(uow), deputy=deputy, now=now, zone=zone)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    tell(done=2, message=f"Записываем PDF: страниц {pages}")
    digest = store.put(data)
    tell(done=PDF_STEPS, message=f"Готово: страниц {pages}")
    return {"month": str(found.month), "class": class_name, "classes": len(found.checked),
            "findings": len(found.findings), "pages": pages, "sha256": digest, "file": file_name(found)}


def printed_file(uow: UnitOfWork, store: ContentStore, job: Any, *, actor: Actor, now: dt.datetime) -> bytes:
    """The справка a finished job made (`job`: `jobs.JobState`), its download recorded with the person's name."""
    if job.kind != JOB_KIND or job.status != "done" or not job.result.get("sha256"):
        raise NotFoundError("справка ещё не готова или не найдена")
    result = job.result
    data = store.read(result["sha256"])
    with uow:
        record_request(uow.audit, actor, at=now, action="control_certificate_downloaded", object_type="control",
                       object_id=result["month"] + (f" {result['class']}" if result["class"] else ""),
                       pages=result["pages"], findings=result["findings"], printed_by=job.created_by)
        uow.commit()
    return data
