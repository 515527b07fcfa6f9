"""Editing a school's copy of a procedure: each change a pure function `Procedure → Edited`.

`Edited` carries the changed procedure, checked (`procedures.check`), and what changed in Russian
for the audit («добавлен шаг «…»», «срок шага «…»: … → …»). Anything that would leave the
procedure unusable — an empty title, a deadline counted from a later step, a number of days out of
range, removing a step others depend on — raises `ProcedureError` with a Russian message, and the
caller saves nothing. Step codes never change: the records people made stay with their step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable, NamedTuple, get_args

from archive_service.domain.procedures import (
    COUNT_MOST,
    EVENTS,
    STEP_ROLES,
    UNITS,
    Deadline,
    Procedure,
    ProcedureError,
    Scope,
    Step,
    check,
    new_code,
)

SCOPES: dict[str, str] = {"period": "каждый период", "year_end": "только последний период учебного года"}
"""Where a step applies → its Russian words (the editor's choice list)."""
ADDED_SOURCE = "добавлен школой"


class Edited(NamedTuple):
    procedure: Procedure
    what: str
    """The change in Russian, for the audit and the page's message; empty: nothing changed."""


def rename_procedure(procedure: Procedure, title: str) -> Edited:
    title = title.strip()
    if not title:
        raise ProcedureError("название порядка не может быть пустым")
    changed = check(replace(procedure, title=title))
    return Edited(changed, f"название порядка: «{procedure.title}» → «{title}»")


def add_step(procedure: Procedure, title: str, role: str, *, performer: str = "", hint: str = "") -> Edited:
    """A new step at the end of the procedure, without a deadline (set it next)."""
    title = title.strip()
    if not title:
        raise ProcedureError("у нового шага должно быть название")
    step = Step(new_code(procedure), title, role, None, hint.strip(), performer.strip(), source=ADDED_SOURCE)
    changed = check(replace(procedure, steps=(*procedure.steps, step)))
    return Edited(changed, f"добавлен шаг «{title}»")


def remove_step(procedure: Procedure, code: str) -> Edited:
    """The procedure without the step; refused while another step follows it or counts its deadline from it."""
    step = procedure.step(code)
    dependents = [s.title for s in procedure.steps if code in (s.after, _counted_from(s))]
    if dependents:
        names = ", ".join(f"«{t}»" for t in dependents)
        raise ProcedureError(f"шаг «{step.title}» нельзя удалить: от него зависит {names} (выполняется после него "
                             "или считает от него срок) — сначала измените это")
    if len(procedure.steps) == 1:
        raise ProcedureError("нельзя удалить единственный шаг порядка")
    changed = check(replace(procedure, steps=tuple(s for s in procedure.steps if s.code != code)))
    return Edited(changed, f"удалён шаг «{step.title}»")


def move_step(procedure: Procedure, code: str, offset: int) -> Edited:
    """The step one place earlier (`offset` −1) or later (+1)."""
    step = procedure.step(code)
    steps = list(procedure.steps)
    at = steps.index(step)
    to = at + offset
    if offset not in (-1, 1) or not 0 <= to < len(steps):
        raise ProcedureError(f"шаг «{step.title}» уже {'первый' if offset < 0 else 'последний'}")
    other = steps[to]
    first, second = (step, other) if offset < 0 else (other, step)
    if first.after == second.code or _counted_from(first) == second.code:
        raise ProcedureError(f"шаг «{first.title}» не может стоять раньше шага «{second.title}»: он выполняется "
                             "после него или считает от него срок")
    steps[at], steps[to] = other, step
    changed = check(replace(procedure, steps=tuple(steps)))
    return Edited(changed, f"шаг «{step.title}» перемещён {'выше' if offset < 0 else 'ниже'}")


def edit_step(procedure: Procedure, code: str, *, title: str, hint: str, performer: str, role: str,
              deadline: Deadline | None, scope: str, grades: tuple[int, ...], after: str,
              paper: bool | None = None) -> Edited:
    """The step with every field the form changed (each change said in `what`, joined by «; »);
    `paper` None: the form did not show the paper mark."""
    current = procedure.step(code)
    edits: list[tuple[bool, Callable[[Procedure], tuple[Procedure, str]]]] = [
        (title.strip() != current.title, lambda p: rename_step(p, code, title)),
        ((hint.strip(), performer.strip()) != (current.hint, current.performer),
         lambda p: describe_step(p, code, hint, performer)),
        (role != current.role, lambda p: set_role(p, code, role)),
        ((scope, grades) != (current.scope, current.grades), lambda p: set_scope(p, code, scope, grades)),
        (after != current.after, lambda p: set_after(p, code, after)),
        (deadline != current.deadline, lambda p: set_deadline(p, code, deadline)),
        (paper is not None and paper != current.paper, lambda p: set_paper(p, code, bool(paper))),
    ]
    whats = []
    for changed, edit in edits:
        if changed:
            procedure, what = edit(procedure)
            whats.append(what)
    return Edited(procedure, "; ".join(whats))


def set_paper(procedure: Procedure, code: str, paper: bool) -> Edited:
    """Mark the step as needed only for the paper copy (a paperless school's board leaves it out)."""
    step = procedure.step(code)
    words = "нужен только для бумажной копии" if paper else "нужен и при электронном оригинале"
    return Edited(_with(procedure, code, paper=paper), f"шаг «{step.title}» {words}")


def rename_step(procedure: Procedure, code: str, title: str) -> Edited:
    step, title = procedure.step(code), title.strip()
    if not title:
        raise ProcedureError(f"у шага «{step.title}» должно быть название")
    return Edited(_with(procedure, code, title=title), f"название шага «{step.title}» → «{title}»")


def describe_step(procedure: Procedure, code: str, hint: str, performer: str) -> Edited:
    step, hint, performer = procedure.step(code), hint.strip(), performer.strip()
    whats = []
    if performer != step.performer:
        whats.append(f"кто выполняет шаг «{step.title}»: «{step.performer or 'не указано'}» → "
                     f"«{performer or 'не указано'}»")
    if hint != step.hint:
        whats.append(f"изменено описание шага «{step.title}»")
    return Edited(_with(procedure, code, hint=hint, performer=performer), "; ".join(whats))


def set_role(procedure: Procedure, code: str, role: str) -> Edited:
    step = procedure.step(code)
    if role not in STEP_ROLES:
        raise ProcedureError(f"шаг «{step.title}»: выберите, кто отвечает за шаг")
    return Edited(_with(procedure, code, role=role),
                  f"отвечает за шаг «{step.title}»: {STEP_ROLES[step.role]} → {STEP_ROLES[role]}")


def set_scope(procedure: Procedure, code: str, scope: str, grades: tuple[int, ...]) -> Edited:
    step = procedure.step(code)
    if scope not in get_args(Scope):
        raise ProcedureError(f"шаг «{step.title}»: выберите, к каким периодам он относится")
    changed = _with(procedure, code, scope=scope, grades=tuple(sorted(set(grades))))
    return Edited(changed, f"шаг «{step.title}» относится: {scope_words(step)} → "
                           f"{scope_words(changed.step(code))}")


def set_after(procedure: Procedure, code: str, after: str) -> Edited:
    step = procedure.step(code)
    if after == code:
        raise ProcedureError(f"шаг «{step.title}» не может выполняться после самого себя")
    if after and after not in procedure.codes:
        raise ProcedureError(f"шаг «{step.title}»: выберите шаг, после которого он выполняется")
    changed = _with(procedure, code, after=after)
    titles = {s.code: s.title for s in procedure.steps}
    before_words = f"после шага «{titles[step.after]}»" if step.after else "не ждёт другого шага"
    after_words = f"после шага «{titles[after]}»" if after else "не ждёт другого шага"
    return Edited(changed, f"шаг «{step.title}» выполняется: {before_words} → {after_words}")


def set_deadline(procedure: Procedure, code: str, deadline: Deadline | None) -> Edited:
    step = procedure.step(code)
    if deadline is not None and deadline.event == "step" and deadline.step == code:
        raise ProcedureError(f"шаг «{step.title}»: срок нельзя считать от срока самого шага")
    changed = _with(procedure, code, deadline=deadline)
    return Edited(changed, f"срок шага «{step.title}»: {procedure.deadline_words(step)} → "
                           f"{changed.deadline_words(changed.step(code))}")


def parse_deadline(event: str, count: str, unit: str, step: str = "") -> Deadline | None:
    """A deadline from the editor's fields (event «none»: no deadline); `ProcedureError` on bad input."""
    if event in ("", "none"):
        return None
    if event not in EVENTS or unit not in UNITS:
        raise ProcedureError("выберите, от чего считается срок и в каких днях")
    try:
        number = int(count.strip() or "0")
    except ValueError:
        raise ProcedureError(f"число дней — целое число от 0 до {COUNT_MOST}") from None
    if not 0 <= number <= COUNT_MOST:
        raise ProcedureError(f"число дней — от 0 до {COUNT_MOST}")
    if event == "step" and not step:
        raise ProcedureError("выберите шаг, от срока которого считается срок")
    return Deadline(event, number, unit, step if event == "step" else "")  # type: ignore[arg-type]


def parse_grades(text: str) -> tuple[int, ...]:
    """«9, 11» → (9, 11); empty: every class."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        grades = tuple(sorted({int(p) for p in parts}))
    except ValueError:
        raise ProcedureError("классы — числа от 1 до 11 через запятую, например «9, 11»") from None
    if any(not 1 <= g <= 11 for g in grades):
        raise ProcedureError("классы — числа от 1 до 11 через запятую, например «9, 11»")
    return grades


def parse_day(text: str) -> dt.date:
    """A date from the browser's date field («2027-06-28»)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ProcedureError("укажите дату полностью: день, месяц и год") from None


def scope_words(step: Step) -> str:
    """«каждый период, все классы», «только последний период учебного года, классы 9, 11»."""
    grades = f"классы {', '.join(str(g) for g in step.grades)}" if step.grades else "все классы"
    return f"{SCOPES.get(step.scope, step.scope)}, {grades}"


def _counted_from(step: Step) -> str:
    return step.deadline.step if step.deadline is not None and step.deadline.event == "step" else ""


def _with(procedure: Procedure, code: str, **changes: object) -> Procedure:
    steps = tuple(replace(s, **changes) if s.code == code else s for s in procedure.steps)  # type: ignore[arg-type]
    return check(replace(procedure, steps=steps))
