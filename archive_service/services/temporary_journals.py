"""Temporary journals (reference 001 §3.1–3.2): the blank journal printed from a class's latest
snapshot, the record of each one issued, and when its data were moved back into the journal
system — due within 2 working days (by the production calendar) after access returned.

The command line and the deputy head's page call these; every issue and every record of a move
back is audited under the person's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive_service.adapters.orm import TemporaryJournal
from archive_service.adapters.production_calendar import CALENDAR
from archive_service.domain.actor import Actor, printed_name
from archive_service.domain.temporary_journal import (
    DayOffCalendar,
    default_restoration,
    move_back_deadline,
    move_back_state,
    range_problem,
)
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.rendering.temporary_journal import TemporaryJournalFacts, temporary_journal_pdf
from archive_service.services.audit_trail import record, record_request
from archive_service.services.ingest import load_snapshot
from archive_service.services.rows import Row
from archive_service.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TemporaryJournalRow(Row):
    """A temporary journal issued, as the page and `--json` show it (dates as ГГГГ-ММ-ДД)."""

    id: int
    academic_year: str
    class_name: str
    date_from: str
    date_to: str
    made_by: str
    made_at: str
    restored_on: str | None
    deadline: str
    moved_back_on: str | None
    moved_back_by: str | None
    state: str  # moved | due | overdue
    state_words: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "academic_year": self.academic_year, "class": self.class_name,
                "from": self.date_from, "to": self.date_to, "made_by": self.made_by, "made_at": self.made_at,
                "restored_on": self.restored_on, "deadline": self.deadline, "moved_back_on": self.moved_back_on,
                "moved_back_by": self.moved_back_by, "state": self.state, "state_words": self.state_words}


def _row(r: TemporaryJournal, today: dt.date, calendar: DayOffCalendar) -> TemporaryJournalRow:
    deadline = move_back_deadline(r.restored_on or default_restoration(r.date_to), calendar)
    state, words = move_back_state(deadline, r.moved_back_on, today)
    return TemporaryJournalRow(
        r.id, r.academic_year, r.class_name, r.date_from.isoformat(), r.date_to.isoformat(),
        printed_name(r.made_by), r.made_at.isoformat(), r.restored_on.isoformat() if r.restored_on else None,
        deadline.isoformat(), r.moved_back_on.isoformat() if r.moved_back_on else None,
        printed_name(r.moved_back_by) if r.moved_back_by else None, state, words)


def make_temporary_journal(uow: UnitOfWork, templates_dir: Path, class_name: str, start: dt.date, end: dt.date, *,
                           actor: Actor, now: dt.datetime, today: dt.date,
                           calendar: DayOffCalendar = CALENDAR) -> tuple[TemporaryJournalRow, bytes]:
    """Print the blank temporary journal of a class for the range and record it as issued.
    Raises `ArchiveError` for a bad range, `NotFoundError` when the archive has no snapshot of
    the class to take its lists and timetable from; then nothing is recorded."""
    class_name = class_name.strip().upper()
    problem = range_problem(start, end)
    if problem:
        raise ArchiveError(f"временный журнал не составлен: {problem}")
    with uow:
        stored = uow.temporary_journals.latest_snapshot(class_name, end)
        if stored is None:
            raise NotFoundError(f"в архиве нет снимка журнала {class_name} класса, начатого до "
                                f"{end:%d.%m.%Y}: списки класса и расписание взять неоткуда")
        snap = load_snapshot(stored)
        facts = TemporaryJournalFacts(start, end, printed_name(actor.person), today)
        pdf = temporary_journal_pdf(templates_dir, snap, facts, calendar, now)
        row = TemporaryJournal(academic_year=snap.academic_year, class_name=class_name, date_from=start, date_to=end,
                               snapshot_id=stored.id, made_by=actor.person, made_at=now)
        uow.temporary_journals.add(row)
        details = {"class": class_name, "from": start.isoformat(), "to": end.isoformat(), "snapshot": stored.id}
        record(uow.audit, actor, at=now, action="temporary_journal.issued", object_type="temporary_journal",
               object_id=str(row.id), details=details)
        record_request(uow.audit, actor, at=now, action="temporary_journal_issued",
                       object_type="temporary_journal", object_id=str(row.id))
        uow.commit()
        return _row(row, today, calendar), pdf


def list_temporary_journals(uow: UnitOfWork, today: dt.date,
                            calendar: DayOffCalendar = CALENDAR) -> list[TemporaryJournalRow]:
    """Every temporary journal issued, the newest range first, each with its move-back state."""
    with uow:
        return [_row(r, today, calendar) for r in uow.temporary_journals.all()]


def record_moved_back(uow: UnitOfWork, journal_id: int, moved_back_on: dt.date, *, restored_on: dt.date | None,
                      actor: Actor, now: dt.datetime, today: dt.date,
                      calendar: DayOffCalendar = CALENDAR) -> TemporaryJournalRow:
    """Record that the journal's data were moved back into the journal system on `moved_back_on`
    (and, if given, when access to the system returned). A date in the future, a move back before
    access returned or before the journal's first day is refused in Russian, nothing written."""
    with uow:
        row = uow.temporary_journals.get(journal_id)
        if row is None:
            raise NotFoundError(f"временный журнал № {journal_id} не найден")
        problem = _dates_problem(row, moved_back_on, restored_on, today)
        if problem:
            raise ArchiveError(f"перенос не записан: {problem}")
        before = row.moved_back_on.isoformat() if row.moved_back_on else None
        row.moved_back_on, row.moved_back_by, row.moved_back_at = moved_back_on, actor.person, now
        if restored_on is not None:
            row.restored_on = restored_on
        record(uow.audit, actor, at=now, action="temporary_journal.moved_back", object_type="temporary_journal",
               object_id=str(row.id), details={"class": row.class_name, "moved_back_on": moved_back_on.isoformat(),
                                               "restored_on": restored_on.isoformat() if restored_on else None,
                                               "before": before})
        record_request(uow.audit, actor, at=now, action="temporary_journal_moved_back",
                       object_type="temporary_journal", object_id=str(row.id))
        uow.commit()
        return _row(row, today, calendar)


def _dates_problem(row: TemporaryJournal, moved_back_on: dt.date, restored_on: dt.date | None,
                   today: dt.date) -> str | None:
    if moved_back_on > today:
        return f"дата переноса {moved_back_on:%d.%m.%Y} ещё не наступила"
    if moved_back_on < row.date_from:
        return f"дата переноса раньше начала временного журнала ({row.date_from:%d.%m.%Y})"
    if restored_on is not None and restored_on < row.date_from:
        return f"доступ не мог восстановиться раньше начала временного журнала ({row.date_from:%d.%m.%Y})"
    if restored_on is not None and moved_back_on < restored_on:
        return "данные не могли быть перенесены раньше, чем восстановился доступ к системе"
    return None
