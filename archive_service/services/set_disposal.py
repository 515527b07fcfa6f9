"""Backup sets leaving their media for a disposal act, and the proof that they are gone.

A set counts as deleted only when, after the deletion, no medium lists anything of it —
whatever the deletion itself reported (a medium that skipped an object, a disk unplugged
half-way). Until then its row stays as it was, the backup journal says per medium what is left,
and the act that deletes it is not carried out; a re-run deletes the rest (the completion marker
goes first, so a half-deleted set is never taken for a complete one).
"""

from __future__ import annotations

import datetime as dt

from archive_service.domain.actor import Actor
from archive_service.errors import NotFoundError
from archive_service.services.audit_trail import record
from archive_service.services.unit_of_work import UnitOfWork
from storage import Medium, StorageError, delete_set
from storage.crash_points import crash_point


def _left_on(medium: Medium, set_id: str) -> list[str] | None:
    """What is still on the medium of the set (None when the medium cannot be read)."""
    try:
        return medium.list(f"{set_id}/")
    except (OSError, StorageError):
        return None


def delete_sets(uow: UnitOfWork, media: list[Medium], going: list[str], key: str, *, today: dt.date, actor: Actor,
                now: dt.datetime) -> tuple[list[str], list[dict]]:
    """Delete the sets `going` (their retention ended, their documents destroyed) for act `key`;
    returns the deleted sets and the ones left, each with the reason."""
    deleted, left_sets = [], []
    for set_id in going:
        crash_point("disposal.set_deleting")
        try:
            removed, error = delete_set(set_id, media, today=today), None
        except StorageError as err:
            removed, error = {}, str(err)
        except OSError:  # a disk unplugged or failing half-way: what is left is said below
            removed, error = {}, "носитель не дал удалить объекты набора"
        left = {medium.label: _left_on(medium, set_id) for medium in media}
        if error or any(names is None or names for names in left.values()):
            left_sets.append(_record_left(uow, media, key, set_id, left, error, actor=actor, now=now))
            continue
        crash_point("disposal.set_deleted")
        _record_deleted(uow, media, key, set_id, removed, actor=actor, now=now)
        deleted.append(set_id)
    return deleted, left_sets


def _record_deleted(uow: UnitOfWork, media: list[Medium], key: str, set_id: str, removed: dict[str, list[str]], *,
                    actor: Actor, now: dt.datetime) -> None:
    """The set gone from every medium: marked destroyed by the act, journaled per medium, audited."""
    with uow:
        backup = uow.backups.get(set_id)
        if backup is None:
            raise NotFoundError(f"резервная копия {set_id} не найдена")
        backup.destroyed_by_act = key
        for medium in media:
            uow.backups.record_use(at=now, person=actor.person, role=actor.role_words,
                                   medium=f"{medium.label} ({medium.location})", set_id=set_id,
                                   action="уничтожение", purpose=f"акт о выделении к уничтожению № {key}",
                                   result=f"удалено объектов: {len(removed.get(medium.label, []))}")
        record(uow.audit, actor, at=now, action="disposal.backup_deleted", object_type="backup_set",
               object_id=set_id, details={"act": key, "objects": removed})
        uow.commit()


def _medium_state(names: list[str] | None) -> str:
    if names is None:
        return "носитель недоступен"
    return f"осталось объектов: {len(names)}" if names else "набор удалён"


def _record_left(uow: UnitOfWork, media: list[Medium], key: str, set_id: str, left: dict[str, list[str] | None],
                 error: str | None, *, actor: Actor, now: dt.datetime) -> dict:
    """Journal a set deletion that did not complete, per medium, and say what is left."""
    per_medium = {m.label: _medium_state(left[m.label]) for m in media}
    reason = "; ".join(f"{label}: {state}" for label, state in per_medium.items())
    if error:
        reason = f"{error}; {reason}"
    with uow:
        for medium in media:
            uow.backups.record_use(at=now, person=actor.person, role=actor.role_words,
                                   medium=f"{medium.label} ({medium.location})", set_id=set_id,
                                   action="уничтожение", purpose=f"акт о выделении к уничтожению № {key}",
                                   result=f"не завершено: {per_medium[medium.label]}"
                                   + (f" ({error})" if error else ""))
        record(uow.audit, actor, at=now, action="disposal.backup_delete_incomplete", object_type="backup_set",
               object_id=set_id, details={"act": key, "left": left, "error": error})
        uow.commit()
    return {"set_id": set_id, "reason": f"резервная копия удалена не полностью — {reason}; исполните акт ещё раз"}
