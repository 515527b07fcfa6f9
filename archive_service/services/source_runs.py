"""Pulls nobody types: the nightly schedule of every source, and replays of a recorded pull.

The schedule (see `domain.pull_calendar`) asks each source's period calendar — the one its
journal system reported at the last sign-in — whether tonight is in a pull window; a source
never signed in to is signed in to first, to learn its calendar. A replay turns a folder written
by `source pull --record DIR` into snapshots with no network: the same connector over a
`ReplayTransport`, the same per-class ingest.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from archive_service.adapters.secret_box import SecretBox
from archive_service.adapters.sources.base import Credentials, JournalSource, SourceError
from archive_service.domain import pull_calendar
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services.source_pull import RECORD_INFO, RECORD_REGISTER, PullReport, pull_classes
from archive_service.services.sources import Opener, SourceConfigError, scheduled, source_record, test_source
from archive_service.services.unit_of_work import UnitOfWork

ReplayOpener = Callable[[str, Credentials, Path], JournalSource]

log = logging.getLogger(__name__)


def due_pulls(uow: UnitOfWork, box: SecretBox, open_connector: Opener, *, now: dt.datetime, before: int,
              after: int) -> list[tuple[str, str, str]]:
    """(source, academic year, period) of every source whose pull window covers `now`'s day."""
    with uow:
        sources = [(s.name, dict(s.calendar)) for s in uow.sources.all()]
    due = []
    for name, seen in sources:
        if not seen.get("periods"):
            try:
                test_source(uow, box, open_connector, name, actor=scheduled(), now=now)
            except (SourceError, ArchiveError) as err:
                log.error("source %s: cannot learn its calendar: %s", name, err)
                continue
            with uow:
                seen = dict(source_record(uow, name).calendar)
        period = pull_calendar.due_period(seen.get("periods", []), now.date(), before, after)
        if period and seen.get("academic_year"):
            due.append((name, seen["academic_year"], period))
    return due


def replay(uow: UnitOfWork, open_replay: ReplayOpener, folder: Path, system: str | None = None,
           academic_year: str | None = None, period_code: str | None = None, class_name: str | None = None, *,
           store: bool = True, actor: Actor, now: Callable[[], dt.datetime]) -> PullReport:
    """Snapshots from a recorded pull: ingested (store=True, as `actor` from «replay:<folder>») or
    only built and returned."""
    recorded = _record_info(folder)
    system = system or recorded.get("system")
    academic_year = academic_year or recorded.get("academic_year")
    period_code = period_code or recorded.get("period")
    class_name = class_name or recorded.get("class")
    if not system or not academic_year or not period_code:
        raise SourceConfigError("укажите систему, учебный год и период (--system, --year, --period): "
                                f"в записи нет файла {RECORD_INFO}")
    connector = open_replay(system, _recorded_credentials(folder, recorded), folder)
    info = connector.sign_in()
    results = pull_classes(uow, connector, info, system, academic_year, period_code, class_name,
                           actor=replace(actor, origin=f"replay:{folder.name}"), now=now, store=store)
    report = PullReport(f"запись {folder.name}", system, academic_year, period_code, results)
    if store:
        with uow:
            uow.audit.append(at=now(), actor=actor.person, action="source.replayed", object_type="recording",
                             object_id=str(folder), origin=actor.origin,
                             details={"system": system, "academic_year": academic_year, "period": period_code,
                                      "classes": {r.class_name: r.status for r in results}})
            uow.commit()
    return report


def _recorded_credentials(folder: Path, recorded: dict[str, Any]) -> Credentials:
    """The recorded pull's credentials, «***» for the secret (the recorded requests carry it so)."""
    extra = dict(recorded.get("extra") or {})
    if extra.get("register") == RECORD_REGISTER:  # the register copied beside the recorded exchanges
        extra["register"] = str(folder / RECORD_REGISTER)
    return Credentials(url=recorded.get("url") or "http://replay.invalid/", login=recorded.get("login", ""),
                       secret="***", school=recorded.get("school", ""), extra=extra)


def _record_info(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise SourceConfigError(f"нет папки с записью: {folder}")
    path = folder / RECORD_INFO
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        raise SourceConfigError(f"{path}: файл записи повреждён (не JSON)") from None
