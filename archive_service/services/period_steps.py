"""The board of the 5-day end-of-period procedure, class by class: who did what, when.

The steps, their deadlines and when a step counts as done are the domain's
(`domain/procedure.py`); this module reads the records and facts. People record the paper steps: each record is a new
`PeriodStep` row (the newest row of a class and step counts, so a mistaken record is undone by
a newer one) with its audit event. Where the archive itself knows a fact — the director's
electronic signature, the register number, a backup set of the period and its hand-over —
the board shows it beside the record, and a fact that settles the step marks it done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Sequence

from archive_service.adapters.orm import BackupSet, DocumentRecord, DocumentSignature, PeriodStep, SnapshotRecord
from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.actor import Actor
from archive_service.domain.periods import period_title
from archive_service.domain.roles import ROLES
from archive_service.domain.procedure import (
    ClassRow,
    Fact,
    PeriodBoard,
    Record,
    as_history,
    cell,
    not_applicable,
    order_problem,
    record_history,
    split_records,
)
from archive_service.domain.procedures import Dates, Procedure, Step, due_dates, waits_for_event
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import procedures, volumes
from archive_service.services.corrections import Replacement, replacements_of
from archive_service.services.unit_of_work import UnitOfWork
from archive_service.services.fields import checked
from archive_service.domain.fields import NOTE_MOST

BACKUP_FACTS = ("backup_accepted", "backup_verified", "monthly_backup")
"""What the archive knows of the period's backup sets: shown once in the step's heading, not per class."""


def period_board(uow: UnitOfWork, academic_year: str, period_code: str, today: dt.date) -> PeriodBoard:
    """Every class of the period (newest snapshot versions) × every step, with its state.

    The steps are for the copy made from the class's newest snapshot version. After a correction
    (a newer version stored when a copy of an older one existed) they start again: what was
    recorded before the correction arrived, and the signature and register entry of the earlier
    copy, stay visible as history of that copy and no longer count."""
    with uow:
        return _board(uow, academic_year, period_code, today)


@dataclass(frozen=True)
class _Year:
    """What every board of a school year reads alike; the list of periods reads it once a year, not once a
    period (it showed every period's board and read all of this again for each)."""

    procedure: Procedure
    gia_results: dt.date | None
    volume_facts: dict[tuple[str, str], list[Fact]]
    sets: Sequence[BackupSet]
    """the year's backup sets, oldest first"""


def _year(uow: UnitOfWork, academic_year: str) -> _Year:
    gia = uow.procedures.event_dates(academic_year).get("gia_results")  # as `procedures.dates_of` reads it
    return _Year(procedures.chosen(uow, academic_year).procedure, gia.on if gia else None,
                 volumes.volume_facts(uow, academic_year), uow.backups.of_year(academic_year))


def _board(uow: UnitOfWork, academic_year: str, period_code: str, today: dt.date,
           classes: Sequence[SnapshotRecord] | None = None, year: _Year | None = None) -> PeriodBoard:
    """`period_board` inside the caller's transaction; `classes` (the period's newest snapshot versions) and
    `year` when the caller has read them already."""
    if classes is None:
        classes = uow.snapshots.listing(academic_year, period_code, latest_only=True)
    if not classes:
        raise NotFoundError(f"нет сохранённых снимков журнала: {academic_year}, {period_title(period_code)}")
    year = year or _year(uow, academic_year)
    procedure = year.procedure
    end = max(r.period_end for r in classes)
    dates = Dates(end, academic_year, year.gia_results)
    steps = procedure.for_period(period_code)
    due = due_dates(procedure, period_code, dates, CALENDAR)
    known = _known(uow, academic_year, period_code, {r.class_name: r.id for r in classes}, dates, year)
    rows = [_row(r, period_code, steps, known, due, today) for r in classes]
    waiting = {s.code: why for s in steps if (why := waits_for_event(s, procedure, dates))}
    period_facts = {s.code: known.backup[s.fact] for s in steps if s.fact in BACKUP_FACTS}
    return PeriodBoard(academic_year, period_code, end, due, procedure, steps, rows, period_facts, waiting)


@dataclass(frozen=True)
class _Known:
    """What the archive holds of a period's classes: the records people made and the facts it knows."""

    records: dict[tuple[str, str], list[Record]]
    newest: dict[str, DocumentRecord]
    """The copy of each class's newest snapshot version."""
    earlier: dict[str, list[DocumentRecord]]
    """Copies of earlier versions (replaced after a correction)."""
    signed: dict[int, DocumentSignature]
    facts: dict[tuple[str, str], list[Fact]]
    old_facts: dict[tuple[str, str], list[Fact]]
    replaced: dict[int, Replacement]
    last_set: BackupSet | None
    backup: dict[str, list[Fact]]
    """fact kind (`BACKUP_FACTS`) → what the archive knows of the period's sets."""


def _known(uow: UnitOfWork, academic_year: str, period_code: str, latest: dict[str, int], dates: Dates,
           year: _Year) -> _Known:
    made = uow.documents.listing(academic_year, [period_code])  # oldest first
    newest = {d.class_name: d for d in sorted(made, key=lambda d: not d.draft)  # the newest final copy wins
              if d.snapshot_id == latest.get(d.class_name)}
    earlier: dict[str, list[DocumentRecord]] = {}
    for d in made:
        if d.class_name in latest and d.snapshot_id != latest[d.class_name]:
            earlier.setdefault(d.class_name, []).append(d)
    old = [d for docs in earlier.values() for d in docs]
    signed = uow.documents.signatures([d.id for d in made])
    last_set = _newest_set(year.sets, period_code)
    return _Known(_records(uow, academic_year, period_code), newest, earlier, signed,
                  _document_facts(uow, newest, signed) | year.volume_facts,
                  _document_facts(uow, {d.document_id: d for d in old}, signed),
                  replacements_of(uow, [d.id for d in old]), last_set,
                  _backup_facts(last_set, _monthly_set(year.sets, dates.month_end)))


def _row(r: SnapshotRecord, period_code: str, steps: tuple[Step, ...], known: _Known,
         due: dict[str, dt.date | None], today: dt.date) -> ClassRow:
    """A class's row: each step's state for the copy of its newest snapshot version."""
    doc, old = known.newest.get(r.class_name), known.earlier.get(r.class_name, [])
    since = r.ingested_at if old else None  # the correction arrived: the procedure starts again
    cells = []
    for step in steps:
        if not step.applies(period_code, r.grade):
            cells.append(not_applicable(step))
            continue
        history = [f for d in old for f in as_history(known.old_facts.get((d.document_id, step.fact), []))]
        now_record, before = split_records(known.records.get((r.class_name, step.code), []), since)
        cells.append(cell(step, now_record, _facts_of(step, known.facts.get((r.class_name, step.fact), [])),
                          due[step.code], today, settled=_settled(step, known, doc, since),
                          history=tuple(record_history(before)) + tuple(history)))
    return ClassRow(r.class_name, r.grade, r.student_count, cells, doc.document_id if doc else None,
                    doc is not None and doc.id in known.signed,
                    _corrections(r, doc, old, known.replaced) if old else ())


def _facts_of(step: Step, facts: list[Fact]) -> list[Fact]:
    """The class's facts of the step's kind; they settle the step only where the procedure says so."""
    return facts if step.fact_settles else [replace(f, settles=False) for f in facts]


def _settled(step: Step, known: _Known, doc: DocumentRecord | None, since: dt.datetime | None) -> bool:
    """A backup step is settled by the period's sets (per period, not per class)."""
    if step.fact not in BACKUP_FACTS or not step.fact_settles:
        return False
    if step.fact == "monthly_backup":
        return any(f.settles for f in known.backup["monthly_backup"])
    return _backed_up(known.backup[step.fact], known.last_set, doc, since)


def _corrections(snapshot, doc: DocumentRecord | None, old: list[DocumentRecord],
                 replaced: dict[int, Replacement]) -> tuple[str, ...]:
    head = (f"журнал исправлен: версия снимка {snapshot.version}, причина: {snapshot.reason or 'не указана'}; "
            + ("шаги выполняются заново для новой копии" if doc else
               "новая копия ещё не изготовлена — изготовьте копии, шаги выполняются заново для неё"))
    return (head, *(f"прежняя копия {replaced[d.id].text}" for d in old if d.id in replaced))


def _records(uow: UnitOfWork, academic_year: str, period_code: str) -> dict[tuple[str, str], list[Record]]:
    """(class, step) → its records, oldest first (the newest counts)."""
    out: dict[tuple[str, str], list[Record]] = {}
    for r in uow.steps.of_period(academic_year, period_code):
        out.setdefault((r.class_name, r.step), []).append(Record(r.done, r.at, r.by, r.note))
    return out


def _document_facts(uow: UnitOfWork, newest: dict[str, DocumentRecord],
                    signed: dict[int, DocumentSignature]) -> dict[tuple[str, str], list[Fact]]:
    """The copy made, the director's electronic signature and the register entry of each copy
    (keyed as `newest` is: by class, or by document id for earlier copies)."""
    registered = uow.register.of_documents(d.id for d in newest.values())
    facts: dict[tuple[str, str], list[Fact]] = {}
    for name, doc in newest.items():
        made = f"черновик ({doc.sheets} л.): период не завершён" if doc.draft else f"копия готова ({doc.sheets} л.)"
        facts[(name, "copy")] = [Fact(made, doc.created_at, settles=not doc.draft)]
        if (sig := signed.get(doc.id)) is not None:
            facts[(name, "e_signature")] = [Fact("подписано электронной подписью", sig.signed_at,
                                                 sig.signed_by, settles=True)]
        if (entry := registered.get(doc.id)) is not None:
            facts[(name, "register")] = [Fact(f"в реестре № {entry.number} за {entry.year} г.",
                                                entry.registered_on, entry.accepted_by, settles=True)]
    return facts


def _backed_up(backup: list[Fact], last: BackupSet | None, doc: DocumentRecord | None,
               since: dt.datetime | None) -> bool:
    """The period's newest backup set is handed over; after a correction it must also have been
    made once the new copy existed, to carry it (older sets keep the replaced copy)."""
    confirmed = any(f.settles for f in backup)
    if since is None:
        return confirmed
    return confirmed and last is not None and doc is not None and last.created_at >= doc.created_at


def _period_sets(year_sets: Sequence[BackupSet], period_code: str) -> list[BackupSet]:
    """The backup sets holding this period, oldest first (monthly sets are not period sets)."""
    return [b for b in year_sets if period_code in b.periods.split(",")]


def _newest_set(year_sets: Sequence[BackupSet], period_code: str) -> BackupSet | None:
    sets = [b for b in _period_sets(year_sets, period_code) if b.complete and not b.destroyed_by_act]
    return sets[-1] if sets else None


def _monthly_set(year_sets: Sequence[BackupSet], month_end: dt.date) -> BackupSet | None:
    """The complete monthly copy of the month the period ends in (reference 004 § 3.11), if made."""
    label = f"месяц {month_end:%Y-%m}"
    sets = [b for b in year_sets if b.periods == label and b.complete]
    return sets[-1] if sets else None


def _backup_facts(last: BackupSet | None, monthly: BackupSet | None) -> dict[str, list[Fact]]:
    """The newest complete backup set of the period — verified on its media, and whether the
    director confirmed receiving it — and the monthly copy of the period's last month."""
    out: dict[str, list[Fact]] = {kind: [] for kind in BACKUP_FACTS}
    if monthly is not None:
        out["monthly_backup"] = [Fact(f"ежемесячная копия записана на {len(monthly.copies)} носителях",
                                      monthly.created_at, monthly.created_by, settles=True)]
    if last is None:
        return out
    out["backup_verified"] = [Fact(f"записана и проверена на {len(last.copies)} носителях", last.created_at,
                                   last.created_by, settles=True)]
    made = replace(out["backup_verified"][0], settles=False)
    if last.handover_confirmed_at is None:
        out["backup_accepted"] = [made, Fact("директор ещё не подтвердил получение")]
    else:
        out["backup_accepted"] = [made, Fact("директор подтвердил получение", last.handover_confirmed_at,
                                             last.handover_confirmed_by or "", settles=True)]
    return out


@dataclass(frozen=True)
class PeriodSet:
    """A backup set of the period as its page shows it: copies and hand-over."""

    set_id: str
    complete: bool
    files: int
    size: int
    created_at: dt.datetime
    created_by: str
    copies: dict
    retain_until: dt.date
    destroyed_by_act: str | None
    handover_confirmed_at: dt.datetime | None
    handover_confirmed_by: str | None
    key_fingerprint: str | None = None


def period_backups(uow: UnitOfWork, academic_year: str, period_code: str) -> list[PeriodSet]:
    """The backup sets of the period, newest first, with their copies and hand-over."""
    with uow:
        return [PeriodSet(b.set_id, b.complete, b.files, b.size, b.created_at, b.created_by, b.copies,
                          b.retain_until, b.destroyed_by_act, b.handover_confirmed_at, b.handover_confirmed_by,
                          b.key_fingerprint)
                for b in reversed(_period_sets(uow.backups.of_year(academic_year), period_code))]


def record_step(uow: UnitOfWork, academic_year: str, period_code: str, step: str, class_names: Sequence[str], *,
                done: bool = True, note: str = "", actor: Actor, now: dt.datetime) -> int:
    """Append the record of a step of the year's procedure for the given classes (all of one
    transaction); returns how many. Refused, with nothing written: a step only the archive marks
    (the electronic signature), a step of someone else's role (the deputy head, who runs the board,
    may record any), a step that does not apply to a class, and a step recorded done before the step
    it follows (`Step.after`) is done for every class."""
    note = checked(note, "Примечание", most=NOTE_MOST, required=False, lines=True)
    with uow:
        procedure = procedures.chosen(uow, academic_year).procedure
        the_step = _recordable(procedure, period_code, step, actor)
        known = {r.class_name: r for r in uow.snapshots.listing(academic_year, period_code, latest_only=True)}
        unknown = sorted(set(class_names) - set(known))
        if unknown:
            raise NotFoundError(f"в периоде {academic_year}, {period_title(period_code)} нет классов: "
                                f"{', '.join(unknown)}")
        if not class_names:
            raise ArchiveError("не выбран ни один класс")
        if outside := sorted(n for n in set(class_names) if not the_step.applies(period_code, known[n].grade)):
            raise ArchiveError(f"«{the_step.title}» не относится к классам: {', '.join(outside)}")
        if done and the_step.after:
            _refuse_out_of_order(uow, academic_year, period_code, the_step, procedure, class_names, now.date())
        for name in sorted(set(class_names)):
            uow.steps.add(PeriodStep(academic_year=academic_year, period_code=period_code, class_name=name,
                                     step=step, done=done, at=now, by=actor.person, note=note))
            action = "period.step_recorded" if done else "period.step_undone"
            uow.audit.append(at=now, actor=actor.person, action=action,
                             object_type="period_step", object_id=f"{academic_year}:{period_code}:{name}:{step}",
                             origin=actor.origin, details={"step": the_step.title, "note": note})
        uow.commit()
    return len(set(class_names))


def step_title(uow: UnitOfWork, academic_year: str, code: str) -> str:
    """The name of a step of the year's procedure (the code itself if the procedure has no such step)."""
    with uow:
        steps = procedures.chosen(uow, academic_year).procedure.codes
    return steps[code].title if code in steps else code


MARKED_BY = {"copy": "изготовленной копии", "e_signature": "подписанному документу", "register": "записи в реестре",
             "backup_verified": "проверенной резервной копии", "backup_accepted": "подтверждению директора",
             "monthly_backup": "ежемесячной резервной копии"}
"""What the archive marks a step done by, in Russian («…отмечается архивом сам, по подписанному документу»)."""
RECORDS_ANY_STEP = frozenset({"deputy", "system"})
"""Roles that may record any step of the board (the deputy head runs it); others only their own."""


def _recordable(procedure: Procedure, period_code: str, code: str, actor: Actor) -> Step:
    steps = {s.code: s for s in procedure.for_period(period_code)}
    if code not in steps:
        raise ArchiveError(f"в порядке работы «{procedure.title}» за {period_title(period_code)} нет такого шага")
    step = steps[code]
    if not step.manual:
        raise ArchiveError(f"«{step.title}» отмечается архивом сам, по {MARKED_BY.get(step.fact, 'своим данным')}")
    if actor.role not in RECORDS_ANY_STEP and actor.role != step.role:
        who = ROLES.get(step.role, step.role) + ("" if step.role in RECORDS_ANY_STEP else " или заместитель директора")
        raise ArchiveError(f"«{step.title}» отмечает {who}")
    return step


def _refuse_out_of_order(uow: UnitOfWork, academic_year: str, period_code: str, step: Step, procedure: Procedure,
                         class_names: Sequence[str], today: dt.date) -> None:
    if step.after not in {s.code for s in procedure.for_period(period_code)}:
        return
    rows = {row.class_name: row for row in _board(uow, academic_year, period_code, today).classes}
    waiting = [name for name in sorted(set(class_names))
               if not any(c.step.code == step.after and c.state in ("done", "none") for c in rows[name].cells)]
    if problem := order_problem(step, waiting, {s.code: s.title for s in procedure.steps}):
        raise ArchiveError(problem)


@dataclass(frozen=True)
class PeriodProgress:
    """A stored period and how far its procedure is."""

    academic_year: str
    period: str
    period_end: dt.date
    classes: int
    students: int
    documents: int
    signed: int
    done: int
    late: int
    cells: int
    procedure: str
    """The title of the procedure the school follows in that year."""


def list_periods(uow: UnitOfWork, today: dt.date) -> list[PeriodProgress]:
    """Every school year and period with stored snapshots, newest first, with its progress."""
    with uow:  # one reading of the snapshots and of each year's facts for all the boards
        periods: dict[tuple[str, str], list[SnapshotRecord]] = {}
        for r in uow.snapshots.listing(latest_only=True):
            periods.setdefault((r.academic_year, r.period_code), []).append(r)
        years = {year: _year(uow, year) for year in {year for year, _code in periods}}
        boards = [_board(uow, year, code, today, classes, years[year]) for (year, code), classes in periods.items()]
    out = []
    for board in boards:
        out.append(PeriodProgress(board.academic_year, board.period_code, board.period_end, len(board.classes),
                                  sum(r.students for r in board.classes),
                                  sum(r.document_id is not None for r in board.classes),
                                  sum(r.signed for r in board.classes), board.count("done"), board.count("late"),
                                  board.cells, board.procedure.title))
    return sorted(out, key=lambda e: (e.academic_year, e.period_end, e.period), reverse=True)


def period_classes(uow: UnitOfWork, academic_year: str, period_code: str, step: str = "") -> list[str]:
    """The period's classes (those a step of the year's procedure applies to, when `step` is given)."""
    with uow:
        rows = uow.snapshots.listing(academic_year, period_code, latest_only=True)
        steps = procedures.chosen(uow, academic_year).procedure.codes if step else {}
        return [r.class_name for r in rows if step not in steps or steps[step].applies(period_code, r.grade)]
