"""The school's procedure: which one each school year follows, the school's edited copies, and the
event dates the archive cannot know by itself — every change audited with the person's name.

The procedures themselves are data (`domain/procedures.py`, the ready ones in
`domain/ready_procedures.py`); the board (`period_steps`), the reminders and the deputy's
overview take the year's procedure from `chosen` and its dates from `dates_of`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from archive_service.adapters.orm import ProcedureChoice, ProcedureEventDate, SchoolProcedure, YearBinding
from archive_service.domain.actor import Actor
from archive_service.domain.paperless import without_paper
from archive_service.domain.procedure_edits import Edited
from archive_service.domain.procedures import Dates, Procedure, ProcedureError, as_dict, check, from_dict
from archive_service.domain.ready_procedures import DEFAULT_KEY, READY
from archive_service.domain.volumes import with_volume_steps
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services import originals
from archive_service.services.unit_of_work import UnitOfWork

EVENT_DATES = {"gia_results": "дата получения результатов ГИА"}
"""Event dates a person enters (the archive cannot know them), with their Russian names."""
COPY_PREFIX = "school_"
BINDINGS = {False: "каждый период — отдельное дело", True: "журнал за год — одним томом"}
"""How the paper copies of a year are bound, as people choose it (`set_binding`)."""


@dataclass(frozen=True)
class Choice:
    academic_year: str
    procedure: Procedure
    chosen_at: dt.datetime | None
    """None: nobody chose — the default procedure."""
    chosen_by: str
    binds_per_year: bool = False
    """The year's paper copies are bound as one volume per class (the board adds its steps)."""


def procedure_of(uow: UnitOfWork, key: str) -> Procedure:
    """A ready procedure or the school's copy, by key (inside the caller's transaction)."""
    if key in READY:
        return READY[key]
    row = uow.procedures.copy(key)
    if row is None:
        raise NotFoundError("нет такого порядка работы")
    try:
        return from_dict(row.data)
    except ProcedureError as err:
        raise ArchiveError(f"порядок «{row.title}» сохранён с ошибкой: {err}") from None


def chosen(uow: UnitOfWork, academic_year: str) -> Choice:
    """The procedure the school follows in the school year (the default one when nobody chose), with
    the steps of the year's volume when the year is bound per year (`set_binding`), without its paper
    steps when the year's archival original is electronic (`originals`)."""
    row = uow.procedures.choice(academic_year)
    per_year = binds_per_year(uow, academic_year)
    procedure = READY[DEFAULT_KEY] if row is None else procedure_of(uow, row.procedure_key)
    procedure = with_volume_steps(procedure) if per_year else procedure
    if originals.electronic(uow, academic_year):
        procedure = without_paper(procedure)
    if row is None:
        return Choice(academic_year, procedure, None, "", per_year)
    return Choice(academic_year, procedure, row.chosen_at, row.chosen_by, per_year)


def binds_per_year(uow: UnitOfWork, academic_year: str) -> bool:
    """Whether the school binds the year's paper copies as one volume per class (inside the caller's
    transaction); a year nobody set binds each period's copy as its own file."""
    row = uow.procedures.binding(academic_year)
    return row is not None and row.per_year


def set_binding(uow: UnitOfWork, academic_year: str, per_year: bool, *, actor: Actor, now: dt.datetime) -> None:
    """Bind the year's paper copies per period or as one volume per class from now on (audited)."""
    with uow:
        row = uow.procedures.binding(academic_year)
        before = row is not None and row.per_year
        if row is None:
            uow.procedures.add(YearBinding(academic_year=academic_year, per_year=per_year, set_at=now,
                                           set_by=actor.person))
        else:
            row.per_year, row.set_at, row.set_by = per_year, now, actor.person
        uow.audit.append(at=now, actor=actor.person, action="procedure.binding_set", object_type="procedure_choice",
                         object_id=academic_year, origin=actor.origin,
                         details={"binding": BINDINGS[per_year], "before": BINDINGS[before]})
        uow.commit()


def dates_of(uow: UnitOfWork, academic_year: str, period_end: dt.date) -> Dates:
    known = uow.procedures.event_dates(academic_year)
    gia = known.get("gia_results")
    return Dates(period_end, academic_year, gia.on if gia else None)


def available(uow: UnitOfWork) -> list[Procedure]:
    """The ready procedures, then the school's copies (oldest first)."""
    with uow:
        return [*READY.values(), *(procedure_of(uow, row.key) for row in uow.procedures.copies())]


def choose(uow: UnitOfWork, academic_year: str, key: str, *, actor: Actor, now: dt.datetime) -> Procedure:
    """The school follows the procedure `key` in the school year from now on (audited)."""
    with uow:
        procedure = procedure_of(uow, key)
        row = uow.procedures.choice(academic_year)
        before = row.procedure_key if row else DEFAULT_KEY
        if row is None:
            uow.procedures.add(ProcedureChoice(academic_year=academic_year, procedure_key=key, chosen_at=now,
                                               chosen_by=actor.person))
        else:
            row.procedure_key, row.chosen_at, row.chosen_by = key, now, actor.person
        uow.audit.append(at=now, actor=actor.person, action="procedure.chosen", object_type="procedure_choice",
                         object_id=academic_year, origin=actor.origin,
                         details={"procedure": procedure.title, "before": procedure_of(uow, before).title})
        uow.commit()
    return procedure


def copy_procedure(uow: UnitOfWork, key: str, title: str, *, actor: Actor, now: dt.datetime) -> Procedure:
    """A copy of a procedure (ready or the school's) the school may edit, under a title of its own."""
    with uow:
        source = procedure_of(uow, key)
        taken = {row.key for row in uow.procedures.copies()}
        new_key = next(f"{COPY_PREFIX}{n}" for n in range(1, len(taken) + 2) if f"{COPY_PREFIX}{n}" not in taken)
        copy = _checked(Procedure(new_key, title.strip(), source.source, source.steps,
                                  source.based_on or source.key, source.note))
        uow.procedures.add(SchoolProcedure(key=new_key, title=copy.title, based_on=copy.based_on, data=as_dict(copy),
                                           created_at=now, created_by=actor.person, changed_at=now,
                                           changed_by=actor.person))
        uow.audit.append(at=now, actor=actor.person, action="procedure.copied", object_type="procedure",
                         object_id=new_key, origin=actor.origin, details={"title": copy.title, "from": source.title})
        uow.commit()
    return copy


def save_copy(uow: UnitOfWork, procedure: Procedure, *, what: str, actor: Actor, now: dt.datetime) -> Procedure:
    """Replace the school's copy by its edited version, checked; `what` says the change in Russian
    for the audit («добавлен шаг «…»»). Ready procedures cannot be changed: copy one first."""
    if procedure.key in READY:
        raise ArchiveError("готовый порядок не изменяется: сделайте его копию и изменяйте её")
    checked = _checked(procedure)
    with uow:
        row = uow.procedures.copy(procedure.key)
        if row is None:
            raise NotFoundError("нет такого порядка работы")
        before = row.data
        row.title, row.data, row.changed_at, row.changed_by = checked.title, as_dict(checked), now, actor.person
        uow.audit.append(at=now, actor=actor.person, action="procedure.changed", object_type="procedure",
                         object_id=procedure.key, origin=actor.origin,
                         details={"title": checked.title, "change": what, "before": before,
                                  "after": as_dict(checked)})
        uow.commit()
    return checked


def set_event_date(uow: UnitOfWork, academic_year: str, event: str, on: dt.date, *, actor: Actor,
                   now: dt.datetime) -> None:
    """Enter a date deadlines count from that the archive cannot know (audited; a newer entry replaces)."""
    if event not in EVENT_DATES:
        raise ArchiveError("такую дату вносить не нужно")
    if school_year(on) != academic_year:
        raise ArchiveError(f"{EVENT_DATES[event]} должна быть в {academic_year} учебном году (с 1 сентября "
                           f"{academic_year[:4]} по 31 августа {academic_year[-4:]})")
    with uow:
        row = uow.procedures.event_dates(academic_year).get(event)
        before = row.on.isoformat() if row else None
        if row is None:
            uow.procedures.add(ProcedureEventDate(academic_year=academic_year, event=event, on=on, set_at=now,
                                                  set_by=actor.person))
        else:
            row.on, row.set_at, row.set_by = on, now, actor.person
        uow.audit.append(at=now, actor=actor.person, action="procedure.event_date", object_type="procedure_choice",
                         object_id=academic_year, origin=actor.origin,
                         details={"event": EVENT_DATES[event], "on": on.isoformat(), "before": before})
        uow.commit()


def _checked(procedure: Procedure) -> Procedure:
    try:
        return check(procedure)
    except ProcedureError as err:
        raise ArchiveError(str(err)) from None


def edit_copy(uow: UnitOfWork, key: str, change: Callable[[Procedure], Edited], *, actor: Actor,
              now: dt.datetime) -> Edited:
    """Apply one edit (`domain.procedure_edits`) to the school's copy `key` and save it, audited with
    the edit's `what`; a refused edit (`ProcedureError`) becomes an `ArchiveError`, nothing saved.
    An edit that changes nothing is not saved either (its `what` is empty)."""
    if key in READY:
        raise ArchiveError("готовый порядок не изменяется: сделайте его копию и изменяйте её")
    with uow:
        current = procedure_of(uow, key)
    try:
        result = change(current)
    except ProcedureError as err:
        raise ArchiveError(str(err)) from None
    if not result.what:
        return result
    return Edited(save_copy(uow, result.procedure, what=result.what, actor=actor, now=now), result.what)


def school_year(today: dt.date) -> str:
    """The school year a day belongs to («2026/2027» from 1 September 2026 to 31 August 2027)."""
    first = today.year if today.month >= 9 else today.year - 1
    return f"{first}/{first + 1}"


def year_choices(uow: UnitOfWork, today: dt.date) -> list[Choice]:
    """The procedure of each school year with stored snapshots and of the current one, newest first."""
    with uow:
        years = {r.academic_year for r in uow.snapshots.listing(latest_only=True)} | {school_year(today)}
        return [chosen(uow, year) for year in sorted(years, reverse=True)]


def event_date(uow: UnitOfWork, academic_year: str, event: str) -> dt.date | None:
    """The date a person entered for the event in the school year (None: not entered)."""
    with uow:
        row = uow.procedures.event_dates(academic_year).get(event)
        return row.on if row else None
