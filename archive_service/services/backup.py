"""Backups of a period on two media, their audit and restore, and the backup-usage journal.

A backup set (what goes into it, and how long it is kept: `backup_payload`) is sealed for the
director's archive key (`archive_keys`: its public key, so no code is needed to write one) and
written to medium A and medium B; opening it needs the director's code. Sets sealed with a code
before the key still open with that code (`backup_reseal` moves one to the key). Every creation,
audit and restore — successful or not — is a line in the hash-chained backup-usage journal
(read, verified and printed by `backup_journal`). Whoever acts is a `domain.actor.Actor`: the
journal prints their role in words, as the paper journal does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence
from zoneinfo import ZoneInfo

from archive_service.adapters import processes
from archive_service.adapters.orm import BackupJournalEntry, BackupSet
from archive_service.domain.actor import Actor
from archive_service.domain.clock import SCHOOL_TIMEZONE
from archive_service.errors import NotFoundError
from archive_service.services import archive_keys
from archive_service.services.backup_journal import journal_pdf, journal_rows, record_printing, verify_journal
from archive_service.services.backup_payload import payload, retain_until
from archive_service.services.backup_media import medium_facts
from archive_service.services.backup_restore import check_restore_target, restore_backup
from archive_service.services.snapshots import school_facts
from archive_service.services.unit_of_work import UnitOfWork
from storage.archive_key import fingerprint as key_fingerprint
from storage import (
    AuditFinding,
    ContentStore,
    CopyStatus,
    Medium,
    StorageError,
    audit_set,
    build_set,
    finish_set,
    set_hashes,
    write_set,
)

__all__ = ["BackupMade", "BackupRow", "audit_backups", "check_restore_target", "create_backup",
           "handover_act_pdf", "journal_pdf", "journal_rows", "list_backups", "restore_backup", "verify_journal"]


@dataclass(frozen=True)
class CopyMade:
    """One medium's copy of a set just written."""

    medium: str
    location: str
    verified: bool


@dataclass(frozen=True)
class BackupMade:
    """What `create_backup` did: the set, whether every copy verified, and each copy."""

    set_id: str
    complete: bool
    files: int
    resumed: bool
    retain_until: str
    copies: tuple[CopyMade, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"copies": [asdict(c) for c in self.copies]}


@dataclass(frozen=True)
class BackupRow:
    """A backup set as the lists show it (dates as ISO text)."""

    set_id: str
    academic_year: str
    periods: str
    files: int
    size: int
    complete: bool
    state: str
    retain_until: str
    created_at: str
    created_by: str
    copies: dict[str, Any]
    destroyed_by_act: str | None
    key_fingerprint: str | None = None
    resealed_as: str | None = None
    act_number: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _set(uow: UnitOfWork, set_id: str) -> BackupSet:
    """The set's row, inside the caller's transaction."""
    row = uow.backups.get(set_id)
    if row is None:
        raise NotFoundError(f"резервная копия {set_id} не найдена")
    return row


WRITER_STALE = dt.timedelta(hours=1)
"""A writer on another host (whose process cannot be tested) is taken for dead after this silence."""


def create_backup(uow: UnitOfWork, store: ContentStore, media: list[Medium], academic_year: str,
                  periods: Sequence[str], *, actor: Actor, now: dt.datetime,
                  month: str | None = None) -> BackupMade:
    """Build, seal (for the director's archive key: no code), write and verify a set on every
    medium; complete only when all copies verify.

    The set is in the database (state «writing») and the journal before its first byte reaches a
    medium. A re-run after a killed or failed write takes that set over: it finishes it from the
    copies already written, or — when a file was written nowhere — rewrites it under the same id.
    """
    label = f"месяц {month}" if month else ",".join(periods)
    set_id = _claim_interrupted(uow, academic_year, label, now=now)
    if set_id is not None:
        claimed = set_id
        with uow:
            row = _set(uow, claimed)
            expected, retain = dict(row.hashes or {}), row.retain_until
        statuses = expected and _guarded(uow, claimed, actor, now,
                                         lambda: finish_set(claimed, expected, media, retain_until=retain))
        if statuses:
            return _complete(uow, claimed, statuses, media, actor=actor, now=now, resumed=True)
    resumed = set_id is not None
    set_id = set_id or new_set_id(academic_year, now)
    info = {"Source-Organization": "archive_service", "External-Identifier": set_id,
            "External-Description": f"Резервная копия: {academic_year}, {', '.join(periods)}",
            "Contact-Name": actor.person, "Bagging-Date": now.date().isoformat()}
    try:
        seal = archive_keys.current_seal(uow)
        members = payload(uow, store, academic_year, periods, month)
        files = build_set(members, info | {"Archive-Key-Fingerprint": key_fingerprint(seal.public)}, seal)
    except BaseException:
        if resumed:
            _release(uow, set_id)  # nothing written: the set stays for the next re-run
        raise
    retain = retain_until(uow, academic_year, periods)
    return write_new(uow, set_id, files, media, NewSet(academic_year, label, len(members), retain,
                                                       key_fingerprint(seal.public)),
                     actor=actor, now=now, resumed=resumed)


@dataclass(frozen=True)
class NewSet:
    """What the row of a set about to be written records."""

    academic_year: str
    label: str
    payload_files: int
    retain: dt.date
    fingerprint: str | None
    """The archive key the set is sealed for (None: sealed with a code, the format before the key)."""


def write_new(uow: UnitOfWork, set_id: str, files: dict[str, bytes], media: list[Medium], new: NewSet, *,
              actor: Actor, now: dt.datetime, resumed: bool = False) -> BackupMade:
    """Record a built set (state «writing»), write it to every medium and verify it."""
    _record_start(uow, set_id, files, new, actor=actor, now=now, resumed=resumed)
    statuses = _guarded(uow, set_id, actor, now, lambda: _write(uow, set_id, files, media, new.retain, now=now))
    return _complete(uow, set_id, statuses, media, actor=actor, now=now, resumed=resumed)


def _writer_gone(backup: BackupSet, now: dt.datetime) -> bool:
    if backup.writer is None:
        return True
    gone = processes.is_gone(backup.writer)
    if gone is None:
        return backup.heartbeat_at is None or now - backup.heartbeat_at > WRITER_STALE
    return gone


def _claim_interrupted(uow: UnitOfWork, academic_year: str, label: str, *, now: dt.datetime) -> str | None:
    """Take over the oldest set of this scope whose write was interrupted (compare-and-set on
    its writer, so two re-runs never take the same set); None when there is none."""
    with uow:
        for row in uow.backups.interrupted(academic_year, label):
            if not _writer_gone(row, now):
                continue
            if uow.backups.take_over(row, processes.this_process(), now):
                uow.commit()
                return row.set_id
    return None


def _release(uow: UnitOfWork, set_id: str) -> None:
    with uow:
        _set(uow, set_id).writer = None
        uow.commit()


def _record_start(uow: UnitOfWork, set_id: str, files: dict[str, bytes], new: NewSet, *, actor: Actor,
                  now: dt.datetime, resumed: bool) -> None:
    """The set's row (state «writing», its file hashes, the key it is sealed for, its hand-over
    act's number) and a journal line, before any byte is written."""
    with uow:
        row = uow.backups.get(set_id) if resumed else None
        if row is None:
            row = BackupSet(set_id=set_id, academic_year=new.academic_year, periods=new.label, created_at=now,
                            created_by=actor.person, copies={})
            act_number(uow, row)
        row.files, row.size, row.retain_until = new.payload_files, sum(len(v) for v in files.values()), new.retain
        row.complete, row.state, row.hashes = False, "writing", set_hashes(files)
        row.key_fingerprint = new.fingerprint
        row.writer, row.heartbeat_at = processes.this_process(), now
        if row.id is None:
            uow.backups.add(row)  # flushed: the journal line follows it
        uow.backups.record_use(at=now, person=actor.person, role=actor.role_words, medium="—", set_id=set_id,
                               action="начало записи", purpose="резервное копирование",
                               result="прерванная запись начата заново" if resumed else "запись на носители начата")
        uow.commit()


def _write(uow: UnitOfWork, set_id: str, files: dict[str, bytes], media: list[Medium], retain: dt.date, *,
           now: dt.datetime) -> list[CopyStatus]:
    """Medium after medium, with a heartbeat between them (for a re-run on another host)."""
    statuses = []
    for medium in media:
        statuses += write_set(set_id, files, [medium], retain_until=retain)
        with uow:
            _set(uow, set_id).heartbeat_at = now
            uow.commit()
    return statuses


def _guarded(uow: UnitOfWork, set_id: str, actor: Actor, now: dt.datetime, work: Callable[[], Any]) -> Any:
    """Run a write; if it fails, let go of the set (a re-run takes it over) and journal why."""
    try:
        return work()
    except BaseException as err:
        with uow:
            _set(uow, set_id).writer = None
            uow.backups.record_use(at=now, person=actor.person, role=actor.role_words, medium="—", set_id=set_id,
                                   action="создание", purpose="резервное копирование",
                                   result="прервано: ошибка записи на носитель; повторите создание копии")
            uow.audit.append(at=now, actor=actor.person, action="backup.interrupted", object_type="backup_set",
                             object_id=set_id, details={"error": repr(err)[:500]})
            uow.commit()
        if isinstance(err, Exception) and not isinstance(err, StorageError):
            raise StorageError(f"запись резервной копии {set_id} прервана ошибкой носителя; повторите создание "
                               "копии — набор будет завершён") from err
        raise


def act_number(uow: UnitOfWork, row: BackupSet) -> int:
    """The set's hand-over act number within the year it was made: given once, when the set is
    recorded (or, for a set recorded before acts were numbered, when its act is first printed)."""
    if row.act_number is None:
        row.act_number = uow.backups.next_act_number(row.created_at.year)
    return row.act_number


def _complete(uow: UnitOfWork, set_id: str, statuses: list[CopyStatus], media: list[Medium], *, actor: Actor,
              now: dt.datetime, resumed: bool) -> BackupMade:
    complete = all(s.verified for s in statuses)
    facts = {m.label: medium_facts(m) for m in media}
    with uow:
        row = _set(uow, set_id)
        row.complete, row.state, row.writer = complete, "complete" if complete else "incomplete", None
        row.copies = {s.medium: {"location": s.location, "verified": s.verified, **facts.get(s.medium, {})}
                      for s in statuses}
        for status in statuses:
            uow.backups.record_use(at=now, person=actor.person, role=actor.role_words,
                                   medium=f"{status.medium} ({status.location})", set_id=set_id, action="создание",
                                   purpose=f"ежемесячное резервное копирование ({row.periods.removeprefix('месяц ')})"
                                   if row.periods.startswith("месяц") else "резервное копирование периода",
                                   result="записан и проверен" if status.verified else "; ".join(status.problems))
        uow.audit.append(at=now, actor=actor.person, action="backup.created", object_type="backup_set",
                         object_id=set_id, details={"complete": complete, "files": row.files, "resumed": resumed})
        uow.commit()
        return BackupMade(set_id, complete, row.files, resumed, row.retain_until.isoformat(),
                          tuple(CopyMade(s.medium, s.location, s.verified) for s in statuses))


def new_set_id(academic_year: str, now: dt.datetime) -> str:
    """«2026-2027-20270110T090025-f15f39aa»: the year, the moment, a random tail. No period code: the
    number is written on media labels and shown to people beside the period in words."""
    return f"{academic_year.replace('/', '-')}-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"


LOOK = "просмотр списка"


def list_backups(uow: UnitOfWork, *, actor: Actor | None = None, now: dt.datetime | None = None,
                 once_a_day: bool = False) -> list[BackupRow]:
    """The sets; with an actor, the look at the list is itself a journal entry — with `once_a_day`,
    only when the newest journal line is not this person's look at the list today (reloading a
    page adds nothing to the paper journal; a look after any other use is written again)."""
    if actor is not None and now is not None:
        with uow:
            journal = uow.backups.journal()
            if not (once_a_day and journal and _looked_today(journal[-1], actor, now)):
                uow.backups.record_use(at=now, person=actor.person, role=actor.role_words, medium="—", set_id="*",
                                       action=LOOK, purpose="перечень резервных копий", result="выполнено")
                uow.commit()
    with uow:
        return [BackupRow(b.set_id, b.academic_year, b.periods, b.files, b.size, b.complete, b.state,
                          b.retain_until.isoformat(), b.created_at.isoformat(), b.created_by, b.copies,
                          b.destroyed_by_act, b.key_fingerprint, b.resealed_as, b.act_number)
                for b in uow.backups.all()]


def _looked_today(last: BackupJournalEntry, actor: Actor, now: dt.datetime) -> bool:
    school = ZoneInfo(SCHOOL_TIMEZONE)  # «today» as the school counts days, not as UTC does
    return (last.action == LOOK and last.person == actor.person
            and last.at.astimezone(school).date() == now.astimezone(school).date())


def audit_backups(uow: UnitOfWork, media: list[Medium], *, actor: Actor, now: dt.datetime) -> list[AuditFinding]:
    """Fixity audit of every set on every medium — its files, its completion marker, each object's
    recorded hash and retain-until date — against the hashes recorded when it was written,
    repairing from the good copy. A set whose write was interrupted, and objects on a medium that
    belong to no set of the archive (or to a destroyed one), are alarms."""
    with uow:
        rows = uow.backups.all()
        sets = [(b.set_id, b.state, b.retain_until, dict(b.hashes or {}), _writer_gone(b, now))
                for b in rows if not b.destroyed_by_act]
        destroyed = {b.set_id for b in rows if b.destroyed_by_act}
    findings: list[AuditFinding] = []
    for set_id, state, retain, hashes, gone in sets:
        if state == "writing" and not gone:
            continue  # being written right now
        if state != "complete":
            found = [AuditFinding(set_id, "*", "alarm", "запись набора не завершена; повторите создание "
                                  "резервной копии — набор будет завершён")]
        else:
            try:
                found = audit_set(set_id, media, retain_until=retain, expected=hashes or None)
            except StorageError as err:
                found = [AuditFinding(set_id, "*", "alarm", str(err))]
        findings.extend(found)
        _journal_audit(uow, set_id, found, media, actor=actor, now=now)
    live = {s[0] for s in sets}
    for medium in media:
        for set_id in sorted({n.split("/", 1)[0] for n in medium.list() if "/" in n} - live):
            detail = (f"на носителе «{medium.label}» остались объекты набора, уничтоженного по акту"
                      if set_id in destroyed else f"на носителе «{medium.label}» набор, не зарегистрированный в архиве")
            found = [AuditFinding(set_id, "*", "alarm", detail, medium=medium.label)]
            findings.extend(found)
            _journal_audit(uow, set_id, found, [medium], actor=actor, now=now)
    return findings


def _journal_audit(uow: UnitOfWork, set_id: str, found: list[AuditFinding], media: list[Medium], *, actor: Actor,
                   now: dt.datetime) -> None:
    bad = [f for f in found if f.outcome != "ok"]
    with uow:
        uow.backups.record_use(at=now, person=actor.person, role=actor.role_words,
                               medium=", ".join(m.label for m in media), set_id=set_id, action="проверка",
                               purpose="проверка целостности (фиксити)",
                               result="; ".join(f"{f.name}: {OUTCOMES[f.outcome]}, {f.detail}" for f in bad)
                               or "в порядке")
        uow.commit()


OUTCOMES = {"ok": "в порядке", "repaired": "восстановлено", "alarm": "ТРЕВОГА"}


def handover_act_pdf(uow: UnitOfWork, templates_dir: Path, set_id: str, *, actor: Actor | None = None,
                     now: dt.datetime | None = None, audit_as: str = "backup.act_printed",
                     zone: dt.tzinfo | None = None) -> bytes:
    """The hand-over act of a set (deterministic: dated with the set's creation, in the school's
    time zone `zone`, Moscow when not said); with an actor, its printing is an audit event
    (`audit_as`, with the actor's origin)."""
    from archive_service.rendering.backup_papers import handover_act

    with uow:
        row = _set(uow, set_id)
        if row.act_number is None:  # a set recorded before acts were numbered: numbered at its first printing
            act_number(uow, row)
            uow.commit()
    backup = next(b for b in list_backups(uow) if b.set_id == set_id)
    school, director = school_facts(uow)
    created = dt.datetime.fromisoformat(backup.created_at).astimezone(zone or ZoneInfo(SCHOOL_TIMEZONE))
    pdf = handover_act(templates_dir, backup.as_dict(), school=school, director=director, moment=created)
    if actor is not None and now is not None:
        record_printing(uow, audit_as, "backup_set", set_id, actor=actor, now=now)
    return pdf
