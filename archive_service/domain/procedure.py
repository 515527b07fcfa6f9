"""The 5-day end-of-period procedure — the one home of its steps and deadlines.

Reference 000 §4 names the day of the holidays by which each step is done; day N is the
period's last day plus N days. A step of a class is done when a person recorded it done (the
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

State = Literal["done", "late", "pending"]


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    """Short name for the column heading."""
    day: int
    """Day of the holidays by which the step is done (1 = the day after the period ends)."""
    hint: str
    """What exactly is done, in the words of the regulation."""
    manual: bool = True
    """Recorded by a person; False: only a fact the archive knows marks it done."""
    after: str = ""
    """The step that must be done for the class before this one may be recorded done."""


STEPS: tuple[Step, ...] = (
    Step("marks_checked", "Итоговые отметки проверены", 1,
         "Учителя-предметники проверили выставление итоговых отметок в электронном журнале"),
    Step("backups", "Резервные копии сданы директору", 2,
         "Резервные копии записаны на два носителя и сданы директору под подпись"),
    Step("copies_printed", "Копии напечатаны", 2,
         "Текущие и итоговые отметки напечатаны по классам и вынесены в учительскую на подпись"),
    Step("teachers_signed", "Учителя подписали листы", 3,
         "Учителя проверили бумажную копию и подписали все листы своего предмета с расшифровкой и датой"),
    Step("class_teacher_certified", "Классный руководитель заверил", 4,
         "Классный руководитель заверил титульный лист подписью и датой и сдал копию заместителю директора"),
    Step("deputy_certified", "Заместитель директора заверил", 5,
         "Заместитель директора заверил копию своей подписью"),
    Step("director_signed", "Директор подписал бумажные копии, печать", 5,
         "Директор подписал напечатанную и заверенную копию и заверил её печатью школы", after="copies_printed"),
    Step("director_e_signed", "Директор подписал электронной подписью", 5,
         "Директор подписал электронную копию квалифицированной электронной подписью (отмечается архивом "
         "по подписанному документу)", manual=False),
    Step("registered", "Сдано в реестр", 5,
         "Заверенная копия сдана в общий реестр, сформирована папка за период"),
)
STEP_CODES = {s.code: s for s in STEPS}
PROCEDURE_DAYS = max(s.day for s in STEPS)
"""How many days of the holidays the procedure takes (5)."""


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


@dataclass(frozen=True)
class PeriodBoard:
    academic_year: str
    period_code: str
    period_end: dt.date
    deadlines: dict[str, dt.date]
    classes: list[ClassRow] = field(default_factory=list)
    period_facts: dict[str, list[Fact]] = field(default_factory=dict)
    """Facts of the whole period (the backup set), shown once rather than in every class's cell."""

    def count(self, state: State) -> int:
        return sum(c.state == state for row in self.classes for c in row.cells)


def deadlines(period_end: dt.date) -> dict[str, dt.date]:
    """The last day of each step: day N of the holidays is the period's last day plus N days."""
    return {s.code: period_end + dt.timedelta(days=s.day) for s in STEPS}


def order_problem(step: Step, waiting: Sequence[str]) -> str | None:
    """Why `step` cannot be recorded done for the classes `waiting` (whose `step.after` is not
    done yet), in Russian; None when none waits."""
    if not (step.after and waiting):
        return None
    which = ", ".join(waiting)
    return (f"«{step.title}» нельзя отметить раньше шага «{STEP_CODES[step.after].title}»: он ещё не выполнен "
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


def cell(step: Step, record: Record | None, facts: Sequence[Fact], due: dt.date, today: dt.date, *,
         settled: bool = False, history: tuple[Fact, ...] = ()) -> Cell:
    """A class's step: done when recorded done, settled by a fact or `settled` (the backup set's
    hand-over); late once `today` is past its deadline `due`; pending before."""
    if settled or (record and record.done) or any(f.settles for f in facts):
        state: State = "done"
    else:
        state = "late" if today > due else "pending"
    return Cell(step, state, record, tuple(facts), history)
