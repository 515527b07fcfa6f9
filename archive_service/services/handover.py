"""The director's receipt of backup media against the hand-over act (акт передачи).

On day 2 of the period-end procedure the deputy head writes the backup set to medium A and
medium B and hands both to the director with the act. The director confirms here that the media
were received: the confirmation is recorded on the set once (never changed afterwards), written
into the backup-usage journal («приём по акту») and the audit log, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from archive_service.adapters.orm import BackupSet
from archive_service.domain.actor import Actor, printed_name
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.domain.permissions import may
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.services.unit_of_work import UnitOfWork
from signing.zones import local_moment


def handover_status(backup: BackupSet) -> str:
    """Where the set stands in the hand-over, in words for people."""
    if backup.destroyed_by_act:
        return f"уничтожен по акту № {backup.destroyed_by_act}"
    if backup.handover_confirmed_at is not None:
        return "принят директором"
    if not backup.complete:
        return "записан не полностью: принимать нельзя"
    return "ждёт приёма директором"


def list_handovers(uow: UnitOfWork) -> list[dict]:
    """Every backup set with its hand-over state, newest first."""
    with uow:
        return [{"set_id": b.set_id, "academic_year": b.academic_year, "periods": b.periods, "files": b.files,
                 "size": b.size, "complete": b.complete, "created_at": b.created_at, "created_by": b.created_by,
                 "copies": b.copies, "retain_until": b.retain_until, "destroyed_by_act": b.destroyed_by_act,
                 "confirmed_at": b.handover_confirmed_at, "confirmed_by": b.handover_confirmed_by,
                 "status": handover_status(b), "key_fingerprint": b.key_fingerprint, "resealed_as": b.resealed_as,
                 "awaiting": b.handover_confirmed_at is None and b.complete and not b.destroyed_by_act}
                for b in reversed(uow.backups.all())]


def confirm_handover(uow: UnitOfWork, set_id: str, *, actor: Actor, now: dt.datetime,
                     zone: dt.tzinfo | None = None) -> dict:
    """Record that the director received the set's media; refused twice, for an incomplete or a
    destroyed set, and for anyone but the director."""
    if not may(actor.role, "confirm_handover"):
        raise PermissionDenied("принять резервные копии по акту может только директор")
    with uow:
        # locked: two clicks (or two browsers) must not both record the receipt
        backup = uow.backups.locked(set_id)
        if backup is None:
            raise NotFoundError(f"резервная копия {set_id} не найдена")
        if backup.handover_confirmed_at is not None:
            at = local_moment(backup.handover_confirmed_at, zone or ZoneInfo(SCHOOL_TIMEZONE))
            raise ArchiveError(f"набор {set_id} уже принят: {printed_name(backup.handover_confirmed_by or '')}, {at}")
        if backup.destroyed_by_act or not backup.complete:
            raise ArchiveError(f"набор {set_id} нельзя принять: {handover_status(backup)}")
        backup.handover_confirmed_at, backup.handover_confirmed_by = now, actor.person
        media = ", ".join(f"{label} ({copy['location']})" for label, copy in sorted(backup.copies.items()))
        uow.backups.record_use(at=now, person=actor.person, role=actor.role_words, medium=media, set_id=set_id,
                               action="приём по акту", purpose="приём носителей по акту передачи",
                               result="носители получены директором")
        uow.audit.append(at=now, actor=actor.person, action="backup.handover_confirmed", object_type="backup_set",
                         object_id=set_id, origin=actor.origin, details={"media": sorted(backup.copies)})
        uow.commit()
        return {"set_id": set_id, "confirmed_at": now, "confirmed_by": actor.person}
