"""Disposal of documents whose retention has ended: the act, the director's approval, destruction.

1. `plan` — the dry run: what an act may list today, what is refused and why, which backup
   sets could go once those documents are destroyed. Nothing changes.
2. `compose_act` — the act (акт о выделении к уничтожению документов, не подлежащих хранению)
   under the next number of the year, its PDF kept in the content store. Status `proposed`.
3. `approve_act` — the director approves it (only the director). Status `approved`.
4. `execute_act` — file by file: the rules are checked again (a hold placed after approval
   still stops that file); then one transaction marks the destruction begun — the act item's
   `destruction_started_at`, the register entry and the document destroyed, an audit event —
   before the first byte is deleted; the document's files leave the content store; a second
   transaction records the item done. From the mark on no legal hold may be placed on the file
   (`register.place_hold` refuses) and a re-run finishes it whatever else changed, so a crash
   never leaves an entry «в архиве» without its files. Then backup sets whose own retention
   ended and whose documents are all destroyed are deleted from every medium (each medium
   refuses an early delete by itself); a set counts as deleted only when no medium holds
   anything of it afterwards, whatever the deletion reported (a crash in between leaves it
   without its completion marker, deleted first, and the re-run deletes the rest).
   The act becomes `executed` only when every item is destroyed and every such set is gone;
   otherwise the result says what is left and why, the act stays `approved`, its status says
   it is carried out in part, and running it again finishes the rest (deleting what is already
   gone is a no-op). The act row, its items (with the hashes of what was destroyed) and the
   register entries are never deleted.

Composing, approving and carrying out take the time only from the `Clock` the entry point
passes (the composition root's real clock): there is no date parameter, so nothing can destroy
«as of» another day. Only the dry run `plan` looks at any day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive_service.adapters.orm import BackupSet, DisposalAct, DisposalActItem, DocumentRecord, RegisterEntry
from archive_service.domain.clock import Clock
from archive_service.domain.permissions import may, sole_role
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.services.register import rules
from archive_service.services.set_disposal import delete_sets
from archive_service.services.unit_of_work import UnitOfWork
from retention import Candidate, backup_set_may_go, decide, select as select_due
from storage import ContentStore, Medium, StorageError
from storage.crash_points import crash_point

APPROVING_ROLE = sole_role("approve_disposal")
STATUS = {"proposed": "составлен, ждёт утверждения директором", "approved": "утверждён директором",
          "executed": "исполнен: документы уничтожены"}
KIND_YEARS_WORDS = {"class_journal": "бумажная копия электронного классного журнала",
                    "summary_sheet": "сводная ведомость итоговых отметок"}


@dataclass(frozen=True)
class Actor:
    person: str
    role: str
    """A code of `ROLES`."""


def _key(year: int, number: int) -> str:
    return f"{number}/{year}"


def _parse_key(key: str) -> tuple[int, int]:
    number, _, year = key.partition("/")
    if not (number.isdigit() and year.isdigit()):
        raise ArchiveError(f"номер акта указывается как N/ГГГГ, например 1/2033; указано: «{key}»")
    return int(year), int(number)


def _open_acts(uow: UnitOfWork) -> dict[int, str]:
    """entry id → «N/YYYY» of a proposed or approved act listing it and not yet destroyed by it."""
    return {entry_id: _key(year, number) for entry_id, (year, number) in uow.disposal.open_listings().items()}


def _holds(uow: UnitOfWork) -> dict[int, str]:
    return uow.holds.active()


def _candidate(entry: RegisterEntry, holds: dict[int, str], acts: dict[int, str]) -> Candidate:
    return Candidate(_key(entry.year, entry.number), entry.retention_end, entry.status,
                     holds.get(entry.id), acts.get(entry.id))


def _entries(uow: UnitOfWork) -> list[tuple[RegisterEntry, DocumentRecord]]:
    return uow.register.listing()


def _describe(entry: RegisterEntry, document: DocumentRecord, years: int, basis: str) -> dict:
    return {"register": _key(entry.year, entry.number), "case_index": entry.case_index, "title": entry.title,
            "period": entry.period, "academic_year": document.academic_year, "sheets": entry.sheets,
            "retention_end": entry.retention_end.isoformat(), "years": years, "basis": basis,
            "document_id": document.document_id, "kind": document.kind,
            "place": f"{entry.room}, {entry.cabinet}, {entry.folder}"}


def plan(uow: UnitOfWork, today: dt.date) -> dict:
    """The dry run: eligible files, refused ones with reasons, backup sets that could then go."""
    schedule = rules(uow)
    with uow:
        holds, acts = _holds(uow), _open_acts(uow)
        pairs = {_key(e.year, e.number): (e, d) for e, d in _entries(uow)}
        eligible, refused = select_due([_candidate(e, holds, acts) for e, _ in pairs.values()], today)
        due_or_held = [d for d in refused if not d.reason.startswith("срок хранения не истёк")]

        def row(decision):
            entry, doc = pairs[decision.key]
            rule = schedule[doc.kind]
            return {**_describe(entry, doc, rule.years, rule.basis), "reason": decision.reason}

        going = {pairs[d.key][1].id for d in eligible}
        return {"today": today.isoformat(), "eligible": [row(d) for d in eligible],
                "refused": [row(d) for d in due_or_held],
                "not_due": sum(1 for d in refused if d.reason.startswith("срок хранения не истёк")),
                "backup_sets": _backup_decisions(uow, today, going)}


def _covered(uow: UnitOfWork, backup: BackupSet) -> list[DocumentRecord]:
    """The documents a backup set holds: its year's documents of its periods (a monthly copy
    holds the year's class journal copies)."""
    if backup.periods.startswith("месяц"):
        return uow.documents.of_year(backup.academic_year, kind="class_journal")
    return uow.documents.of_year(backup.academic_year, period_codes=backup.periods.split(","))


def _unfinished(uow: UnitOfWork) -> set[int]:
    """Documents whose destruction has begun and not yet ended (their files may still be there)."""
    return uow.disposal.unfinished_documents()


def _backup_decisions(uow: UnitOfWork, today: dt.date, going: set[int]) -> list[dict]:
    """Which backup sets may leave their media today, if the documents `going` were destroyed too."""
    out = []
    unfinished = _unfinished(uow)
    for backup in uow.backups.all():
        if backup.destroyed_by_act:
            continue
        remaining = [f"{d.class_name} {d.period_code}" for d in _covered(uow, backup)
                     if (d.destroyed_by_act is None or d.id in unfinished) and d.id not in going]
        decision = backup_set_may_go(backup.retain_until, today, remaining)
        out.append({"set_id": backup.set_id, "retain_until": backup.retain_until.isoformat(),
                    "may_go": decision.eligible, "reason": decision.reason})
    return out


def _act(uow: UnitOfWork, key: str) -> DisposalAct:
    year, number = _parse_key(key)
    act = uow.disposal.get(year, number)
    if act is None:
        raise NotFoundError(f"акт № {key} не найден")
    return act


def _items(uow: UnitOfWork, act: DisposalAct) -> list[DisposalActItem]:
    return uow.disposal.items(act)


def act_summary(uow: UnitOfWork, key: str) -> dict:
    with uow:
        act = _act(uow, key)
        return _summary(uow, act)


def _status_text(act: DisposalAct, items: list[DisposalActItem]) -> str:
    """The act's state in words; an approved act carried out in part says how far it got."""
    done = sum(1 for i in items if i.destroyed_at is not None)
    begun = sum(1 for i in items if i.destruction_started_at is not None)
    if act.status != "approved" or not begun:
        return STATUS[act.status]
    unfinished = begun - done
    return (f"{STATUS[act.status]}; исполнен не полностью: уничтожено дел {done} из {len(items)}"
            + (f", уничтожение начато и не завершено: {unfinished}" if unfinished else "")
            + " — исполните акт ещё раз")


def _summary(uow: UnitOfWork, act: DisposalAct) -> dict:
    items = _items(uow, act)
    return {"act": _key(act.year, act.number), "status": act.status, "status_text": _status_text(act, items),
            "composed_on": act.composed_on.isoformat(), "composed_by": act.composed_by,
            "approved_on": act.approved_on.isoformat() if act.approved_on else None, "approved_by": act.approved_by,
            "executed_at": act.executed_at.isoformat() if act.executed_at else None, "executed_by": act.executed_by,
            "items": [{**i.evidence["row"], "destroyed_at": i.destroyed_at.isoformat() if i.destroyed_at else None,
                       "destruction_started_at": (i.destruction_started_at.isoformat()
                                                  if i.destruction_started_at else None),
                       "destroyed": {k: v for k, v in i.evidence.items() if k != "row"}} for i in items],
            "backup_sets": [{"set_id": b.set_id, "retain_until": b.retain_until.isoformat()}
                            for b in uow.backups.destroyed_by(_key(act.year, act.number))],
            "sha256": act.sha256}


def list_acts(uow: UnitOfWork) -> list[dict]:
    with uow:
        return [_summary(uow, act) for act in uow.disposal.all()]


def compose_act(uow: UnitOfWork, store: ContentStore, templates_dir, *, clock: Clock, actor: Actor) -> dict:
    """Compose the act from everything eligible today (the clock's); proposed until the director approves it."""
    today, now = clock.today(), clock.now()
    schedule = rules(uow)
    with uow:
        uow.disposal.lock()  # two secretaries must not list the same files twice
        holds, acts = _holds(uow), _open_acts(uow)
        pairs = {_key(e.year, e.number): (e, d) for e, d in _entries(uow)}
        eligible, _ = select_due([_candidate(e, holds, acts) for e, _ in pairs.values()], today)
        if not eligible:
            raise ArchiveError(f"на {today:%d.%m.%Y} нет документов, срок хранения которых истёк "
                               "и которые можно уничтожить (см. retention dispose — пробный прогон)")
        act = DisposalAct(year=today.year, number=uow.disposal.next_number(today.year), composed_on=today,
                          composed_by=actor.person, status="proposed")
        uow.disposal.add(act)
        for position, decision in enumerate(eligible, 1):
            entry, doc = pairs[decision.key]
            rule = schedule[doc.kind]
            uow.disposal.add_item(DisposalActItem(act_id=act.id, entry_id=entry.id, position=position,
                                                  evidence={"row": _describe(entry, doc, rule.years, rule.basis)}))
        act.sha256 = store.put(_render(uow, templates_dir, act, now))
        uow.audit.append(at=now, actor=actor.person, action="disposal.act_composed", object_type="disposal_act",
                         object_id=_key(act.year, act.number),
                         details={"entries": [d.key for d in eligible], "sha256": act.sha256})
        crash_point("disposal.compose_uncommitted")
        uow.commit()
        return _summary(uow, act)


def approve_act(uow: UnitOfWork, store: ContentStore, templates_dir, key: str, *, clock: Clock,
                actor: Actor) -> dict:
    """The director approves the act today (the clock's)."""
    on, now = clock.today(), clock.now()
    if not may(actor.role, "approve_disposal"):
        raise PermissionDenied("акт о выделении к уничтожению утверждает только директор")
    with uow:
        act = _act(uow, key)
        if act.status != "proposed":
            raise ArchiveError(f"акт № {key} {STATUS[act.status]}: утвердить можно только составленный акт")
        act.status, act.approved_on, act.approved_by = "approved", on, actor.person
        act.sha256 = store.put(_render(uow, templates_dir, act, now))
        uow.audit.append(at=now, actor=actor.person, action="disposal.act_approved", object_type="disposal_act",
                         object_id=key, details={"sha256": act.sha256})
        uow.commit()
        return _summary(uow, act)


def _document_files(uow: UnitOfWork, document: DocumentRecord) -> list[str]:
    """Every stored file of a document: the rendered PDF, the signed one, each re-timestamped one."""
    files = [document.sha256]
    signature = uow.documents.signature_of(document.id)
    if signature is not None:
        files.append(signature.sha256)
        files += uow.documents.renewal_hashes(signature.id)
    return files


def execute_act(uow: UnitOfWork, store: ContentStore, templates_dir, media: list[Medium], key: str, *,
                clock: Clock, actor: Actor) -> dict:
    """Carry out an approved act today (the clock's); safe to run again after a crash (it finishes
    what is left). `blocked` and `left_sets` say what could not be done and why."""
    today, now = clock.today(), clock.now()
    with uow:
        act = _act(uow, key)
        if act.status == "proposed":
            raise ArchiveError(f"акт № {key} ещё не утверждён директором: уничтожать нельзя")
        if act.status == "executed":
            return {**_summary(uow, act), "blocked": [], "deleted_sets": [], "left_sets": []}
        item_ids = [i.id for i in _items(uow, act)]
    blocked = []
    for item_id in item_ids:
        outcome = _destroy_item(uow, store, key, item_id, today=today, actor=actor, now=now)
        if outcome:
            blocked.append(outcome)
    with uow:
        going = [row["set_id"] for row in _backup_decisions(uow, today, going=set()) if row["may_go"]]
    deleted_sets, left_sets = delete_sets(uow, media, going, key, today=today, person=actor.person,
                                          role=ROLES.get(actor.role, actor.role), now=now)
    with uow:
        act = _act(uow, key)
        if not blocked and not left_sets and all(i.destroyed_at is not None for i in _items(uow, act)):
            act.status, act.executed_at, act.executed_by = "executed", now, actor.person
            act.sha256 = store.put(_render(uow, templates_dir, act, now))
            uow.audit.append(at=now, actor=actor.person, action="disposal.act_executed", object_type="disposal_act",
                             object_id=key, details={"sha256": act.sha256, "backup_sets": deleted_sets})
        else:
            uow.audit.append(at=now, actor=actor.person, action="disposal.act_incomplete", object_type="disposal_act",
                             object_id=key, details={"blocked": blocked, "backup_sets": deleted_sets,
                                                     "backup_sets_left": left_sets})
        crash_point("disposal.act_uncommitted")
        uow.commit()
        return {**_summary(uow, act), "blocked": blocked, "deleted_sets": deleted_sets, "left_sets": left_sets}


def _destroy_item(uow: UnitOfWork, store: ContentStore, key: str, item_id: int, *, today: dt.date, actor: Actor,
                  now: dt.datetime) -> dict | None:
    """Destroy one listed file, or say why not now; None when it is (or already was) destroyed."""
    with uow:
        item = uow.disposal.item(item_id)
        if item.destroyed_at is not None:
            return None
        # the entry's row lock orders this against `register.place_hold` (SQLite: BEGIN IMMEDIATE)
        entry = uow.register.by_id(item.entry_id, lock=True)
        document = uow.documents.get(entry.document_id)
        if item.destruction_started_at is None:
            decision = decide(_candidate(entry, _holds(uow), _open_acts(uow)), today, act=key)
            if not decision.eligible:
                return {"register": decision.key, "reason": decision.reason}
            files = _document_files(uow, document)
            item.destruction_started_at = now
            item.evidence = {**item.evidence, "files": files}
            entry.status = "destroyed"
            document.destroyed_by_act = key
            uow.audit.append(at=now, actor=actor.person, action="disposal.destruction_started",
                             object_type="register_entry", object_id=_key(entry.year, entry.number),
                             details={"act": key, "document": document.document_id, "files": files})
            uow.commit()
        files = list(item.evidence["files"])
        register_key = _key(entry.year, entry.number)
    crash_point("disposal.item_started")
    removed = []
    try:
        for digest in files:
            if store.delete(digest):  # a re-run finds them gone: no-op
                removed.append(digest)
            crash_point("disposal.file_deleted")
        left = [digest for digest in files if store.exists(digest)]
    except (OSError, StorageError):
        left = files
    if left:
        return {"register": register_key, "reason": "уничтожение начато, но файлы документа не удалось удалить из "
                                                    "хранилища; проверьте хранилище и исполните акт ещё раз"}
    with uow:
        item = uow.disposal.item(item_id)
        entry = uow.register.by_id(item.entry_id)
        document = uow.documents.get(entry.document_id)
        item.destroyed_at = now
        item.evidence = {**item.evidence, "removed_now": removed}
        uow.audit.append(at=now, actor=actor.person, action="disposal.destroyed", object_type="register_entry",
                         object_id=register_key, details={"act": key, "document": document.document_id,
                                                          "files": files})
        uow.commit()
    crash_point("disposal.item_destroyed")
    return None


def _render(uow: UnitOfWork, templates_dir, act: DisposalAct, now: dt.datetime) -> bytes:
    from archive_service.rendering.registers import disposal_act_pdf

    school, director = uow.snapshots.school()  # inside the caller's transaction
    return disposal_act_pdf(templates_dir, _summary(uow, act), school=school, director=director, moment=now)


def act_pdf(uow: UnitOfWork, store: ContentStore, key: str) -> bytes:
    with uow:
        return store.read(_act(uow, key).sha256)
