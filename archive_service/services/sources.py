"""Configured journal sources: add, list, remove, test a connection, pull a period, replay a recording.

A pull signs in to the school's journal system, fetches each class's period as
`journal-snapshot/1` and hands it to the same `ingest_snapshot` a push goes through — the same
strict checks, all or nothing per class, so a class that fails fails alone. A fetched snapshot
that differs from the stored newest version only in its export moment is «без изменений» and is
not stored again; any other difference becomes a new version with the reason
«выгрузка из <система>». Every pull is kept (`source_pull`) with its result per class and is
audited with the name of the person — or «расписание» — who started it. The password, token or
devkey is stored only encrypted (`SecretBox`) and never printed, logged or audited.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Literal

from archive_service.adapters.orm import JournalSourceRecord, SourcePull
from archive_service.adapters.secret_box import SecretBox
from archive_service.adapters.sources.base import (ClassRef, Credentials, JournalSource, PeriodRef,
                                                   SourceAuthError, SourceError, SourceInfo, SourceShapeError,
                                                   SourceUnreachableError)
from archive_service.adapters.sources.registry import system_title
from archive_service.domain import pull_calendar
from archive_service.domain.periods import period_title
from archive_service.errors import ArchiveError, NotFoundError, SnapshotRejected
from archive_service.schema import Snapshot, parse_snapshot
from archive_service.services.ingest import ingest_snapshot, load_snapshot
from archive_service.services.unit_of_work import UnitOfWork

SCHEDULE = "расписание"
SECRET_EXTRA = frozenset({"devkey", "client_secret"})  # system parameters that are secrets: sealed with the password
STALE_PULL = dt.timedelta(hours=2)  # longer than any pull with all its retries: its process was killed
RECORD_INFO = "pull.info"  # beside the recorded exchanges (not *.json: those are the exchanges)
RECORD_REGISTER = "register.school"  # a copy of the school's register the recorded pull used (replay uses it)
NAME = re.compile(r"[\w.\- ]{1,100}")
ClassStatus = Literal["new", "new_version", "unchanged", "rejected"]
Opener = Callable[[str, Credentials, "Path | None"], JournalSource]


STATUS_WORDS = {"new": "новый снимок", "new_version": "новая версия", "unchanged": "без изменений",
                "rejected": "ОТКЛОНЁН"}


def failure_text(err: Exception) -> str:
    """One Russian sentence per kind of failure (CLI and pages alike)."""
    if isinstance(err, SourceAuthError):
        return f"Вход не выполнен: {err}"
    if isinstance(err, SourceUnreachableError):
        return f"Система недоступна: {err}"
    if isinstance(err, SourceShapeError):
        return f"Система ответила не так, как описано (формат ответа изменился?): {err}"
    return str(err)


class SourceConfigError(ArchiveError):
    """A source that cannot be added or used as asked (name taken, unknown system, no secret…)."""

    code = "source_invalid"


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

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def add_source(uow: UnitOfWork, box: SecretBox, *, name: str, system: str, url: str, login: str, secret: str,
               systems: list[str], school: str = "", extra: dict[str, str] | None = None, actor: str,
               origin: str = "", now: dt.datetime) -> None:
    name, url = name.strip(), url.strip()
    if not NAME.fullmatch(name):
        raise SourceConfigError("название источника: от 1 до 100 букв, цифр, пробелов, точек, дефисов")
    if system not in systems:
        raise SourceConfigError(f"неизвестная система «{system}»; поддерживаются: {', '.join(systems)}")
    if not url:
        raise SourceConfigError("не указан адрес системы (--url)")
    if not secret:
        raise SourceConfigError("не указан пароль, токен или ключ разработчика (ARCHIVE_SOURCE_PASSWORD)")
    with uow:
        if uow.sources.get(name) is not None:
            raise SourceConfigError(f"источник «{name}» уже есть; удалите его или выберите другое название")
        extra = dict(extra or {})
        hidden = {k: extra.pop(k) for k in list(extra) if k in SECRET_EXTRA}
        sealed = box.seal(json.dumps({"secret": secret, "extra": hidden}, ensure_ascii=False))
        uow.sources.add(JournalSourceRecord(name=name, system=system, url=url, login=login.strip(),
                                            school=school.strip(), extra=extra, secret=sealed,
                                            calendar={}, created_by=actor, created_at=now))
        uow.audit.append(at=now, actor=actor, action="source.added", object_type="journal_source", object_id=name,
                         origin=origin, details={"system": system, "url": url, "login": login.strip()})
        uow.commit()


def remove_source(uow: UnitOfWork, name: str, *, actor: str, origin: str = "", now: dt.datetime) -> None:
    """Forget a source and its secret; its pulls stay in the history."""
    with uow:
        source = _source(uow, name)
        uow.sources.remove(source)
        uow.audit.append(at=now, actor=actor, action="source.removed", object_type="journal_source",
                         object_id=name, origin=origin, details={"system": source.system})
        uow.commit()


def list_sources(uow: UnitOfWork, *, now: dt.datetime, hour: int, before: int, after: int) -> list[dict]:
    """Each source (never its secret), what its last sign-in saw, its last pull and its next scheduled run."""
    with uow:
        rows = []
        for s in uow.sources.all():
            last = uow.sources.last_pull(s.name)
            upcoming = pull_calendar.next_run(s.calendar.get("periods", []), now, hour, before, after)
            rows.append({"name": s.name, "system": s.system, "system_title": system_title(s.system), "url": s.url,
                         "login": s.login, "school": s.school, "extra": s.extra, "created_by": s.created_by,
                         "created_at": s.created_at.isoformat(), "seen": s.calendar,
                         "next_run": upcoming.isoformat() if upcoming else None,
                         "last_pull": _pull_dict(last, now) if last else None})
        return rows


def test_source(uow: UnitOfWork, box: SecretBox, open_connector: Opener, name: str, *, actor: str,
                origin: str = "", now: dt.datetime) -> SourceInfo:
    """Sign in and sign out; what the account sees is kept (the schedule uses its periods).
    A failure is recorded for the page and raised (`SourceError`, its message in Russian)."""
    system, credentials = _credentials(uow, box, name)
    try:
        connector = open_connector(system, credentials, None)
        info = connector.sign_in()
        _sign_out(connector)
    except SourceError as err:
        _remember_test(uow, name, {"ok": False, "message": str(err), "kind": type(err).__name__}, actor, origin, now)
        raise
    _remember_test(uow, name, {"ok": True, **_seen(info)}, actor, origin, now)
    return info


def pull(uow: UnitOfWork, box: SecretBox, open_connector: Opener, name: str, academic_year: str,
         period_code: str, class_name: str | None = None, record_dir: Path | None = None, *, actor: str,
         origin: str = "", now: Callable[[], dt.datetime]) -> PullReport:
    """Pull a period (every class, or one) from a configured source into the archive."""
    system, credentials = _credentials(uow, box, name)
    with uow:
        pull_id = uow.sources.add_pull(SourcePull(
            source_name=name, system=system, academic_year=academic_year, period_code=period_code,
            triggered_by=actor, started_at=now(), finished_at=None, state="running", message="", results=[])).id
        uow.commit()
    if record_dir is not None:
        _write_record_info(record_dir, system, credentials, academic_year, period_code, class_name)
    try:
        connector = open_connector(system, credentials, record_dir)
        info = connector.sign_in()
        _remember_test(uow, name, {"ok": True, **_seen(info)}, actor, origin, now(), audit=False)
        results = pull_classes(uow, connector, info, system, academic_year, period_code, class_name,
                               actor=actor, origin=f"source:{name}", now=now)
    except (SourceError, ArchiveError) as err:
        _finish(uow, pull_id, [], str(err), actor, origin, now())
        raise
    report = PullReport(name, system, academic_year, period_code, results)
    _finish(uow, pull_id, results, "", actor, origin, now())
    return report


def pull_classes(uow: UnitOfWork, connector: JournalSource, info: SourceInfo, system: str, academic_year: str,
                 period_code: str, class_name: str | None, *, actor: str, origin: str,
                 now: Callable[[], dt.datetime], store: bool = True) -> list[ClassResult]:
    """Fetch and ingest each class of the period (signed in already; signs out at the end)."""
    try:
        period = _period(info, academic_year, period_code)
        classes = _classes(info, class_name)
        reason = f"выгрузка из {system_title(system)}"
        return [_pull_class(uow, connector, cls, period, reason, actor=actor, origin=origin, now=now(), store=store)
                for cls in classes]
    finally:
        _sign_out(connector)


def _pull_class(uow: UnitOfWork, connector: JournalSource, cls: ClassRef, period: PeriodRef, reason: str, *,
                actor: str, origin: str, now: dt.datetime, store: bool) -> ClassResult:
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
        result = ingest_snapshot(uow, raw, actor=actor, origin=origin, reason=reason, now=now)
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


def _sans_export_moment(snap: Snapshot) -> dict:
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


def _source(uow: UnitOfWork, name: str) -> JournalSourceRecord:
    source = uow.sources.get(name)
    if source is None:
        raise NotFoundError(f"источник «{name}» не найден (список: archive-service source list)")
    return source


def _credentials(uow: UnitOfWork, box: SecretBox, name: str) -> tuple[str, Credentials]:
    with uow:
        s = _source(uow, name)
        sealed = json.loads(box.open(s.secret))
        return s.system, Credentials(url=s.url, login=s.login, secret=sealed["secret"], school=s.school,
                                     extra={**s.extra, **sealed["extra"]})


def _seen(info: SourceInfo) -> dict:
    return {"system": info.system, "school": info.school, "academic_year": info.academic_year,
            "classes": [c.name for c in info.classes],
            "periods": [{"code": p.code, "name": p.name, "start": p.start, "end": p.end} for p in info.periods]}


def _remember_test(uow: UnitOfWork, name: str, seen: dict, actor: str, origin: str, now: dt.datetime,
                   audit: bool = True) -> None:
    with uow:
        source = _source(uow, name)
        keep = source.calendar if not seen["ok"] else {}  # a failed test keeps what was seen before
        source.calendar = {**keep, **seen, "checked_at": now.isoformat(), "checked_by": actor}
        if audit:
            uow.audit.append(at=now, actor=actor, action="source.tested", object_type="journal_source",
                             object_id=name, origin=origin,
                             details={"ok": seen["ok"], "message": seen.get("message", "")})
        uow.commit()


def _finish(uow: UnitOfWork, pull_id: int, results: list[ClassResult], failure: str, actor: str, origin: str,
            now: dt.datetime) -> None:
    with uow:
        row = uow.sources.pull(pull_id)
        row.finished_at, row.message = now, failure
        row.results = [{k: v for k, v in asdict(r).items() if k != "snapshot_json"} for r in results]
        row.state = "failed" if failure else ("ok" if all(r.status != "rejected" for r in results) else "partial")
        uow.audit.append(at=now, actor=actor, action="source.pulled", object_type="journal_source",
                         object_id=row.source_name, origin=origin,
                         details={"pull": pull_id, "academic_year": row.academic_year, "period": row.period_code,
                                  "state": row.state, "message": failure,
                                  "classes": {r.class_name: r.status for r in results}})
        uow.commit()


def _pull_dict(p: SourcePull, now: dt.datetime) -> dict:
    # a pull whose process died stays «running» in its row; what it stored is whole (each class is
    # one transaction), so it is shown as interrupted and simply run again
    state = "interrupted" if p.state == "running" and now - p.started_at > STALE_PULL else p.state
    return {"id": p.id, "academic_year": p.academic_year, "period": p.period_code, "triggered_by": p.triggered_by,
            "started_at": p.started_at.isoformat(), "finished_at": p.finished_at.isoformat() if p.finished_at else None,
            "state": state, "message": p.message, "results": p.results}


def _sign_out(connector: JournalSource) -> None:
    try:
        connector.sign_out()
    except SourceError:
        pass  # the session ends on the server's side anyway; the pull's result stands


def _write_record_info(folder: Path, system: str, credentials: Credentials, academic_year: str, period_code: str,
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
