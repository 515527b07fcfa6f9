"""Reminders of the procedure's deadlines: which are due on a day, for one period's board.

A step with a deadline that some class it applies to has not done yet is reminded of twice: the
day before its deadline («завтра срок») and once it is missed («срок пропущен», from the day after
the deadline on: a day the schedule did not run is made up by the next run). Each reminder goes to
the people of the step's role; the archive keeps it once per school year, period, step and kind,
so running the rule again never makes a second one (`services.reminders`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from archive_service.domain.periods import period_title
from archive_service.domain.procedure import PeriodBoard
from archive_service.domain.procedures import Step

Kind = Literal["tomorrow", "missed"]
KIND_WORDS: dict[str, str] = {"tomorrow": "завтра срок", "missed": "срок пропущен"}
"""kind → what the reminder says, in Russian."""
NOT_DONE = ("pending", "late")
"""Cell states of a class that has not done the step (done and «not for this class» never remind)."""


@dataclass(frozen=True)
class Reminder:
    """A reminder due: the step, the classes that have not done it, its deadline and who answers for it."""

    academic_year: str
    period_code: str
    step: str
    kind: Kind
    role: str
    step_title: str
    classes: tuple[str, ...]
    deadline: dt.date
    due_on: dt.date
    """The day the reminder is for: the day before the deadline, or the day after it."""

    @property
    def period_words(self) -> str:
        return f"{period_title(self.period_code)} {self.academic_year} учебного года"

    @property
    def subject(self) -> str:
        """«Завтра срок: «Оценки проверены», II четверть 2026/2027 учебного года»."""
        return f"{KIND_WORDS[self.kind].capitalize()}: «{self.step_title}», {self.period_words}"

    @property
    def text(self) -> str:
        """What the board and the letter say."""
        when = f"{self.deadline:%d.%m.%Y}"
        head = (f"Завтра, {when}, срок шага «{self.step_title}»" if self.kind == "tomorrow"
                else f"Срок шага «{self.step_title}» пропущен: он истёк {when}")
        return f"{head} ({self.period_words}). Не выполнено в классах: {', '.join(self.classes)}."


MISSED_WITHIN = dt.timedelta(days=30)
"""A missed deadline is reminded of only while it is this recent: an archive installed mid-year, or
a schedule stopped for months, does not flood people with the year's old periods (their boards still
show every late step)."""


def kind_on(deadline: dt.date, today: dt.date) -> Kind | None:
    """Which reminder a deadline calls for today: the day before it, or a day after it (within
    `MISSED_WITHIN`: a day the schedule did not run is made up by the next run)."""
    if today == deadline - dt.timedelta(days=1):
        return "tomorrow"
    if deadline < today <= deadline + MISSED_WITHIN:
        return "missed"
    return None


def not_done(board: PeriodBoard, step: Step) -> tuple[str, ...]:
    """The classes the step applies to that have not done it, in the board's order."""
    return tuple(row.class_name for row in board.classes
                 for cell in row.cells if cell.step.code == step.code and cell.state in NOT_DONE)


def due_reminders(board: PeriodBoard, today: dt.date) -> list[Reminder]:
    """The reminders the board calls for today, step by step (steps without a deadline, or with
    no date yet, never remind; a step every class has done, or that is for no class, neither)."""
    due = []
    for step in board.steps:
        deadline = board.deadlines.get(step.code)
        kind = kind_on(deadline, today) if deadline is not None else None
        if deadline is None or kind is None:
            continue
        classes = not_done(board, step)
        if classes:
            on = deadline - dt.timedelta(days=1) if kind == "tomorrow" else deadline + dt.timedelta(days=1)
            due.append(Reminder(board.academic_year, board.period_code, step.code, kind, step.role, step.title,
                                classes, deadline, on))
    return due


def school_year_of(day: dt.date) -> str:
    """The school year a day belongs to: from 1 September to 31 August («2026/2027»)."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1}"
