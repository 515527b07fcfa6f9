"""Reading the stored snapshots: listings, the pre-flight report of a period, version diffs."""

from __future__ import annotations

from typing import Sequence

from archive_service.domain.diff import SnapshotDiff, diff_snapshots
from archive_service.domain.preflight import PreflightReport, PreflightThresholds, preflight
from archive_service.errors import NotFoundError
from archive_service.services.ingest import load_snapshot
from archive_service.services.unit_of_work import UnitOfWork


def list_snapshots(uow: UnitOfWork, academic_year: str | None = None, period_codes: Sequence[str] = (),
                   class_names: Sequence[str] = ()) -> list[dict]:
    with uow:
        rows = []
        for code in period_codes or (None,):
            rows.extend(uow.snapshots.listing(academic_year, code, class_names))
        return [{"id": r.id, "school": r.school_id, "academic_year": r.academic_year, "period": r.period_code,
                 "class": r.class_name, "grade": r.grade, "version": r.version, "hash": r.content_hash,
                 "reason": r.reason, "exported_at": r.exported_at.isoformat(),
                 "ingested_at": r.ingested_at.isoformat(), "ingested_by": r.ingested_by,
                 "students": r.student_count, "lessons": r.lesson_count, "marks": r.mark_count,
                 "absences": r.absence_count} for r in rows]


def preflight_period(uow: UnitOfWork, academic_year: str, period_codes: Sequence[str],
                     class_names: Sequence[str] = (),
                     thresholds: PreflightThresholds = PreflightThresholds()) -> list[PreflightReport]:
    """The pre-flight report of the newest snapshot version of every selected class."""
    with uow:
        records = [r for code in period_codes
                   for r in uow.snapshots.listing(academic_year, code, class_names, latest_only=True,
                                                  with_content=True)]
        if not records:
            raise NotFoundError(_nothing_stored(academic_year, period_codes, class_names))
        return [preflight(load_snapshot(r), thresholds) for r in records]


def diff_versions(uow: UnitOfWork, academic_year: str, period_code: str, class_name: str,
                  old: int | None = None, new: int | None = None) -> SnapshotDiff:
    """Changes between two versions of a class's snapshot (default: the last two)."""
    with uow:
        versions = {r.version: r for r in uow.snapshots.versions(academic_year, period_code, class_name)}
        if not versions:
            raise NotFoundError(_nothing_stored(academic_year, [period_code], [class_name]))
        new = new or max(versions)
        old = old or new - 1
        for number in (old, new):
            if number not in versions:
                raise NotFoundError(f"{class_name}, {period_code}: нет версии {number} "
                                    f"(сохранены: {', '.join(map(str, sorted(versions)))})")
        before = load_snapshot(uow.snapshots.get(versions[old].id, with_content=True))
        after = load_snapshot(uow.snapshots.get(versions[new].id, with_content=True))
        return diff_snapshots(before, after, old, new)


def _nothing_stored(year: str, periods: Sequence[str], classes: Sequence[str]) -> str:
    where = f"{year}, {', '.join(periods)}" + (f", классы {', '.join(classes)}" if classes else "")
    return f"нет сохранённых снимков журнала: {where}"


def school_facts(uow: UnitOfWork) -> tuple[str, str]:
    """(full name, director) of the school, for the headings of printed registers and acts."""
    with uow:
        return uow.snapshots.school()


def stored_json(uow: UnitOfWork, academic_year: str, period_code: str, class_name: str,
                version: int | None = None) -> dict:
    """The stored snapshot of a class's period (the newest version by default), as stored."""
    with uow:
        versions = {r.version: r for r in uow.snapshots.versions(academic_year, period_code, class_name)}
        if not versions:
            raise NotFoundError(_nothing_stored(academic_year, [period_code], [class_name]))
        number = version or max(versions)
        if number not in versions:
            raise NotFoundError(f"{class_name}, {period_code}: нет версии {number} "
                                f"(сохранены: {', '.join(map(str, sorted(versions)))})")
        record = uow.snapshots.get(versions[number].id, with_content=True)
        return load_snapshot(record).model_dump(mode="json", by_alias=True)
