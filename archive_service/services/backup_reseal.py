"""`backup reseal`: a set sealed with a code (before the director's archive key) written again as
a new set sealed for the key — same payload, both media, verified.

The old set stays where it is (write-once media); its row records the new set it was resealed
as, and lists show it «перезапечатан в …». The old set's code is needed to open it, once.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import archive_keys
from archive_service.services.backup import BackupMade, NewSet, new_set_id, write_new
from archive_service.services.unit_of_work import UnitOfWork
from storage import Medium, StorageError, build_set, restore_set
from storage.archive_key import fingerprint as key_fingerprint

MADE_BY_BAGGING = ("Payload-Oxum", "Bag-Software-Agent")
"""bag-info lines a bag gets anew whenever it is made (not carried over to the resealed set)."""


def _payload(bag: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """A restored bag's payload (path under data/ → bytes) and its bag-info."""
    data = bag / "data"
    members = {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}
    info = {}
    for line in (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(": ")
        if key and key not in MADE_BY_BAGGING:
            info[key] = value
    return members, info


def _new_id(old_id: str, academic_year: str, label: str, now: dt.datetime) -> str:
    return new_set_id(academic_year, now)


def _old_set(uow: UnitOfWork, set_id: str) -> tuple[dict[str, str], str, str, dt.date]:
    with uow:
        row = uow.backups.get(set_id)
        if row is None:
            raise NotFoundError(f"резервная копия {set_id} не найдена")
        if row.key_fingerprint:
            raise ArchiveError(f"набор {set_id} уже запечатан ключом архива")
        if row.resealed_as:
            raise ArchiveError(f"набор {set_id} уже перезапечатан в {row.resealed_as}")
        if row.destroyed_by_act or row.state != "complete":
            raise ArchiveError(f"набор {set_id} уничтожен или не завершён: перезапечатать нечего")
        return dict(row.hashes or {}), row.academic_year, row.periods, row.retain_until


def reseal_backup(uow: UnitOfWork, media: list[Medium], set_id: str, code: str, *, actor: Actor,
                  now: dt.datetime) -> BackupMade:
    """Open the code-sealed set `set_id` with `code` and write its payload as a new set sealed for
    the archive key; journaled (refused or done) and audited."""
    hashes, academic_year, label, retain = _old_set(uow, set_id)
    seal = archive_keys.current_seal(uow)
    try:
        with tempfile.TemporaryDirectory(prefix="reseal-") as work:
            bag = restore_set(set_id, media, code, Path(work) / "set", expected=hashes or None)
            members, info = _payload(bag)
    except StorageError as err:
        _record(uow, set_id, f"отказ: {err}", actor=actor, now=now)
        raise
    new_id = _new_id(set_id, academic_year, label, now)
    fingerprint = key_fingerprint(seal.public)
    info |= {"External-Identifier": new_id, "Archive-Key-Fingerprint": fingerprint, "Resealed-From": set_id}
    files = build_set(members, info, seal)
    made = write_new(uow, new_id, files, media, NewSet(academic_year, label, len(members), retain, fingerprint),
                     actor=actor, now=now)
    if made.complete:
        _record(uow, set_id, f"перезапечатан ключом архива {fingerprint} в набор {new_id}", actor=actor, now=now,
                resealed_as=new_id)
    return made


def _record(uow: UnitOfWork, set_id: str, result: str, *, actor: Actor, now: dt.datetime,
            resealed_as: str | None = None) -> None:
    with uow:
        if resealed_as:
            row = uow.backups.get(set_id)
            if row is not None:
                row.resealed_as = resealed_as
        uow.backups.record_use(at=now, person=actor.person, role=actor.role_words, medium="—", set_id=set_id,
                               action="перезапечатывание", purpose="перевод набора на ключ архива", result=result)
        uow.audit.append(at=now, actor=actor.person, action="backup.resealed", object_type="backup_set",
                         object_id=set_id, origin=actor.origin, details={"result": result, "new_set": resealed_as})
        uow.commit()
