"""A school's end-of-period procedure as data: its steps, who does each, what the archive knows
of it by itself, and each step's deadline counted from an event.

A `Procedure` is a named schedule of `Step`s. Each step has

* the role of the archive's account that answers for it (records it on the board, gets the
  reminders) and, in words, who does it at school («учителя-предметники», «администратор ЭЖ»);
* what the archive can tell by itself (`FACTS`: the copy made, the director's electronic
  signature, the register entry, a backup set verified on both media, its hand-over to the
  director, the monthly copy) and whether that fact alone makes the step done;
* a `Deadline` counted from an event — the period's last day, the state exam results (a date the
  school enters), 30 June of the school year, the end of the month the period ends in, or another
  step's deadline — in calendar days, days of the holidays or working days by the Russian
  production calendar (a `WorkCalendar`: the adapter `adapters/production_calendar.py` reads it
  from the maintained `holidays` library with its transferred days off); or no deadline where
  the regulation gives none;
* where it applies: every period or only the last period of the school year, every class or
  only some grades (graduating classes).

The ready procedures of the four regulations in `reference/` are in `ready_procedures.py`; a
school may keep an edited copy of one (`from_dict`/`as_dict`, checked by `check`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, Mapping, Protocol, Sequence, get_args

from archive_service.domain.periods import PERIOD_NUMBERS, KINDS
from archive_service.domain.roles import ROLES

Event = Literal["period_end", "step", "gia_results", "year_end", "month_end"]
Unit = Literal["holiday", "calendar", "working"]
Scope = Literal["period", "year_end"]
FactKind = Literal["", "copy", "e_signature", "register", "backup_verified", "backup_accepted", "monthly_backup",
                   "volume"]

EVENTS: dict[str, str] = {
    "period_end": "окончания периода",
    "step": "срока шага",
    "gia_results": "получения результатов ГИА",
    "year_end": "30 июня",
    "month_end": "конца месяца, в котором кончается период",
}
"""Event → its name after «после …» (Russian)."""
UNITS: dict[str, tuple[str, str, str]] = {
    "calendar": ("календарный день", "календарных дня", "календарных дней"),
    "working": ("рабочий день", "рабочих дня", "рабочих дней"),
    "holiday": ("день каникул", "дня каникул", "дней каникул"),
}
FACTS: dict[str, str] = {
    "": "нет: отмечает человек",
    "copy": "копия изготовлена",
    "e_signature": "подписано электронной подписью директора",
    "register": "запись в реестре",
    "backup_verified": "резервная копия записана и проверена на двух носителях",
    "backup_accepted": "директор подтвердил получение резервной копии",
    "monthly_backup": "ежемесячная резервная копия сделана",
    "volume": "том за учебный год изготовлен",
}
"""What the archive can tell by itself → its Russian name (the editor's choice list)."""
STEP_ROLES = {code: ROLES[code] for code in ("deputy", "director", "secretary")}
"""Roles a step may be given: the people who record steps (the administrator manages accounts)."""
TITLE_MOST, HINT_MOST, COUNT_MOST = 120, 500, 366
_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}")


class ProcedureError(ValueError):
    """A procedure that cannot be used, said in Russian."""


class WorkCalendar(Protocol):
    """The production calendar: which days are working days (weekends, public holidays and
    transferred days off are not; a Saturday made a working day by a transfer is)."""

    def is_working_day(self, day: dt.date) -> bool: ...


@dataclass(frozen=True)
class Deadline:
    event: Event
    count: int = 0
    unit: Unit = "calendar"
    step: str = ""
    """For `event == "step"`: the step whose deadline this one is counted from."""

    def words(self, titles: Mapping[str, str] | None = None) -> str:
        """«не позднее 5-го дня каникул», «3 рабочих дня после срока шага «…»», «до 30 июня»."""
        if self.event == "year_end" and not self.count:
            return "до 30 июня"
        if self.unit == "holiday":
            return f"{self.count}-й день каникул"
        after = EVENTS[self.event] if self.event != "step" else \
            f"срока шага «{(titles or {}).get(self.step, self.step)}»"
        if self.count == 0:
            return f"в день {after}"
        return f"{self.count} {_plural(self.count, UNITS[self.unit])} после {after}"


@dataclass(frozen=True)
class Step:
    code: str
    title: str
    """Short name for the column heading."""
    role: str
    """Code of the role that answers for the step on the board (`STEP_ROLES`)."""
    deadline: Deadline | None
    """None: the regulation gives no deadline (the step is never late)."""
    hint: str = ""
    """What exactly is done, in the words of the regulation."""
    performer: str = ""
    """Who does it at school, in words («учителя-предметники»); empty: the role's people."""
    fact: FactKind = ""
    fact_settles: bool = True
    """The fact alone makes the step done (a signature does; a copy made is not a printed one)."""
    manual: bool = True
    """A person records it; False: only the archive's fact marks it done."""
    after: str = ""
    """The step that must be done for the class before this one may be recorded done."""
    scope: Scope = "period"
    grades: tuple[int, ...] = ()
    """Only classes of these grades (empty: every class)."""
    source: str = ""
    """The regulation's section the step comes from («§ 4, 2-й день»)."""
    paper: bool = False
    """Only the paper copy needs it (printing, stitching, certifying paper, handing paper to the
    register): a paperless school's board leaves it out (`domain.paperless`)."""

    def applies(self, period_code: str, grade: int) -> bool:
        return (self.scope == "period" or is_year_end(period_code)) and (not self.grades or grade in self.grades)


@dataclass(frozen=True)
class Procedure:
    key: str
    title: str
    source: str
    """The regulation, in words, the procedure follows."""
    steps: tuple[Step, ...]
    based_on: str = ""
    """For a school's edited copy: the key of the ready procedure it was copied from."""
    note: str = ""

    def step(self, code: str) -> Step:
        for s in self.steps:
            if s.code == code:
                return s
        raise ProcedureError(f"в порядке «{self.title}» нет такого шага")

    @property
    def codes(self) -> dict[str, Step]:
        return {s.code: s for s in self.steps}

    def deadline_words(self, step: Step) -> str:
        """The step's deadline in words («3 рабочих дня после срока шага «…»», «срок не установлен»)."""
        if step.deadline is None:
            return "срок не установлен"
        return step.deadline.words({s.code: s.title for s in self.steps})

    def for_period(self, period_code: str) -> tuple[Step, ...]:
        """The steps the board of this period shows (year-end steps only on the year's last period)."""
        return tuple(s for s in self.steps if s.scope == "period" or is_year_end(period_code))


@dataclass(frozen=True)
class Dates:
    """The events a period's deadlines are counted from."""

    period_end: dt.date
    academic_year: str
    """«2026/2027»"""
    gia_results: dt.date | None = None
    """When the school received the state exam results (entered by the school; None: not yet)."""

    @property
    def year_end(self) -> dt.date:
        return dt.date(int(self.academic_year[-4:]), 6, 30)

    @property
    def month_end(self) -> dt.date:
        first_next = (self.period_end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first_next - dt.timedelta(days=1)


def is_year_end(period_code: str) -> bool:
    """The last period of a school year (IV четверть, II полугодие, III триместр, the year)."""
    if period_code == "year":
        return True
    kinds = {letter: kind for kind, (letter, _, _) in KINDS.items()}
    kind = kinds.get(period_code[:1])
    return kind is not None and period_code[1:] == str(PERIOD_NUMBERS[kind])


def working_days_after(day: dt.date, count: int, calendar: WorkCalendar) -> dt.date:
    """The `count`-th working day after `day` (0: `day` itself, or the next working day if it is not one)."""
    current = day
    if count == 0:
        while not calendar.is_working_day(current):
            current += dt.timedelta(days=1)
        return current
    while count:
        current += dt.timedelta(days=1)
        count -= calendar.is_working_day(current)
    return current


def due_dates(procedure: Procedure, period_code: str, dates: Dates,
              calendar: WorkCalendar) -> dict[str, dt.date | None]:
    """Each step's last day for this period (None: no deadline, or its event's date not known yet)."""
    out: dict[str, dt.date | None] = {}
    for step in procedure.for_period(period_code):
        out[step.code] = _due(step.deadline, dates, calendar, out) if step.deadline else None
    return out


def _due(deadline: Deadline, dates: Dates, calendar: WorkCalendar,
         known: Mapping[str, dt.date | None]) -> dt.date | None:
    events = {"period_end": dates.period_end, "gia_results": dates.gia_results, "year_end": dates.year_end,
              "month_end": dates.month_end}
    start = known.get(deadline.step) if deadline.event == "step" else events[deadline.event]
    if start is None:
        return None
    if deadline.unit == "working":
        return working_days_after(start, deadline.count, calendar)
    return start + dt.timedelta(days=deadline.count)


def waits_for_event(step: Step, procedure: Procedure, dates: Dates) -> str | None:
    """Why a step of this period has no date although it has a deadline, in Russian; None if it has one."""
    deadline = step.deadline
    while deadline is not None and deadline.event == "step":
        deadline = procedure.step(deadline.step).deadline
    if deadline is not None and deadline.event == "gia_results" and dates.gia_results is None:
        return "срок считается от даты результатов ГИА — внесите её"
    return None


def check(procedure: Procedure) -> Procedure:
    """The procedure as given, or `ProcedureError` saying in Russian what is wrong with it."""
    if not procedure.title.strip() or len(procedure.title) > TITLE_MOST:
        raise ProcedureError(f"название порядка — от 1 до {TITLE_MOST} знаков")
    if not procedure.steps:
        raise ProcedureError("в порядке нет ни одного шага")
    seen: dict[str, Step] = {}
    for step in procedure.steps:
        _check_step(step, seen)
        seen[step.code] = step
    return procedure


def _check_step(step: Step, before: Mapping[str, Step]) -> None:
    name = f"шаг «{step.title}»" if step.title.strip() else "шаг без названия"
    problems = [
        (not _CODE.fullmatch(step.code), f"{name}: внутреннее имя шага повреждено"),
        (step.code in before, f"{name}: такой шаг уже есть в порядке"),
        (not step.title.strip() or len(step.title) > TITLE_MOST, f"{name}: название — от 1 до {TITLE_MOST} знаков"),
        (len(step.hint) > HINT_MOST or len(step.performer) > TITLE_MOST, f"{name}: слишком длинное описание"),
        (step.role not in STEP_ROLES, f"{name}: выберите, кто отвечает за шаг"),
        (step.fact not in FACTS, f"{name}: неизвестно, что архив знает о шаге"),
        (not step.manual and not step.fact, f"{name}: шаг, который отмечает только архив, должен опираться на то, "
                                            "что архив знает сам"),
        (bool(step.after) and step.after not in before, f"{name}: шаг, после которого он выполняется, должен "
                                                        "стоять в порядке раньше"),
        (step.scope not in get_args(Scope), f"{name}: неизвестно, к каким периодам он относится"),
        (any(not 1 <= g <= 11 for g in step.grades), f"{name}: классы — от 1 до 11"),
    ]
    for wrong, message in problems:
        if wrong:
            raise ProcedureError(message)
    if step.deadline is not None:
        _check_deadline(name, step.deadline, before)


def _check_deadline(name: str, deadline: Deadline, before: Mapping[str, Step]) -> None:
    if deadline.event not in EVENTS or deadline.unit not in UNITS:
        raise ProcedureError(f"{name}: срок задан неверно")
    if not 0 <= deadline.count <= COUNT_MOST:
        raise ProcedureError(f"{name}: число дней — от 0 до {COUNT_MOST}")
    if deadline.unit == "holiday" and deadline.event != "period_end":
        raise ProcedureError(f"{name}: дни каникул считаются только от окончания периода")
    if deadline.event == "step" and deadline.step not in before:
        raise ProcedureError(f"{name}: срок можно считать только от шага, который стоит в порядке раньше")


def as_dict(procedure: Procedure) -> dict[str, Any]:
    """The procedure as plain data (kept as JSON for a school's edited copy)."""
    return asdict(procedure)


def from_dict(data: Mapping[str, Any]) -> Procedure:
    """A procedure from `as_dict`'s data, checked; `ProcedureError` on anything malformed."""
    try:
        steps = tuple(_step_from(s) for s in data["steps"])
        procedure = Procedure(str(data["key"]), str(data["title"]), str(data.get("source", "")), steps,
                              str(data.get("based_on", "")), str(data.get("note", "")))
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        if isinstance(err, ProcedureError):
            raise
        raise ProcedureError("порядок сохранён в неверном виде") from None
    return check(procedure)


def _step_from(data: Mapping[str, Any]) -> Step:
    raw = dict(data)
    deadline = raw.pop("deadline", None)
    raw["grades"] = tuple(int(g) for g in raw.get("grades", ()))
    step = Step(**raw, deadline=Deadline(**deadline) if deadline is not None else None)
    if not isinstance(step.title, str) or not isinstance(step.manual, bool):
        raise ProcedureError("порядок сохранён в неверном виде")
    return step


def edited(procedure: Procedure, **changes: object) -> Procedure:
    """A copy of the procedure with the given fields changed, checked."""
    return check(replace(procedure, **changes))  # type: ignore[arg-type]


def new_code(procedure: Procedure) -> str:
    """An internal name for a step a school adds («step_1», «step_2», …)."""
    taken = set(procedure.codes)
    return next(f"step_{n}" for n in range(1, len(taken) + 2) if f"step_{n}" not in taken)


def _plural(n: int, forms: Sequence[str]) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]

