"""Configured journal sources: add, list, remove, test a connection (pulling: `services/source_pull.py`).

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from archive_service.adapters.orm import JournalSourceRecord, SourcePull
from archive_service.adapters.secret_box import SecretBox
from archive_service.adapters.sources.base import (Credentials, JournalSource, SourceAuthError, SourceError,
                                                   SourceInfo, SourceShapeError, SourceUnreachableError)
from archive_service.adapters.sources.registry import system_title
from archive_service.domain import pull_calendar
from archive_service.domain.actor import SYSTEM_ROLE, Actor
from archive_service.errors import ArchiveError, found
from archive_service.services.rows import Row
from archive_service.services.unit_of_work import UnitOfWork

SCHEDULE = "расписание"
SECRET_EXTRA = frozenset({"devkey", "client_secret"})  # system parameters that are secrets: sealed with the password
STALE_PULL = dt.timedelta(hours=2)  # longer than any pull with all its retries: its process was killed
NAME = re.compile(r"[\w.\- ]{1,100}")
Opener = Callable[[str, Credentials, "Path | None"], JournalSource]


class SourceConfigError(ArchiveError):
    """A source that cannot be added or used as asked (name taken, unknown system, no secret…)."""

    code = "source_invalid"


def failure_text(err: Exception) -> str:
    """One Russian sentence per kind of failure (CLI and pages alike)."""
    if isinstance(err, SourceAuthError):
        return f"Вход не выполнен: {err}"
    if isinstance(err, SourceUnreachableError):
        return f"Система недоступна: {err}"
    if isinstance(err, SourceShapeError):
        return f"Система ответила не так, как описано (формат ответа изменился?): {err}"
    return str(err)


def scheduled(origin: str = "") -> Actor:
    """The nightly schedule acting: recorded as «расписание», as it always was."""
    return Actor(SCHEDULE, SYSTEM_ROLE, origin)


@dataclass(frozen=True)
class PullRow(Row):
    """A pull as the sources page and `source list --json` show it."""

    id: int
    academic_year: str
    period: str
    triggered_by: str
    started_at: str
    finished_at: str | None
    state: str
    message: str
    results: list[dict[str, Any]]


@dataclass(frozen=True)
class SourceRow(Row):
    """A configured source (never its secret), what its last sign-in saw, its last pull, its next run."""

    name: str
    system: str
    system_title: str
    url: str
    login: str
    school: str
    extra: dict[str, str]
    created_by: str
    created_at: str
    seen: dict[str, Any]
    next_run: str | None
    last_pull: PullRow | None


def _checked_form(name: str, system: str, url: str, secret: str, systems: list[str]) -> None:
    if not NAME.fullmatch(name):
        raise SourceConfigError("название источника: от 1 до 100 букв, цифр, пробелов, точек, дефисов")
    if system not in systems:
        raise SourceConfigError(f"неизвестная система «{system}»; поддерживаются: {', '.join(systems)}")
    if not url:
        raise SourceConfigError("не указан адрес системы")
    if not secret:
        raise SourceConfigError("не указан пароль, токен или ключ разработчика для входа в систему")


def add_source(uow: UnitOfWork, box: SecretBox, *, name: str, system: str, url: str, login: str, secret: str,
               systems: list[str], school: str = "", extra: dict[str, str] | None = None, actor: Actor,
               now: dt.datetime) -> None:
    name, url = name.strip(), url.strip()
    _checked_form(name, system, url, secret, systems)
    with uow:
        if uow.sources.get(name) is not None:
            raise SourceConfigError(f"источник «{name}» уже есть; удалите его или выберите другое название")
        extra = dict(extra or {})
        hidden = {k: extra.pop(k) for k in list(extra) if k in SECRET_EXTRA}
        sealed = box.seal(json.dumps({"secret": secret, "extra": hidden}, ensure_ascii=False))
        uow.sources.add(JournalSourceRecord(name=name, system=system, url=url, login=login.strip(),
                                            school=school.strip(), extra=extra, secret=sealed,
                                            calendar={}, created_by=actor.person, created_at=now))
        uow.audit.append(at=now, actor=actor.person, action="source.added", object_type="journal_source",
                         object_id=name, origin=actor.origin,
                         details={"system": system, "url": url, "login": login.strip()})
        uow.commit()


def remove_source(uow: UnitOfWork, name: str, *, actor: Actor, now: dt.datetime) -> None:
    """Forget a source and its secret; its pulls stay in the history."""
    with uow:
        source = source_record(uow, name)
        uow.sources.remove(source)
        uow.audit.append(at=now, actor=actor.person, action="source.removed", object_type="journal_source",
                         object_id=name, origin=actor.origin, details={"system": source.system})
        uow.commit()


def list_sources(uow: UnitOfWork, *, now: dt.datetime, hour: int, before: int, after: int) -> list[SourceRow]:
    """Each source (never its secret), what its last sign-in saw, its last pull and its next scheduled run."""
    with uow:
        rows = []
        for s in uow.sources.all():
            last = uow.sources.last_pull(s.name)
            upcoming = pull_calendar.next_run(s.calendar.get("periods", []), now, hour, before, after)
            rows.append(SourceRow(s.name, s.system, system_title(s.system), s.url, s.login, s.school, s.extra,
                                  s.created_by, s.created_at.isoformat(), s.calendar,
                                  upcoming.isoformat() if upcoming else None,
                                  _pull_row(last, now) if last else None))
        return rows


def test_source(uow: UnitOfWork, box: SecretBox, open_connector: Opener, name: str, *, actor: Actor,
                now: dt.datetime) -> SourceInfo:
    """Sign in and sign out; what the account sees is kept (the schedule uses its periods).
    A failure is recorded for the page and raised (`SourceError`, its message in Russian)."""
    system, credentials = credentials_of(uow, box, name)
    try:
        connector = open_connector(system, credentials, None)
        info = connector.sign_in()
        sign_out(connector)
    except SourceError as err:
        remember_test(uow, name, {"ok": False, "message": str(err), "kind": type(err).__name__}, actor, now)
        raise
    remember_test(uow, name, {"ok": True, **seen_by(info)}, actor, now)
    return info


def source_record(uow: UnitOfWork, name: str) -> JournalSourceRecord:
    """Inside the caller's transaction: the configured source, or `NotFoundError`."""
    return found(uow.sources.get(name), f"источник «{name}» не найден (список: archive-service source list)")


def credentials_of(uow: UnitOfWork, box: SecretBox, name: str) -> tuple[str, Credentials]:
    """The system of a configured source and its credentials, the secret unsealed (never logged)."""
    with uow:
        s = source_record(uow, name)
        sealed = json.loads(box.open(s.secret))
        return s.system, Credentials(url=s.url, login=s.login, secret=sealed["secret"], school=s.school,
                                     extra={**s.extra, **sealed["extra"]})


def seen_by(info: SourceInfo) -> dict[str, Any]:
    """What a sign-in saw, as a source keeps it."""
    return {"system": info.system, "school": info.school, "academic_year": info.academic_year,
            "classes": [c.name for c in info.classes],
            "periods": [{"code": p.code, "name": p.name, "start": p.start, "end": p.end} for p in info.periods]}


def remember_test(uow: UnitOfWork, name: str, seen: dict[str, Any], actor: Actor, now: dt.datetime,
                  audit: bool = True) -> None:
    """Keep what a sign-in saw (a failed one keeps what was seen before), audited as a test unless `audit` is off."""
    with uow:
        source = source_record(uow, name)
        keep = source.calendar if not seen["ok"] else {}
        source.calendar = {**keep, **seen, "checked_at": now.isoformat(), "checked_by": actor.person}
        if audit:
            uow.audit.append(at=now, actor=actor.person, action="source.tested", object_type="journal_source",
                             object_id=name, origin=actor.origin,
                             details={"ok": seen["ok"], "message": seen.get("message", "")})
        uow.commit()


def _pull_row(p: SourcePull, now: dt.datetime) -> PullRow:
    # a pull whose process died stays «running» in its row; what it stored is whole (each class is
    # one transaction), so it is shown as interrupted and simply run again
    state = "interrupted" if p.state == "running" and now - p.started_at > STALE_PULL else p.state
    return PullRow(p.id, p.academic_year, p.period_code, p.triggered_by, p.started_at.isoformat(),
                   p.finished_at.isoformat() if p.finished_at else None, state, p.message, p.results)


def sign_out(connector: JournalSource) -> None:
    try:
        connector.sign_out()
    except SourceError:
        pass  # the session ends on the server's side anyway; the pull's result stands
