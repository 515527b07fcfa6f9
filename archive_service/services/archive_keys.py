"""The director's archive key: set once by the director, used by everyone who writes a backup,
opened only with the director's access code (or the escrow copy's own code).

The key pair and its sealing are `storage.archive_key`; this module keeps the generations in the
database (`uow.archive_keys`), decides who may do what, and journals every use of a private key
in the backup-usage journal and the audit log — successful or refused — in the same transaction
(making the first key pair uses no private key: it is an audit event only).
The code is an argument and nothing else: it is never stored, logged, journaled or passed on.

* `init_key` — the first key pair (the code typed twice, its strength checked).
* `change_code` — the same key pair re-sealed under a new code; no backup set changes.
* `rotate_key` — a new key pair (a new director); every older generation's private key is
  re-sealed under the new code, so the sets sealed for them still open with it.
* `set_escrow` / `drop_escrow` — the optional second opener (the founder, a successor).
* `open_for` — the private key a set was sealed for, opened with a code; a wrong code is refused
  here, before any medium is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any, Sequence

from archive_service.adapters.orm import ArchiveKeyRecord
from archive_service.domain.actor import Actor
from archive_service.domain.permissions import may
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.services.snapshots import school_facts
from archive_service.services.unit_of_work import UnitOfWork
from archive_service.services.fields import checked
from storage.archive_key import ArchiveKey, OpenedKey, PublicSeal, new_archive_key, weak_code_reason
from storage.sealing import KEY_SEALING, KdfParams, WrongAccessCode

DIRECTOR, ESCROW = "director", "escrow"
KEY_JOURNAL = "ключ архива"
"""What the backup-usage journal names as the «medium» of a key event."""
WRONG_CODE = "неверный код доступа"
NO_KEY = ("ключ архива ещё не создан: директор задаёт код доступа к резервным копиям "
          "(страница «Ключ архива» или команда «backup key init»)")


@dataclass(frozen=True)
class KeyInfo:
    """A generation of the archive key as people see it (never the private key)."""

    generation: int
    fingerprint: str
    created_at: dt.datetime
    created_by: str
    current: bool
    escrow_holder: str | None
    kdf: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"created_at": self.created_at.isoformat()}


def _stored(record: ArchiveKeyRecord) -> ArchiveKey:
    return ArchiveKey(record.public_key, record.sealed_private)


def _check_new_code(uow: UnitOfWork, code: str, again: str, known: Sequence[str]) -> None:
    """The same code typed twice, strong enough — also against what anyone knows of this school."""
    if code != again:
        raise ArchiveError("коды доступа не совпадают: введите один и тот же код дважды")
    known = tuple(k for k in (*known, *school_facts(uow)) if k)
    reason = weak_code_reason(code, known)
    if reason:
        raise ArchiveError(reason)
    words = {w for k in known for w in re.findall(r"\w{4,}", k.casefold())}
    if any(w in code.casefold() for w in words):  # zxcvbn misses a name between separators
        raise ArchiveError("код доступа не должен содержать имён и названий, известных о школе "
                           "(фамилию директора, название школы)")


def _require(actor: Actor, words: str) -> None:
    if not may(actor.role, "manage_archive_key"):
        raise PermissionDenied(words)


def _journal(uow: UnitOfWork, actor: Actor, now: dt.datetime, *, action: str, result: str, audit: str,
             set_id: str = "", purpose: str = "", object_id: str = "", details: dict[str, object] | None = None,
             **more: object) -> None:
    """A key event as a line of the backup-usage journal and an audit event (no commit)."""
    uow.backups.record_use(at=now, person=actor.person, role=actor.role_words, medium=KEY_JOURNAL, set_id=set_id,
                           action=action, purpose=purpose or f"ключ {object_id}", result=result)
    uow.audit.append(at=now, actor=actor.person, action=audit, object_type="backup_set" if set_id else "archive_key",
                     object_id=set_id or object_id, origin=actor.origin,
                     details={"result": result, **(details or {}), **more})


def _record(key: ArchiveKey, generation: int, holder: str, holder_name: str, actor: Actor,
            now: dt.datetime) -> ArchiveKeyRecord:
    return ArchiveKeyRecord(generation=generation, holder=holder, holder_name=holder_name,
                            fingerprint=key.fingerprint, public_key=key.public, sealed_private=key.sealed_private,
                            created_at=now, created_by=actor.person)


def key_status(uow: UnitOfWork) -> list[KeyInfo]:
    """Every generation of the director's key, newest first, with its escrow holder if any."""
    with uow:
        records = uow.archive_keys.all()
        escrow = {r.generation: r.holder_name for r in records if r.holder == ESCROW}
        mine = sorted((r for r in records if r.holder == DIRECTOR), key=lambda r: -r.generation)
        return [KeyInfo(r.generation, r.fingerprint, r.created_at, r.created_by, i == 0, escrow.get(r.generation),
                        _stored(r).kdf.describe())
                for i, r in enumerate(mine)]


def current_seal(uow: UnitOfWork) -> PublicSeal:
    """What a new backup set is sealed with: the newest generation's public key (no code needed)."""
    with uow:
        record = uow.archive_keys.current()
        if record is None:
            raise ArchiveError(NO_KEY)
        return PublicSeal(record.public_key)


def init_key(uow: UnitOfWork, code: str, again: str, *, actor: Actor, now: dt.datetime,
             known: Sequence[str] = (), params: KdfParams = KEY_SEALING) -> KeyInfo:
    """The first key pair, its private key sealed under the director's code."""
    _require(actor, "код доступа к резервным копиям задаёт только директор")
    with uow:
        if uow.archive_keys.current() is not None:
            raise ArchiveError("ключ архива уже создан: код можно сменить, ключ — заменить новым")
    _check_new_code(uow, code, again, (*known, actor.person))
    key = new_archive_key(code, params)
    with uow:
        uow.archive_keys.add(_record(key, 1, DIRECTOR, actor.person, actor, now))
        # an audit event only: no backup and no private key is used yet (the journal records the uses)
        uow.audit.append(at=now, actor=actor.person, action="archive_key.created", object_type="archive_key",
                         object_id=key.fingerprint, origin=actor.origin, details={"generation": 1})
        uow.commit()
    return key_status(uow)[0]


def _open_director_keys(uow: UnitOfWork, code: str, actor: Actor, now: dt.datetime,
                        action: str) -> list[tuple[ArchiveKeyRecord, OpenedKey]]:
    """Every director generation opened with `code` (all share the director's code); a wrong code
    is journaled as refused and committed before the error is raised."""
    records = [r for r in uow.archive_keys.all() if r.holder == DIRECTOR]
    if not records:
        raise NotFoundError(NO_KEY)
    try:
        return [(r, _stored(r).open(code)) for r in records]
    except WrongAccessCode:
        newest = max(records, key=lambda r: r.generation)
        _journal(uow, actor, now, action=action, result=f"отказ: {WRONG_CODE}", audit="archive_key.refused",
                 object_id=newest.fingerprint)
        uow.commit()
        raise


def change_code(uow: UnitOfWork, code: str, new_code: str, again: str, *, actor: Actor, now: dt.datetime,
                known: Sequence[str] = (), params: KdfParams = KEY_SEALING) -> KeyInfo:
    """Every generation's private key re-sealed under `new_code`; no backup set is rewritten."""
    _require(actor, "код доступа к резервным копиям меняет только директор")
    _check_new_code(uow, new_code, again, (*known, actor.person))
    with uow:
        opened = _open_director_keys(uow, code, actor, now, "смена кода доступа")
        for record, private in opened:
            record.sealed_private = private.sealed(new_code, params).sealed_private
            record.resealed_at = now
        newest = max((r for r, _ in opened), key=lambda r: r.generation)
        _journal(uow, actor, now, action="смена кода доступа", result="код сменён", audit="archive_key.code_changed",
                 object_id=newest.fingerprint)
        uow.commit()
    return key_status(uow)[0]


def rotate_key(uow: UnitOfWork, code: str, new_code: str, again: str, *, actor: Actor, now: dt.datetime,
               known: Sequence[str] = (), params: KdfParams = KEY_SEALING) -> KeyInfo:
    """A new key pair for the sets to come; the older generations are kept, re-sealed under
    `new_code`, so every set still opens with the one current code."""
    _require(actor, "ключ архива заменяет только директор")
    _check_new_code(uow, new_code, again, (*known, actor.person))
    key = new_archive_key(new_code, params)
    with uow:
        opened = _open_director_keys(uow, code, actor, now, "замена ключа архива")
        for record, private in opened:
            record.sealed_private = private.sealed(new_code, params).sealed_private
            record.resealed_at = now
            record.retired_at = record.retired_at or now
        generation = max(r.generation for r, _ in opened) + 1
        uow.archive_keys.add(_record(key, generation, DIRECTOR, actor.person, actor, now))
        _journal(uow, actor, now, action="замена ключа архива", audit="archive_key.rotated", object_id=key.fingerprint,
                 result=f"новый ключ, поколение {generation}; прежние сохранены", generation=generation)
        uow.commit()
    return key_status(uow)[0]


def set_escrow(uow: UnitOfWork, code: str, escrow_code: str, again: str, holder_name: str, *, actor: Actor,
               now: dt.datetime, params: KdfParams = KEY_SEALING) -> None:
    """The escrow copy: every generation's private key sealed also under the holder's own code
    (replacing an earlier escrow copy)."""
    _require(actor, "копию ключа для учредителя создаёт только директор")
    holder = holder_name.strip()
    if not holder:
        raise ArchiveError("укажите, у кого хранится копия ключа (учредитель или будущий директор)")
    holder = checked(holder, "У кого хранится")
    _check_new_code(uow, escrow_code, again, (holder, actor.person))
    if escrow_code == code:
        raise ArchiveError("код копии ключа должен отличаться от кода директора")
    with uow:
        opened = _open_director_keys(uow, code, actor, now, "копия ключа для учредителя")
        for old in [r for r in uow.archive_keys.all() if r.holder == ESCROW]:
            uow.archive_keys.remove(old)
        for record, private in opened:
            uow.archive_keys.add(_record(private.sealed(escrow_code, params), record.generation, ESCROW, holder,
                                         actor, now))
        _journal(uow, actor, now, action="копия ключа для учредителя", result=f"создана, хранится: {holder}",
                 audit="archive_key.escrow_set", object_id=opened[-1][0].fingerprint)
        uow.commit()


def drop_escrow(uow: UnitOfWork, *, actor: Actor, now: dt.datetime) -> None:
    """The escrow copy deleted (every generation's)."""
    _require(actor, "копию ключа для учредителя удаляет только директор")
    with uow:
        escrow = [r for r in uow.archive_keys.all() if r.holder == ESCROW]
        if not escrow:
            raise NotFoundError("копии ключа для учредителя нет")
        for record in escrow:
            uow.archive_keys.remove(record)
        _journal(uow, actor, now, action="копия ключа для учредителя", result="удалена",
                 audit="archive_key.escrow_dropped", object_id=escrow[-1].fingerprint)
        uow.commit()


@dataclass(frozen=True)
class KeyOpened:
    """The private key a set was sealed for, and whose code opened it («кодом директора»)."""

    key: OpenedKey
    by: str


def open_for(uow: UnitOfWork, fingerprint: str, code: str, *, actor: Actor, set_id: str, purpose: str,
             now: dt.datetime, journal: bool = True) -> KeyOpened:
    """The private key a set was sealed for, opened with the director's code or the escrow
    copy's code; a wrong code raises «неверный код доступа» (no medium has been read). Audited
    either way, and — unless the caller writes the journal line of the whole use itself
    (`journal=False`, a restore) — journaled."""
    with uow:
        records = sorted(uow.archive_keys.by_fingerprint(fingerprint), key=lambda r: r.holder != DIRECTOR)
        if not records:
            raise NotFoundError(f"ключа архива {fingerprint}, которым запечатан набор {set_id}, в архиве нет")
        opened, record = _first_opening(records, code)
        by = "" if record is None else ("кодом директора" if record.holder == DIRECTOR
                                        else f"кодом копии ключа ({record.holder_name})")
        result = f"ключ открыт {by}" if opened else f"отказ: {WRONG_CODE}"
        audit = "archive_key.opened" if opened else "archive_key.refused"
        details: dict[str, object] = {"fingerprint": fingerprint, "holder": record.holder if record else None}
        if journal:
            _journal(uow, actor, now, action="открытие ключа архива", result=result, audit=audit, set_id=set_id,
                     purpose=purpose, details=details)
        else:
            uow.audit.append(at=now, actor=actor.person, action=audit, object_type="backup_set", object_id=set_id,
                             origin=actor.origin, details={"result": result, **details})
        uow.commit()
    if opened is None:
        raise WrongAccessCode(WRONG_CODE)
    return KeyOpened(opened, by)


def _first_opening(records: Sequence[ArchiveKeyRecord],
                   code: str) -> tuple[OpenedKey | None, ArchiveKeyRecord | None]:
    for record in records:
        try:
            return _stored(record).open(code), record
        except WrongAccessCode:
            continue
    return None, None
