"""Ingest a journal snapshot: validate, content-address, version, store — all or nothing.

The same function serves the CLI import, the API push, the UI upload and the journal systems'
pulls. A snapshot whose content is already stored is a no-op that says so; a different snapshot
of a class and period already stored becomes the next version and must say why it changed. A
version is stored with its pre-flight findings (`domain.preflight`, under the school's norms of
marks): the pre-flight pages read them and never check the stored snapshots again.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import asdict, dataclass, field
from typing import Literal

from sqlalchemy.exc import IntegrityError

from archive_service.adapters.orm import SnapshotRecord, SnapshotStudent
from archive_service.domain.actor import Actor
from archive_service.domain.periods import period_title
from archive_service.domain.preflight import PreflightReport, PreflightThresholds, preflight
from archive_service.domain.problems import Problem, json_path
from archive_service.errors import ReasonRequired, SnapshotRejected
from archive_service.rendering.names import RUSSIAN_NAMES
from archive_service.schema import STORED, Snapshot, canonical_bytes, content_hash, parse_snapshot
from archive_service.services.unit_of_work import UnitOfWork
from archive_service.services.fields import checked
from archive_service.domain.fields import NOTE_MOST

Status = Literal["stored", "new_version", "duplicate"]
_ATTEMPTS = 3


@dataclass(frozen=True)
class IngestResult:
    status: Status
    snapshot_id: int
    content_hash: str
    version: int
    academic_year: str
    period_code: str
    class_name: str
    marks: int = 0
    message: str = field(default="")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IngestSnapshot:
    """Store one snapshot given as JSON: a new class's period, a duplicate (nothing changes), or a
    correction — the next version of a class's period, which must say why it changed."""

    uow: UnitOfWork
    raw: bytes | str
    actor: Actor
    reason: str | None = None
    now: dt.datetime | None = None

    def validate(self) -> Snapshot:
        """The snapshot, if it can be stored as asked; else `SnapshotRejected` or `ReasonRequired`, nothing written."""
        snap, _, digest = self._parsed()
        with self.uow:
            _admissible(self.uow, snap, digest, _reason(self.reason))
        return snap

    def _parsed(self) -> tuple[Snapshot, bytes, str]:
        snap = parse_snapshot(self.raw)
        canonical = canonical_bytes(snap)
        return snap, canonical, content_hash(canonical)

    def run(self) -> IngestResult:
        # the checks of `validate` run inside the storing transaction, under the identities' lock
        # (`_store`): checking them once more in a transaction of their own first would only cost time
        snap, canonical, digest = self._parsed()
        now = self.now or dt.datetime.now(dt.timezone.utc)
        for attempt in range(_ATTEMPTS):
            try:
                return _store(self.uow, snap, canonical, digest, actor=self.actor, reason=_reason(self.reason),
                              now=now)
            except IntegrityError:
                # someone stored the same content or the same version number at the same moment
                if attempt == _ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")


def ingest_snapshot(uow: UnitOfWork, raw: bytes | str, *, actor: Actor, reason: str | None = None,
                    now: dt.datetime | None = None) -> IngestResult:
    """Store one snapshot given as JSON bytes (`IngestSnapshot(...).run()`); raises `SnapshotRejected`
    or `ReasonRequired`."""
    return IngestSnapshot(uow, raw, actor, reason, now).run()


def _reason(reason: str | None) -> str | None:
    return checked(reason, "Причина изменения", most=NOTE_MOST, required=False, lines=True) or None


def _admissible(uow: UnitOfWork, snap: Snapshot, digest: str,
                reason: str | None) -> tuple[SnapshotRecord | None, SnapshotRecord | None]:
    """Inside the caller's transaction: (the stored copy of this very content, else None; the newest
    stored version of the class's period) — or the rule storing it would break, raised."""
    # the newest version is read before the content is looked for: without the identities' lock (a
    # validation) the same bytes stored meanwhile by another push are then found as themselves
    previous = uow.snapshots.latest(snap.school.id, snap.academic_year, snap.period.code, snap.class_.id)
    existing = uow.snapshots.by_hash(digest)
    if existing is not None:
        return existing, None
    problems = _identity_problems(uow, snap)
    if problems:
        raise SnapshotRejected(problems)
    if previous is not None and reason is None:
        raise ReasonRequired(
            f"{snap.class_.name}, {period_title(snap.period.code)}: уже сохранена версия {previous.version}; "
            "новая версия снимка принимается только с указанием причины изменения")
    return None, previous


def _store(uow: UnitOfWork, snap: Snapshot, canonical: bytes, digest: str, *, actor: Actor,
           reason: str | None, now: dt.datetime) -> IngestResult:
    with uow:
        # the same bytes pushed N times at once: after the lock the first is stored and the rest
        # find it here, instead of finding it as an earlier version that needs a reason
        uow.snapshots.lock_identities()
        existing, previous = _admissible(uow, snap, digest, reason)
        if existing is not None:
            return _result(existing, "duplicate",
                           f"{existing.class_name}, {period_title(existing.period_code)}: такой снимок уже сохранён "
                           f"(версия {existing.version}), повторный импорт ничего не изменил")
        uow.snapshots.save_school(snap.school.id, snap.school.full_name, snap.school.short_name,
                                  snap.school.director.full_name)
        record = _record(snap, canonical, digest, previous, reason=reason, ingested_by=actor.person, now=now)
        uow.snapshots.add(record, [SnapshotStudent(student_id=s.id, full_name=s.full_name,
                                                   birth_date=s.birth_date) for s in snap.students])
        uow.preflight.add(record.id, preflight_report(snap, uow.thresholds), uow.thresholds)
        uow.audit.append(at=now, actor=actor.person, action="snapshot.ingested", object_type="snapshot",
                         object_id=digest, origin=actor.origin,
                         details={"class": record.class_name, "period": record.period_code,
                                  "academic_year": record.academic_year, "version": record.version,
                                  "reason": reason})
        uow.commit()
    status: Status = "new_version" if previous else "stored"
    text = (f"{record.class_name}, {period_title(record.period_code)}: сохранена версия {record.version}"
            + (f" (причина: {reason})" if previous else "")
            + f"; отметок: {record.mark_count}")
    return _result(record, status, text)


def _identity_problems(uow: UnitOfWork, snap: Snapshot) -> list[Problem]:
    """One school per archive, and in a school year one class per name and one name per class:
    versions are chained by the class id, while backups, exports and listings go by the name."""
    school = uow.snapshots.archive_school()
    if school is not None and school.id != snap.school.id:
        return [Problem(json_path("school", "id"), "unknown_school",
                        f"архив ведётся для школы «{school.id}» ({school.short_name}); снимок школы "
                        f"«{snap.school.id}» ({snap.school.short_name}) не принимается")]
    other = uow.snapshots.class_conflict(snap.academic_year, snap.class_.id, snap.class_.name)
    if other is None:
        return []
    if other.class_name == snap.class_.name:
        return [Problem(json_path("class", "id"), "class_identity_conflict",
                        f"класс «{snap.class_.name}» {snap.academic_year} учебного года уже сохранён с "
                        f"идентификатором «{other.class_id}», а в снимке у него идентификатор "
                        f"«{snap.class_.id}»; у одного класса должен быть один идентификатор")]
    return [Problem(json_path("class", "name"), "class_identity_conflict",
                    f"класс с идентификатором «{snap.class_.id}» уже сохранён в {snap.academic_year} "
                    f"учебном году под названием «{other.class_name}», а в снимке он назван "
                    f"«{snap.class_.name}»")]


def _record(snap: Snapshot, canonical: bytes, digest: str, previous: SnapshotRecord | None, *,
            reason: str | None, ingested_by: str, now: dt.datetime) -> SnapshotRecord:
    lessons = [lesson for subject in snap.subjects for lesson in subject.lessons]
    return SnapshotRecord(
        content_hash=digest, format=snap.format, school_id=snap.school.id,
        academic_year=snap.academic_year, period_code=snap.period.code, period_kind=snap.period.kind,
        period_number=snap.period.number, period_start=snap.period.start, period_end=snap.period.end,
        class_id=snap.class_.id, class_name=snap.class_.name, grade=snap.class_.grade,
        version=previous.version + 1 if previous else 1, previous_id=previous.id if previous else None,
        reason=reason if previous else None, source_system=snap.source.system,
        exported_at=snap.source.exported_at, ingested_at=now, ingested_by=ingested_by,
        student_count=len(snap.students), subject_count=len(snap.subjects), lesson_count=len(lessons),
        mark_count=sum(len(lesson.marks) for lesson in lessons),
        absence_count=sum(len(lesson.absences) for lesson in lessons),
        size=len(canonical), content=zlib.compress(canonical, 6),
    )


def _result(record: SnapshotRecord, status: Status, message: str) -> IngestResult:
    return IngestResult(status=status, snapshot_id=record.id, content_hash=record.content_hash,
                        version=record.version, academic_year=record.academic_year,
                        period_code=record.period_code, class_name=record.class_name,
                        marks=record.mark_count, message=message)


def preflight_report(snap: Snapshot, thresholds: PreflightThresholds) -> PreflightReport:
    """A snapshot's pre-flight findings (the rules: `domain.preflight`), pupils' names declined."""
    return preflight(snap, thresholds, RUSSIAN_NAMES)


def load_snapshot(record: SnapshotRecord) -> Snapshot:
    """The stored snapshot as a model (it was validated when it was stored)."""
    return Snapshot.model_validate_json(zlib.decompress(record.content), context=STORED)
