"""The hash-chained backup-usage journal read back, verified and printed, and the audit of printouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from archive_service.adapters.repository import journal_payload
from archive_service.domain.actor import Actor
from archive_service.domain.chain import ChainBreak, verify_chain
from archive_service.services.snapshots import school_facts
from archive_service.services.unit_of_work import UnitOfWork


def verify_journal(uow: UnitOfWork) -> tuple[int, list[ChainBreak]]:
    with uow:
        entries = uow.backups.journal()
        return len(entries), verify_chain((e.seq, e.prev_hash, e.hash, journal_payload(e)) for e in entries)


def journal_rows(uow: UnitOfWork) -> list[dict]:
    with uow:
        return [journal_payload(e) for e in uow.backups.journal()]


def journal_pdf(uow: UnitOfWork, templates_dir: Path, now: dt.datetime, *, actor: Actor | None = None,
                zone: ZoneInfo | None = None) -> bytes:
    """The backup-usage journal printed, its times in the school's time zone `zone` (Moscow when not
    said); with an actor, the printing is a `web.backup_journal_printed` event."""
    from archive_service.rendering.backup_papers import backup_journal

    _, breaks = verify_journal(uow)
    with uow:
        sets = {b.set_id: {"academic_year": b.academic_year, "periods": b.periods} for b in uow.backups.all()}
    pdf = backup_journal(templates_dir, journal_rows(uow), intact=not breaks, school=school_facts(uow)[0], moment=now,
                         sets=sets, zone=zone)
    if actor is not None:
        record_printing(uow, "web.backup_journal_printed", "backup_journal", "*", actor=actor, now=now)
    return pdf


def record_printing(uow: UnitOfWork, action: str, object_type: str, object_id: str, *, actor: Actor,
                    now: dt.datetime) -> None:
    """A printout of archive material (an act, the journal) as an audit event with who and from where."""
    with uow:
        uow.audit.append(at=now, actor=actor.person, action=action, object_type=object_type, object_id=object_id,
                         origin=actor.origin)
        uow.commit()
