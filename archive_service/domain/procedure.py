"""The period board: each class × each step of the school's procedure, and its state.

The steps and their deadlines are the chosen procedure's (`domain/procedures.py`, the ready
ones in `ready_procedures.py`). A step of a class is done when a person recorded it done (the
newest record counts) or when a fact the archive knows settles it (the director's electronic
signature, the register entry, the backup set's hand-over); otherwise it is late once its day
has passed.

The director signs twice, and these are different steps: the electronic copy with the qualified
electronic signature (the archive knows it from the signed document: nobody records it), and
the printed copy on paper with the school's seal once it is printed and certified (a person
records it, and not before «Копии напечатаны»: `Step.after`, `order_problem`).

The service (`services/period_steps.py`) gathers records and facts from the database and builds
the board from these objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Sequence

from archive_service.domain.procedures import Procedure, Step
from archive_service.domain.ready_procedures import REF000

State = Literal["done", "late", "pending", "none"]
"""«none»: the step does not apply to the class (graduating classes only, say)."""


PROCEDURE_DAYS = max(s.deadline.count for s in REF000.steps if s.deadline and s.deadline.unit == "holiday")
"""How many days of the holidays the five-day procedure takes (5): the window of nightly pulls."""


@dataclass(frozen=True)
class Record:
    """What a person recorded for one class and step (the newest record counts)."""

    done: bool
    at: dt.datetime
    by: str
    note: str


@dataclass(frozen=True)
class Fact:
    """What the archive itself knows about a step, e.g. the electronic signature."""

    text: str
    at: dt.date | dt.datetime | None = None
    by: str = ""
    settles: bool = False
    """The fact alone makes the step done (a signature does; a rendered copy is not a printed one)."""


@dataclass(frozen=True)
class Cell:
    step: Step
    state: State
    record: Record | None = None
    facts: tuple[Fact, ...] = ()
    history: tuple[Fact, ...] = ()
    """What was done for a copy since replaced by a corrected one: shown, no longer counted."""


@dataclass(frozen=True)
class ClassRow:
    class_name: str
    grade: int
    students: int
    cells: list[Cell]
    document_id: str | None = None
    """The copy of the class's newest snapshot version, if made: the copy the steps are for."""
    signed: bool = False
    corrections: tuple[str, ...] = ()
    """Since a correction (a newer snapshot version after a copy was made): what changed and what
    became of the earlier copies; the steps start again for the new copy."""

    @property
    def done(self) -> int:
        return sum(c.state == "done" for c in self.cells)

    @property
    def applicable(self) -> int:
        return sum(c.state != "none" for c in self.cells)


@dataclass(frozen=True)
class PeriodBoard:
    academic_year: str
    period_code: str
    period_end: dt.date
    deadlines: dict[str, dt.date | None]
    procedure: Procedure
    steps: tuple[Step, ...]
    """The procedure's steps this period's board shows (year-end steps only on the year's last period)."""
    classes: list[ClassRow] = field(default_factory=list)
    period_facts: dict[str, list[Fact]] = field(default_factory=dict)
    """Facts of the whole period (the backup set), shown once rather than in every class's cell."""

    waiting: dict[str, str] = field(default_factory=dict)
    """step → why it has no date yet although it has a deadline (the state exam results not entered)."""

    def count(self, state: State) -> int:
        return sum(c.state == state for row in self.classes for c in row.cells)

    @property
    def late_steps(self) -> frozenset[str]:
        """The steps some class is late with (their deadline is shown as missed)."""
        return frozenset(c.step.code for row in self.classes for c in row.cells if c.state == "late")

    @property
    def cells(self) -> int:
        """How many steps the period has in all (those that apply to each class)."""
        return sum(row.applicable for row in self.classes)


def order_problem(step: Step, waiting: Sequence[str], titles: dict[str, str]) -> str | None:
    """Why `step` cannot be recorded done for the classes `waiting` (whose `step.after` is not
    done yet), in Russian; None when none waits."""
    if not (step.after and waiting):
        return None
    which = ", ".join(waiting)
    return (f"«{step.title}» нельзя отметить раньше шага «{titles.get(step.after, step.after)}»: он ещё не выполнен "
            f"({'класс' if len(waiting) == 1 else 'классы'} {which})")


def split_records(records: list[Record], since: dt.datetime | None) -> tuple[Record | None, list[Record]]:
    """(the newest record made for the current copy, the newest one made before `since`)."""
    current = [r for r in records if since is None or r.at >= since]
    before = [r for r in records if since is not None and r.at < since]
    return (current[-1] if current else None), before[-1:]


def record_history(records: list[Record]) -> list[Fact]:
    return [Fact(f"прежняя копия: {'выполнено' if r.done else 'отметка снята'}", r.at, r.by) for r in records]


def as_history(facts: list[Fact]) -> list[Fact]:
    return [Fact(f"прежняя копия: {f.text}", f.at, f.by) for f in facts]


def cell(step: Step, record: Record | None, facts: Sequence[Fact], due: dt.date | None, today: dt.date, *,
         settled: bool = False, history: tuple[Fact, ...] = ()) -> Cell:
    """A class's step: done when recorded done, settled by a fact or `settled` (the backup set's
    hand-over); late once `today` is past its deadline `due` (never without one); pending before."""
    if settled or (record and record.done) or any(f.settles for f in facts):
        state: State = "done"
    else:
        state = "late" if due is not None and today > due else "pending"
    return Cell(step, state, record, tuple(facts), history)


def not_applicable(step: Step) -> Cell:
    return Cell(step, "none")
