"""What a disposal act may list, and the acts as they stand: the reading side of disposal
(`services/disposal.py` composes, approves and carries the acts out).

`plan` is the dry run: the files whose retention has ended and which may be destroyed on a day,
the ones refused and why, the backup sets that could then leave their media. Nothing changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from archive_service.adapters.orm import BackupSet, DisposalAct, DisposalActItem, DocumentRecord, RegisterEntry
from archive_service.domain.periods import period_title
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services.register import Rule, rules
from archive_service.services.unit_of_work import UnitOfWork
from retention import Candidate, Decision, backup_set_may_go, select as select_due

STATUS = {"proposed": "составлен, ждёт утверждения директором", "approved": "утверждён директором",
          "executed": "исполнен: документы уничтожены"}
KIND_YEARS_WORDS = {"class_journal": "бумажная копия электронного классного журнала",
                    "summary_sheet": "сводная ведомость итоговых отметок"}
NOT_DUE = "срок хранения не истёк"


def act_key(year: int, number: int) -> str:
    """«N/YYYY», as acts and register entries are named."""
    return f"{number}/{year}"


def parse_key(key: str) -> tuple[int, int]:
    number, _, year = key.partition("/")
    if not (number.isdigit() and year.isdigit()):
        raise ArchiveError(f"номер акта указывается как N/ГГГГ, например 1/2033; указано: «{key}»")
    return int(year), int(number)


def open_acts(uow: UnitOfWork) -> dict[int, str]:
    """entry id → «N/YYYY» of a proposed or approved act listing it and not yet destroyed by it."""
    return {entry_id: act_key(year, number) for entry_id, (year, number) in uow.disposal.open_listings().items()}


def candidate(entry: RegisterEntry, holds: dict[int, str], acts: dict[int, str]) -> Candidate:
    return Candidate(act_key(entry.year, entry.number), entry.retention_end, entry.status,
                     holds.get(entry.id), acts.get(entry.id))


def describe(entry: RegisterEntry, document: DocumentRecord, rule: Rule,
             bounds: tuple[dt.date, dt.date] | None = None) -> dict[str, Any]:
    """A listed file as the act prints it; `bounds`: its extreme dates (the period's first and last day)."""
    dates = {"first_date": bounds[0].isoformat(), "last_date": bounds[1].isoformat()} if bounds else {}
    return {**dates, "register": act_key(entry.year, entry.number), "case_index": entry.case_index,
            "title": entry.title,
            "period": entry.period, "academic_year": document.academic_year, "sheets": entry.sheets,
            "retention_end": entry.retention_end.isoformat(), "years": rule.years, "basis": rule.basis,
            "document_id": document.document_id, "kind": document.kind,
            "place": "электронный документ" if entry.medium == "electronic" else
            f"{entry.room}, {entry.cabinet}, {entry.folder}"}


Pairs = dict[str, tuple[RegisterEntry, DocumentRecord]]


def decisions(uow: UnitOfWork, today: dt.date) -> tuple[Pairs, list[Decision], list[Decision]]:
    """Every register entry by «N/YYYY», and (eligible, refused) on `today` (inside the caller's transaction)."""
    holds, acts = uow.holds.active(), open_acts(uow)
    pairs = {act_key(e.year, e.number): (e, d) for e, d in uow.register.listing()}
    eligible, refused = select_due([candidate(e, holds, acts) for e, _ in pairs.values()], today)
    return pairs, eligible, refused


@dataclass(frozen=True)
class DisposalPlan:
    """The dry run of a day: the files an act may list (each as the act prints it), the due ones
    refused with the reason, how many are not due yet, and whether each backup set could then go."""

    today: str
    eligible: list[dict[str, Any]]
    refused: list[dict[str, Any]]
    not_due: int
    backup_sets: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan(uow: UnitOfWork, today: dt.date) -> DisposalPlan:
    """The dry run: eligible files, refused ones with reasons, backup sets that could then go."""
    schedule = rules(uow)
    with uow:
        pairs, eligible, refused = decisions(uow, today)
        due_or_held = [d for d in refused if not d.reason.startswith(NOT_DUE)]

        def row(decision: Decision) -> dict[str, Any]:
            entry, doc = pairs[decision.key]
            return {**describe(entry, doc, schedule[doc.kind]), "reason": decision.reason}

        going = {pairs[d.key][1].id for d in eligible}
        return DisposalPlan(today.isoformat(), [row(d) for d in eligible], [row(d) for d in due_or_held],
                            sum(1 for d in refused if d.reason.startswith(NOT_DUE)),
                            backup_decisions(uow, today, going))


def _covered(uow: UnitOfWork, backup: BackupSet) -> list[DocumentRecord]:
    """The documents a backup set holds: its year's documents of its periods (a monthly copy
    holds the year's class journal copies)."""
    if backup.periods.startswith("месяц"):
        return uow.documents.of_year(backup.academic_year, kind="class_journal")
    return uow.documents.of_year(backup.academic_year, period_codes=backup.periods.split(","))


def backup_decisions(uow: UnitOfWork, today: dt.date, going: set[int]) -> list[dict[str, Any]]:
    """Which backup sets may leave their media today, if the documents `going` were destroyed too."""
    out = []
    unfinished = uow.disposal.unfinished_documents()  # destruction begun: their files may still be there
    for backup in uow.backups.all():
        if backup.destroyed_by_act:
            continue
        remaining = [f"{d.class_name} ({period_title(d.period_code)})" for d in _covered(uow, backup)
                     if (d.destroyed_by_act is None or d.id in unfinished) and d.id not in going]
        decision = backup_set_may_go(backup.retain_until, today, remaining)
        out.append({"set_id": backup.set_id, "retain_until": backup.retain_until.isoformat(),
                    "may_go": decision.eligible, "reason": decision.reason})
    return out


def find_act(uow: UnitOfWork, key: str) -> DisposalAct:
    year, number = parse_key(key)
    act = uow.disposal.get(year, number)
    if act is None:
        raise NotFoundError(f"акт № {key} не найден")
    return act


def act_summary(uow: UnitOfWork, key: str) -> dict[str, Any]:
    with uow:
        return summary(uow, find_act(uow, key))


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


def _moment(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _item(item: DisposalActItem) -> dict[str, Any]:
    return {**item.evidence["row"], "destroyed_at": _moment(item.destroyed_at),
            "destruction_started_at": _moment(item.destruction_started_at),
            "destroyed": {k: v for k, v in item.evidence.items() if k != "row"}}


def summary(uow: UnitOfWork, act: DisposalAct) -> dict[str, Any]:
    """The act as pages, printouts and `--json` show it (inside the caller's transaction)."""
    items = uow.disposal.items(act)
    return {"act": act_key(act.year, act.number), "status": act.status, "status_text": _status_text(act, items),
            "composed_on": act.composed_on.isoformat(), "composed_by": act.composed_by,
            "approved_on": _moment(act.approved_on), "approved_by": act.approved_by,
            "executed_at": _moment(act.executed_at), "executed_by": act.executed_by,
            "items": [_item(i) for i in items],
            "backup_sets": [{"set_id": b.set_id, "retain_until": b.retain_until.isoformat()}
                            for b in uow.backups.destroyed_by(act_key(act.year, act.number))],
            "sha256": act.sha256}


def list_acts(uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow:
        return [summary(uow, act) for act in uow.disposal.all()]
