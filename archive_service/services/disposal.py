"""Disposal of documents whose retention has ended: the act, the director's approval, destruction.

1. `plan` — the dry run: what an act may list today, what is refused and why, which backup
   sets could go once those documents are destroyed. Nothing changes (`disposal_plan.py`).
2. `ComposeAct` — the act (акт о выделении к уничтожению документов, не подлежащих хранению)
   under the next number of the year, its PDF kept in the content store. Status `proposed`.
3. `ApproveAct` — the director approves it (only the director). Status `approved`.
4. `ExecuteAct` — file by file: the rules are checked again (a hold placed after approval
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

Each of the three is a command: built with its inputs and the `Actor`, `validate()` raises an
`ArchiveError` in Russian having written nothing, `run()` validates again inside its own
transactions and does it; every audit event (and, for a person on the web pages, the request's)
is written in the transaction that makes the change. `compose_act`, `approve_act` and
`execute_act` are the same as functions.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from archive_service.adapters.orm import DisposalAct, DisposalActItem, DocumentRecord, RegisterEntry
from archive_service.domain.actor import Actor
from archive_service.domain.clock import Clock
from archive_service.domain.permissions import may, sole_role
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.services.audit_trail import record, record_request
from archive_service.services.disposal_plan import (
    KIND_YEARS_WORDS,
    STATUS,
    DisposalPlan,
    act_key,
    act_summary,
    backup_decisions,
    candidate,
    decisions,
    describe,
    find_act,
    list_acts,
    open_acts,
    plan,
    summary,
)
from archive_service.services.register import rules
from archive_service.services.set_disposal import delete_sets
from archive_service.services.unit_of_work import UnitOfWork
from retention import Decision, decide
from storage import ContentStore, Medium, StorageError
from storage.crash_points import crash_point

__all__ = ["APPROVING_ROLE", "KIND_YEARS_WORDS", "STATUS", "ApproveAct", "ComposeAct", "DisposalPlan", "ExecuteAct",
           "act_pdf",
           "act_summary", "approve_act", "compose_act", "download_act", "execute_act", "list_acts", "plan"]

APPROVING_ROLE = sole_role("approve_disposal")


class ComposeAct:
    """Compose the act from everything eligible today (the clock's); proposed until the director
    approves it. A command: `validate()` says in Russian why no act can be composed and writes
    nothing; `run()` checks again under the disposal lock and composes it."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, templates_dir: Path, *, clock: Clock, actor: Actor):
        self.uow, self.store, self.templates_dir, self.clock, self.actor = uow, store, templates_dir, clock, actor

    def validate(self) -> None:
        with self.uow:
            self._eligible(self.clock.today())

    def _eligible(self, today: dt.date) -> tuple[list[tuple[RegisterEntry, DocumentRecord]], list[Decision]]:
        pairs, eligible, _ = decisions(self.uow, today)
        if not eligible:
            raise ArchiveError(f"на {today:%d.%m.%Y} нет документов, срок хранения которых истёк "
                               "и которые можно уничтожить (см. retention dispose — пробный прогон)")
        return [pairs[d.key] for d in eligible], eligible

    def run(self) -> dict[str, Any]:
        self.validate()
        today, now, uow = self.clock.today(), self.clock.now(), self.uow
        schedule = rules(uow)
        with uow:
            uow.disposal.lock()  # two secretaries must not list the same files twice
            listed, eligible = self._eligible(today)
            act = DisposalAct(year=today.year, number=uow.disposal.next_number(today.year), composed_on=today,
                              composed_by=self.actor.person, status="proposed")
            uow.disposal.add(act)
            bounds = uow.register.period_bounds([doc.id for _, doc in listed])
            for position, (entry, doc) in enumerate(listed, 1):
                row = describe(entry, doc, schedule[doc.kind], bounds.get(doc.id))
                uow.disposal.add_item(DisposalActItem(act_id=act.id, entry_id=entry.id, position=position,
                                                      evidence={"row": row}))
            act.sha256 = self.store.put(_render(uow, self.templates_dir, act, now))
            key = act_key(act.year, act.number)
            record(uow.audit, self.actor, at=now, action="disposal.act_composed", object_type="disposal_act",
                   object_id=key, details={"entries": [d.key for d in eligible], "sha256": act.sha256})
            record_request(uow.audit, self.actor, at=now, action="disposal_act_composed",
                           object_type="disposal_act", object_id=key, entries=len(listed))
            crash_point("disposal.compose_uncommitted")
            uow.commit()
            return summary(uow, act)


class ApproveAct:
    """The director approves the act today (the clock's). A command: `validate()` refuses anyone
    but the director and an act that is not awaiting approval, writing nothing; `run()` approves."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, templates_dir: Path, key: str, *, clock: Clock,
                 actor: Actor):
        self.uow, self.store, self.templates_dir, self.key = uow, store, templates_dir, key
        self.clock, self.actor = clock, actor

    def validate(self) -> None:
        if not may(self.actor.role, "approve_disposal"):
            raise PermissionDenied("акт о выделении к уничтожению утверждает только директор")
        with self.uow:
            self._proposed()

    def _proposed(self) -> DisposalAct:
        act = find_act(self.uow, self.key)
        if act.status != "proposed":
            raise ArchiveError(f"акт № {self.key} {STATUS[act.status]}: утвердить можно только составленный акт")
        return act

    def run(self) -> dict[str, Any]:
        self.validate()
        on, now, uow = self.clock.today(), self.clock.now(), self.uow
        with uow:
            act = self._proposed()
            act.status, act.approved_on, act.approved_by = "approved", on, self.actor.person
            act.sha256 = self.store.put(_render(uow, self.templates_dir, act, now))
            record(uow.audit, self.actor, at=now, action="disposal.act_approved", object_type="disposal_act",
                   object_id=self.key, details={"sha256": act.sha256})
            record_request(uow.audit, self.actor, at=now, action="disposal_act_approved", object_type="disposal_act",
                           object_id=self.key)
            uow.commit()
            return summary(uow, act)


class ExecuteAct:
    """Carry out an approved act today (the clock's); safe to run again after a crash (it finishes
    what is left). The result's `blocked` and `left_sets` say what could not be done and why.
    A command: `validate()` refuses an act not yet approved, writing nothing; `run()` carries it out."""

    def __init__(self, uow: UnitOfWork, store: ContentStore, templates_dir: Path, media: list[Medium], key: str,
                 *, clock: Clock, actor: Actor):
        self.uow, self.store, self.templates_dir, self.media, self.key = uow, store, templates_dir, media, key
        self.clock, self.actor = clock, actor

    def validate(self) -> None:
        with self.uow:
            self._approved()

    def _approved(self) -> DisposalAct:
        act = find_act(self.uow, self.key)
        if act.status == "proposed":
            raise ArchiveError(f"акт № {self.key} ещё не утверждён директором: уничтожать нельзя")
        return act

    def run(self) -> dict[str, Any]:
        self.validate()
        today, now, uow = self.clock.today(), self.clock.now(), self.uow
        with uow:
            act = self._approved()
            if act.status == "executed":
                self._record_request(act, [], [], [], now)
                uow.commit()
                return {**summary(uow, act), "blocked": [], "deleted_sets": [], "left_sets": []}
            item_ids = [i.id for i in uow.disposal.items(act)]
        blocked = [outcome for item_id in item_ids
                   if (outcome := _destroy_item(uow, self.store, self.key, item_id, today=today, actor=self.actor,
                                                now=now))]
        with uow:
            going = [row["set_id"] for row in backup_decisions(uow, today, going=set()) if row["may_go"]]
        deleted_sets, left_sets = delete_sets(uow, self.media, going, self.key, today=today, actor=self.actor,
                                              now=now)
        return self._finish(blocked, deleted_sets, left_sets, now)

    def _finish(self, blocked: list[dict], deleted_sets: list[str], left_sets: list[dict],
                now: dt.datetime) -> dict[str, Any]:
        """The act executed when everything is gone, else recorded as carried out in part."""
        uow, key = self.uow, self.key
        with uow:
            act = find_act(uow, key)
            if not blocked and not left_sets and all(i.destroyed_at is not None for i in uow.disposal.items(act)):
                act.status, act.executed_at, act.executed_by = "executed", now, self.actor.person
                act.sha256 = self.store.put(_render(uow, self.templates_dir, act, now))
                record(uow.audit, self.actor, at=now, action="disposal.act_executed", object_type="disposal_act",
                       object_id=key, details={"sha256": act.sha256, "backup_sets": deleted_sets})
            else:
                record(uow.audit, self.actor, at=now, action="disposal.act_incomplete", object_type="disposal_act",
                       object_id=key, details={"blocked": blocked, "backup_sets": deleted_sets,
                                               "backup_sets_left": left_sets})
            self._record_request(act, blocked, deleted_sets, left_sets, now)
            crash_point("disposal.act_uncommitted")
            uow.commit()
            return {**summary(uow, act), "blocked": blocked, "deleted_sets": deleted_sets, "left_sets": left_sets}

    def _record_request(self, act: DisposalAct, blocked: list[dict], deleted_sets: list[str], left_sets: list[dict],
                        now: dt.datetime) -> None:
        destroyed = sum(1 for item in self.uow.disposal.items(act) if item.destroyed_at)
        record_request(self.uow.audit, self.actor, at=now, action="disposal_act_executed", object_type="disposal_act",
                       object_id=self.key, status=act.status, destroyed=destroyed,
                       blocked=[b["register"] for b in blocked], backup_sets=deleted_sets,
                       backup_sets_left=[left["set_id"] for left in left_sets])


def compose_act(uow: UnitOfWork, store: ContentStore, templates_dir: Path, *, clock: Clock,
                actor: Actor) -> dict[str, Any]:
    """Compose the act (see `ComposeAct`)."""
    return ComposeAct(uow, store, templates_dir, clock=clock, actor=actor).run()


def approve_act(uow: UnitOfWork, store: ContentStore, templates_dir: Path, key: str, *, clock: Clock,
                actor: Actor) -> dict[str, Any]:
    """Approve the act (see `ApproveAct`)."""
    return ApproveAct(uow, store, templates_dir, key, clock=clock, actor=actor).run()


def execute_act(uow: UnitOfWork, store: ContentStore, templates_dir: Path, media: list[Medium], key: str, *,
                clock: Clock, actor: Actor) -> dict[str, Any]:
    """Carry out the act (see `ExecuteAct`)."""
    return ExecuteAct(uow, store, templates_dir, media, key, clock=clock, actor=actor).run()


def _document_files(uow: UnitOfWork, document: DocumentRecord) -> list[str]:
    """Every stored file of a document: the rendered PDF, the signed one, each re-timestamped one."""
    files = [document.sha256]
    signature = uow.documents.signature_of(document.id)
    if signature is not None:
        files.append(signature.sha256)
        files += uow.documents.renewal_hashes(signature.id)
    return files


Listed = tuple[DisposalActItem, RegisterEntry, DocumentRecord]


def _listed(uow: UnitOfWork, item_id: int, *, lock: bool = False) -> Listed:
    """An item of the act with its register entry and document (the entry locked if asked)."""
    item = uow.disposal.item(item_id)
    entry = uow.register.by_id(item.entry_id, lock=lock) if item is not None else None
    document = uow.documents.get(entry.document_id) if entry is not None else None
    if item is None or entry is None or document is None:
        raise NotFoundError(f"в акте нет дела {item_id} или его записи в реестре")
    return item, entry, document


def _destroy_item(uow: UnitOfWork, store: ContentStore, key: str, item_id: int, *, today: dt.date, actor: Actor,
                  now: dt.datetime) -> dict | None:
    """Destroy one listed file, or say why not now; None when it is (or already was) destroyed."""
    with uow:
        # the entry's row lock orders this against `register.place_hold` (SQLite: BEGIN IMMEDIATE)
        item, entry, document = _listed(uow, item_id, lock=True)
        if item.destroyed_at is not None:
            return None
        if item.destruction_started_at is None:
            decision = decide(candidate(entry, uow.holds.active(), open_acts(uow)), today, act=key)
            if not decision.eligible:
                return {"register": decision.key, "reason": decision.reason}
            _mark_begun(uow, key, item, entry, document, actor=actor, now=now)
        files = list(item.evidence["files"])
        register_key = act_key(entry.year, entry.number)
    crash_point("disposal.item_started")
    removed = _remove(store, files)
    if removed is None:
        return {"register": register_key, "reason": "уничтожение начато, но файлы документа не удалось удалить из "
                                                    "хранилища; проверьте хранилище и исполните акт ещё раз"}
    with uow:
        item, entry, document = _listed(uow, item_id)
        item.destroyed_at = now
        item.evidence = {**item.evidence, "removed_now": removed}
        record(uow.audit, actor, at=now, action="disposal.destroyed", object_type="register_entry",
               object_id=register_key, details={"act": key, "document": document.document_id, "files": files})
        uow.commit()
    crash_point("disposal.item_destroyed")
    return None


def _mark_begun(uow: UnitOfWork, key: str, item: DisposalActItem, entry: RegisterEntry, document: DocumentRecord, *,
                actor: Actor, now: dt.datetime) -> None:
    """Commit the destruction begun before the first byte is deleted: from here on it is finished."""
    files = _document_files(uow, document)
    item.destruction_started_at = now
    item.evidence = {**item.evidence, "files": files}
    entry.status = "destroyed"
    document.destroyed_by_act = key
    record(uow.audit, actor, at=now, action="disposal.destruction_started", object_type="register_entry",
           object_id=act_key(entry.year, entry.number),
           details={"act": key, "document": document.document_id, "files": files})
    uow.commit()


def _remove(store: ContentStore, files: list[str]) -> list[str] | None:
    """Delete the files from the content store; the ones removed now, or None if any is still there."""
    removed = []
    try:
        for digest in files:
            if store.delete(digest):  # a re-run finds them gone: no-op
                removed.append(digest)
            crash_point("disposal.file_deleted")
        left = [digest for digest in files if store.exists(digest)]
    except (OSError, StorageError):
        return None
    return None if left else removed


def _render(uow: UnitOfWork, templates_dir: Path, act: DisposalAct, now: dt.datetime) -> bytes:
    from archive_service.rendering.registers import disposal_act_pdf

    school, director = uow.snapshots.school()  # inside the caller's transaction
    return disposal_act_pdf(templates_dir, summary(uow, act), school=school, director=director, moment=now)


def _stored(act: DisposalAct) -> str:
    if act.sha256 is None:
        raise NotFoundError(f"у акта № {act_key(act.year, act.number)} нет сохранённого файла")
    return act.sha256


def act_pdf(uow: UnitOfWork, store: ContentStore, key: str) -> bytes:
    with uow:
        return store.read(_stored(find_act(uow, key)))


def download_act(uow: UnitOfWork, store: ContentStore, key: str, *, actor: Actor, now: dt.datetime,
                 viewed: bool = False) -> bytes:
    """The act's PDF for a person; a download (or, `viewed`, an opening in the browser) through
    the web is recorded."""
    with uow:
        data = store.read(_stored(find_act(uow, key)))
        if viewed:
            record_request(uow.audit, actor, at=now, action="disposal_act_viewed", object_type="disposal_act",
                           object_id=key)
        else:
            record_request(uow.audit, actor, at=now, action="disposal_act_downloaded", object_type="disposal_act",
                           object_id=key, format="pdf")
        uow.commit()
        return data
