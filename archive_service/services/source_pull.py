"""Pulling a period from a configured journal source: the `PullSource` command, and the per-class
fetch-and-ingest that a replay of a recorded pull shares.

Each class is fetched as `journal-snapshot/1` and handed to the same ingest a push goes through;
a class that fails fails alone. A fetched snapshot that differs from the stored newest version only
in its export moment is «без изменений» and is not stored again. The pull itself is kept
(`source_pull`) with its result per class and audited with the name of whoever started it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Literal

from archive_service.adapters.orm import SourcePull
from archive_service.adapters.secret_box import SecretBox
from archive_service.adapters.sources.base import (ClassRef, Credentials, JournalSource, PeriodRef, SourceError,
                                                   SourceInfo)
from archive_service.adapters.sources.registry import system_title
from archive_service.domain.actor import Actor
from archive_service.domain.periods import period_title
from archive_service.errors import ArchiveError, SnapshotRejected, found
from archive_service.schema import Snapshot, parse_snapshot
from archive_service.services.ingest import ingest_snapshot, load_snapshot
from archive_service.services.sources import (SECRET_EXTRA, Opener, SourceConfigError, credentials_of, failure_text,
                                              remember_test, seen_by, sign_out)
from archive_service.services.unit_of_work import UnitOfWork

RECORD_INFO = "pull.info"  # beside the recorded exchanges (not *.json: those are the exchanges)
RECORD_REGISTER = "register.school"  # a copy of the school's register the recorded pull used (replay uses it)
ClassStatus = Literal["new", "new_version", "unchanged", "rejected"]
STATUS_WORDS = {"new": "новый снимок", "new_version": "новая версия", "unchanged": "без изменений",
                "rejected": "ОТКЛОНЁН"}


@dataclass(frozen=True)
class ClassResult:
    class_name: str
    status: ClassStatus
    message: str
    version: int | None = None
    problems: list[str] = field(default_factory=list)
    error: str = ""  # the connector's error class when the system failed (e.g. SourceUnreachableError)
    snapshot_json: str = field(default="", repr=False)  # only when building without storing (replay --show)


@dataclass(frozen=True)
class PullReport:
    source: str
    system: str
    academic_year: str
    period_code: str
    classes: list[ClassResult]

    @property
    def unreachable(self) -> list[str]:
        """Classes the system did not answer for (worth trying again later)."""
        return [c.class_name for c in self.classes if c.error == "SourceUnreachableError"]

    @property
    def ok(self) -> bool:
        """Every class stored or unchanged."""
        return all(c.status != "rejected" for c in self.classes)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


@dataclass(frozen=True)
class PullSource:
    """Pull a period (every class, or one) from a configured source into the archive; with
    `record_dir`, the system's answers are written there too (no secret) for `source replay`."""

    uow: UnitOfWork
    box: SecretBox
    open_connector: Opener
    name: str
    academic_year: str
    period_code: str
    actor: Actor
    now: Callable[[], dt.datetime]
    class_name: str | None = None
    record_dir: Path | None = None

    def validate(self) -> tuple[str, Credentials]:
        """The source's system and credentials; `NotFoundError` for a source not configured (nothing written)."""
        return credentials_of(self.uow, self.box, self.name)

    def run(self) -> PullReport:
        system, credentials = self.validate()
        pull_id = _start(self.uow, self.name, system, self.academic_year, self.period_code, self.actor, self.now())
        if self.record_dir is not None:
            write_record_info(self.record_dir, system, credentials, self.academic_year, self.period_code,
                              self.class_name)
        try:
            connector = self.open_connector(system, credentials, self.record_dir)
            info = connector.sign_in()
            remember_test(self.uow, self.name, {"ok": True, **seen_by(info)}, self.actor, self.now(), audit=False)
            results = pull_classes(self.uow, connector, info, system, self.academic_year, self.period_code,
                                   self.class_name, actor=replace(self.actor, origin=f"source:{self.name}"),
                                   now=self.now)
        except (SourceError, ArchiveError) as err:
            _finish(self.uow, pull_id, [], str(err), self.actor, self.now())
            raise
        _finish(self.uow, pull_id, results, "", self.actor, self.now())
        return PullReport(self.name, system, self.academic_year, self.period_code, results)


def pull(uow: UnitOfWork, box: SecretBox, open_connector: Opener, name: str, academic_year: str,
         period_code: str, class_name: str | None = None, record_dir: Path | None = None, *, actor: Actor,
         now: Callable[[], dt.datetime]) -> PullReport:
    """`PullSource(...).run()`."""
    return PullSource(uow, box, open_connector, name, academic_year, period_code, actor, now, class_name,
                      record_dir).run()


def pull_classes(uow: UnitOfWork, connector: JournalSource, info: SourceInfo, system: str, academic_year: str,
                 period_code: str, class_name: str | None, *, actor: Actor,
                 now: Callable[[], dt.datetime], store: bool = True) -> list[ClassResult]:
    """Fetch and ingest each class of the period (signed in already; signs out at the end); the
    snapshots are ingested as `actor` (its origin names the source or the recording)."""
    try:
        period = _period(info, academic_year, period_code)
        classes = _classes(info, class_name)
        reason = f"выгрузка из {system_title(system)}"
        return [_pull_class(uow, connector, cls, period, reason, actor=actor, now=now(), store=store)
                for cls in classes]
    finally:
        sign_out(connector)


def _pull_class(uow: UnitOfWork, connector: JournalSource, cls: ClassRef, period: PeriodRef, reason: str, *,
                actor: Actor, now: dt.datetime, store: bool) -> ClassResult:
    try:
        raw = json.dumps(connector.fetch(cls, period), ensure_ascii=False, default=str).encode("utf-8")
        snap = parse_snapshot(raw)
        if not store:
            return ClassResult(cls.name, "new", f"{cls.name}: снимок построен (не сохранялся)",
                               snapshot_json=raw.decode("utf-8"))
        same = _same_as_stored(uow, snap)
        if same is not None:
            return ClassResult(cls.name, "unchanged", f"{cls.name}, {period_title(snap.period.code)}: журнал "
                               f"совпадает с сохранённой версией {same}", same)
        result = ingest_snapshot(uow, raw, actor=actor, reason=reason, now=now)
    except SnapshotRejected as err:
        return ClassResult(cls.name, "rejected", f"{cls.name}: {err}", problems=[str(p) for p in err.problems])
    except (SourceError, ArchiveError) as err:
        return ClassResult(cls.name, "rejected", f"{cls.name}: {failure_text(err)}", problems=[],
                           error=type(err).__name__)
    if result.status == "duplicate":
        return ClassResult(cls.name, "unchanged", result.message, result.version)
    return ClassResult(cls.name, "new" if result.status == "stored" else "new_version", result.message,
                       result.version)


def _same_as_stored(uow: UnitOfWork, snap: Snapshot) -> int | None:
    """The newest stored version's number if it holds the same journal (only the export moment may differ)."""
    with uow:
        previous = uow.snapshots.latest(snap.school.id, snap.academic_year, snap.period.code, snap.class_.id)
        if previous is None or _sans_export_moment(load_snapshot(previous)) != _sans_export_moment(snap):
            return None
        return previous.version


def _sans_export_moment(snap: Snapshot) -> dict[str, Any]:
    data = snap.model_dump(mode="json", by_alias=True)
    data["source"].pop("exported_at", None)
    return data


def _period(info: SourceInfo, academic_year: str, period_code: str) -> PeriodRef:
    if info.academic_year and info.academic_year != academic_year:
        raise SourceConfigError(f"система ведёт {info.academic_year} учебный год, а запрошен {academic_year}")
    for period in info.periods:
        if period.code == period_code:
            return period
    known = ", ".join(p.code for p in info.periods) or "нет ни одного"
    raise SourceConfigError(f"в системе нет периода {period_code} (есть: {known})")


def _classes(info: SourceInfo, class_name: str | None) -> list[ClassRef]:
    if class_name is None:
        return list(info.classes)
    chosen = [c for c in info.classes if c.name == class_name]
    if not chosen:
        raise SourceConfigError(f"в системе нет класса {class_name} (есть: "
                                f"{', '.join(c.name for c in info.classes) or 'ни одного'})")
    return chosen


def _start(uow: UnitOfWork, name: str, system: str, academic_year: str, period_code: str, actor: Actor,
           now: dt.datetime) -> int:
    """The pull's row, «running» until it finishes."""
    with uow:
        pull_id = uow.sources.add_pull(SourcePull(
            source_name=name, system=system, academic_year=academic_year, period_code=period_code,
            triggered_by=actor.person, started_at=now, finished_at=None, state="running", message="",
            results=[])).id
        uow.commit()
    return pull_id


def _finish(uow: UnitOfWork, pull_id: int, results: list[ClassResult], failure: str, actor: Actor,
            now: dt.datetime) -> None:
    with uow:
        row = found(uow.sources.pull(pull_id), f"выгрузка № {pull_id} не найдена: её запись удалена во время выгрузки")
        row.finished_at, row.message = now, failure
        row.results = [{k: v for k, v in asdict(r).items() if k != "snapshot_json"} for r in results]
        row.state = "failed" if failure else ("ok" if all(r.status != "rejected" for r in results) else "partial")
        uow.audit.append(at=now, actor=actor.person, action="source.pulled", object_type="journal_source",
                         object_id=row.source_name, origin=actor.origin,
                         details={"pull": pull_id, "academic_year": row.academic_year, "period": row.period_code,
                                  "state": row.state, "message": failure,
                                  "classes": {r.class_name: r.status for r in results}})
        uow.commit()


def write_record_info(folder: Path, system: str, credentials: Credentials, academic_year: str, period_code: str,
                      class_name: str | None) -> None:
    """What `source replay` needs besides the exchanges — no secret."""
    folder.mkdir(parents=True, exist_ok=True)
    # a secret parameter (ЭлЖур's devkey) is named but not written: replay passes «***», as the recorded requests do
    extra = {k: ("***" if k in SECRET_EXTRA else v) for k, v in credentials.extra.items()}
    if extra.get("register"):  # the register the pull reads goes with the recording, so replay needs no other file
        try:
            (folder / RECORD_REGISTER).write_bytes(Path(extra["register"]).read_bytes())
            extra["register"] = RECORD_REGISTER
        except OSError:
            pass  # the connector itself says the register cannot be read
    info = {"system": system, "url": credentials.url, "login": credentials.login, "school": credentials.school,
            "extra": extra, "academic_year": academic_year, "period": period_code, "class": class_name}
    (folder / RECORD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
