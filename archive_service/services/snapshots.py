"""Reading the stored snapshots: listings, the pre-flight report of a period, version diffs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from sqlalchemy.exc import IntegrityError

from archive_service.adapters.orm import SnapshotRecord
from archive_service.domain.diff import SnapshotDiff, diff_snapshots
from archive_service.domain.periods import period_title, periods_title
from archive_service.domain.preflight import PreflightReport, PreflightThresholds
from archive_service.errors import NotFoundError
from archive_service.services.ingest import load_snapshot, preflight_report
from archive_service.services.rows import Row
from archive_service.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SnapshotRow(Row):
    """A stored snapshot version as listings show it (`as_dict()`: the API's and `--json`'s keys)."""

    id: int
    school: str
    academic_year: str
    period: str
    class_name: str
    grade: int
    version: int
    hash: str
    reason: str | None
    exported_at: str
    ingested_at: str
    ingested_by: str
    students: int
    lessons: int
    marks: int
    absences: int

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "school": self.school, "academic_year": self.academic_year, "period": self.period,
                "class": self.class_name, "grade": self.grade, "version": self.version, "hash": self.hash,
                "reason": self.reason, "exported_at": self.exported_at, "ingested_at": self.ingested_at,
                "ingested_by": self.ingested_by, "students": self.students, "lessons": self.lessons,
                "marks": self.marks, "absences": self.absences}


def _row(r: SnapshotRecord) -> SnapshotRow:
    return SnapshotRow(r.id, r.school_id, r.academic_year, r.period_code, r.class_name, r.grade, r.version,
                       r.content_hash, r.reason, r.exported_at.isoformat(), r.ingested_at.isoformat(),
                       r.ingested_by, r.student_count, r.lesson_count, r.mark_count, r.absence_count)


def list_snapshots(uow: UnitOfWork, academic_year: str | None = None, period_codes: Sequence[str] = (),
                   class_names: Sequence[str] = ()) -> list[SnapshotRow]:
    with uow:
        rows: list[SnapshotRecord] = []
        for code in period_codes or (None,):
            rows.extend(uow.snapshots.listing(academic_year, code, class_names))
        return [_row(r) for r in rows]


def preflight_period(uow: UnitOfWork, academic_year: str, period_codes: Sequence[str],
                     class_names: Sequence[str] = (),
                     thresholds: PreflightThresholds = PreflightThresholds()) -> list[PreflightReport]:
    """The pre-flight report of the newest snapshot version of every selected class, as kept when
    the version was stored (`services.ingest`). A version without findings kept under these norms
    and the current rules — stored before findings were kept (migration 0021), or read under other
    norms — is checked here once and its findings kept for every later reading."""
    with uow:
        records = [r for code in period_codes
                   for r in uow.snapshots.listing(academic_year, code, class_names, latest_only=True)]
        if not records:
            raise NotFoundError(_nothing_stored(academic_year, period_codes, class_names))
        ids = [r.id for r in records]
        reports = uow.preflight.of(records, thresholds)
        missing = [r for r in records if r.id not in reports]
        if missing:
            reports.update(_find_and_keep(uow, missing, thresholds))
        return [reports[pk] for pk in ids]


def _find_and_keep(uow: UnitOfWork, records: list[SnapshotRecord],
                   thresholds: PreflightThresholds) -> dict[int, PreflightReport]:
    """Inside the caller's transaction: snapshot id → the findings of these versions, now kept."""
    uow.snapshots.load_contents(records)
    found = {r.id: preflight_report(load_snapshot(r), thresholds) for r in records}
    try:
        for pk, report in found.items():
            uow.preflight.add(pk, report, thresholds)
        uow.commit()
    except IntegrityError:  # another reading kept them at the same moment: the same findings
        uow.rollback()
    return found


def diff_versions(uow: UnitOfWork, academic_year: str, period_code: str, class_name: str,
                  old: int | None = None, new: int | None = None) -> SnapshotDiff:
    """Changes between two versions of a class's snapshot (default: the last two)."""
    with uow:
        versions = _versions(uow, academic_year, period_code, class_name)
        new = new or max(versions)
        old = old or new - 1
        before = _stored(uow, versions, old, period_code, class_name)
        after = _stored(uow, versions, new, period_code, class_name)
        return diff_snapshots(load_snapshot(before), load_snapshot(after), old, new)


def _versions(uow: UnitOfWork, academic_year: str, period_code: str, class_name: str) -> dict[int, SnapshotRecord]:
    """Inside the caller's transaction: version number → stored version of a class's period (some, or NotFoundError)."""
    versions = {r.version: r for r in uow.snapshots.versions(academic_year, period_code, class_name)}
    if not versions:
        raise NotFoundError(_nothing_stored(academic_year, [period_code], [class_name]))
    return versions


def _stored(uow: UnitOfWork, versions: dict[int, SnapshotRecord], number: int, period_code: str,
            class_name: str) -> SnapshotRecord:
    """The stored version `number` with its content, or NotFoundError naming the versions there are."""
    record = uow.snapshots.get(versions[number].id, with_content=True) if number in versions else None
    if record is None:
        raise NotFoundError(f"{class_name}, {period_title(period_code)}: нет версии {number} "
                            f"(сохранены: {', '.join(map(str, sorted(versions)))})")
    return record


def _nothing_stored(year: str, periods: Sequence[str], classes: Sequence[str]) -> str:
    where = f"{year}, {periods_title(periods)}" + (f", классы {', '.join(classes)}" if classes else "")
    return f"нет сохранённых снимков журнала: {where}"


def school_facts(uow: UnitOfWork) -> tuple[str, str]:
    """(full name, director) of the school, for the headings of printed registers and acts."""
    with uow:
        return uow.snapshots.school()


def stored_json(uow: UnitOfWork, academic_year: str, period_code: str, class_name: str,
                version: int | None = None) -> dict[str, Any]:
    """The stored snapshot of a class's period (the newest version by default), as stored."""
    with uow:
        versions = _versions(uow, academic_year, period_code, class_name)
        record = _stored(uow, versions, version or max(versions), period_code, class_name)
        return load_snapshot(record).model_dump(mode="json", by_alias=True)
