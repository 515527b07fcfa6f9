"""The deputy head's monthly control of the journal: the report of a month (and of one class)
from the newest stored snapshot versions, and its printed справка the deputy head signs.

The rules are in `domain.journal_control`; working days come from the production calendar
(`adapters.production_calendar`). The page, the command line and the PDF call these.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.domain.journal_control import (BACKDATED_DAYS, ControlReport, ControlRules, Month, MonthError,
                                                    control)
from archive_service.domain.preflight import PreflightThresholds
from archive_service.domain.procedures import WorkCalendar
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services.ingest import load_snapshot
from archive_service.services.unit_of_work import UnitOfWork


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
