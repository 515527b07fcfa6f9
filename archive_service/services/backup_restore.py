"""Opening a backup set: restoring it into a new or empty folder, with the director's code.

A set sealed for the archive key is opened by opening the key first (`archive_keys.open_for`): a
wrong code is refused there, before any medium is read. A set sealed with a code before the
archive key opens with that code, as it always did. Every attempt is a journal line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import archive_keys
from archive_service.services.unit_of_work import UnitOfWork
from archive_service.services.fields import checked
from storage import Medium, StorageError, restore_set


def check_restore_target(target: Path, own_state: Sequence[Path]) -> None:
    """Refuse a restore into the archive's home or into (or over) anything the archive keeps:
    its database, media, document store and keys."""
    where = Path(target).resolve()
    for path in own_state:
        own = Path(path).resolve()
        if where == own or where.is_relative_to(own) or own.is_relative_to(where):
            raise ArchiveError("нельзя восстанавливать резервную копию в папку архива или в его данные (база, "
                               "носители, хранилище документов): укажите отдельную новую или пустую папку")
    if where.exists() and (not where.is_dir() or any(where.iterdir())):  # as `restore_set` says it, before the key
        raise StorageError("папка для восстановления не пуста: укажите новую или пустую папку")


def restore_backup(uow: UnitOfWork, media: list[Medium], set_id: str, code: str, target: Path, *, actor: Actor,
                   purpose: str, now: dt.datetime, own_state: Sequence[Path], audit_as: str | None = None) -> Path:
    """Restore a set into a new or empty directory outside the archive's own state; every
    attempt, refused or not, is a journal line (and, with `audit_as`, an audit event of that
    name with the actor's origin, in the same transaction).

    A set sealed for the archive key needs the key opened with `code` first (`archive_keys.open_for`):
    a wrong code is refused there, before any medium is read. A set sealed with a code (before
    the archive key) is opened with its own code, as it always was."""
    purpose = checked(purpose, "Цель восстановления")
    with uow:
        row = uow.backups.get(set_id)
        if row is None:
            raise NotFoundError(f"резервная копия {set_id} не найдена")
        hashes, fingerprint = dict(row.hashes or {}), row.key_fingerprint
    failure: Exception | None = None
    try:
        check_restore_target(target, own_state)
        opened = (archive_keys.open_for(uow, fingerprint, code, actor=actor, set_id=set_id, purpose=purpose,
                                        now=now, journal=False) if fingerprint else None)
        bag = restore_set(set_id, media, opened.key if opened else code, target, expected=hashes or None)
        result = f"восстановлена в {bag}" + (f" (ключ архива открыт {opened.by})" if opened else "")
    except (ArchiveError, StorageError) as err:
        failure, result = err, f"отказ: {err}"
    with uow:
        uow.backups.record_use(at=now, person=actor.person, role=actor.role_words,
                               medium=", ".join(m.label for m in media), set_id=set_id, action="восстановление",
                               purpose=purpose, result=result)
        if audit_as:
            outcome = result if failure is not None else str(bag)
            uow.audit.append(at=now, actor=actor.person, action=audit_as, object_type="backup_set", object_id=set_id,
                             origin=actor.origin, details={"purpose": purpose, "result": outcome})
        uow.commit()
    if failure is not None:
        raise failure
    return bag
