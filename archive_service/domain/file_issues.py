"""Paper files lent out of the archive (выдача дел) and brought back: the return-by date, when a
file is overdue, and the history of a file's issues told in words.

None of the reference regulations (000–004) sets a term for issuing a file from the school's
archive, so the term is a setting (`ARCHIVE_ISSUE_WORKING_DAYS`, `ISSUE_WORKING_DAYS` by default):
the issue form proposes that many working days (Monday to Friday; public holidays are not known
to the archive) and the secretary may write another date. An issue is recorded with its return-by
date; a file out of the archive after that date is overdue («просрочен возврат»).

Names are written as the secretary typed them («Смирнов П. П., инспектор»: in a column «Кому
выдано», or after «Кому:»), and the verb before a name agrees with the person by a `NameForms`
(the application gives one backed by a morphological dictionary): «вернула Орлова Ольга
Олеговна», «записал Иванов Пётр Петрович», «вернул(а) Орлов О. О.» when the name does not tell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Protocol

from archive_service.domain.names import AS_WRITTEN, NameForms

ISSUE_WORKING_DAYS = 10
"""The default term of an issue, in working days (two school weeks)."""
LONGEST_ISSUE = dt.timedelta(days=366)
"""A return-by date at most a year after the issue: a file is lent, not given away."""


def fmt(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def working_days_after(day: dt.date, days: int) -> dt.date:
    """The date `days` working days (Monday to Friday) after `day`."""
    out, left = day, days
    while left > 0:
        out += dt.timedelta(days=1)
        if out.weekday() < 5:
            left -= 1
    return out


def return_by_problem(issued_on: dt.date, return_by: dt.date | None) -> str | None:
    """Why `return_by` cannot be an issue's return-by date, in Russian; None when it can."""
    if return_by is None:
        return "укажите, до какого числа дело должно вернуться в архив"
    if return_by < issued_on:
        return (f"срок возврата {fmt(return_by)} раньше даты выдачи {fmt(issued_on)}: "
                "дело возвращают в день выдачи или позже")
    if return_by - issued_on > LONGEST_ISSUE:
        return f"срок возврата {fmt(return_by)} дальше чем через год после выдачи {fmt(issued_on)}"
    return None


def return_problem(issued_on: dt.date, returned_on: dt.date) -> str | None:
    """Why a return cannot be dated `returned_on`, in Russian; None when it can."""
    if returned_on < issued_on:
        return f"дата возврата {fmt(returned_on)} раньше даты выдачи {fmt(issued_on)}"
    return None


class Movement(Protocol):
    """One stored step of a file: an issue or a return (`action`: «issued» or «returned»)."""

    @property
    def action(self) -> str: ...
    @property
    def person(self) -> str: ...
    @property
    def purpose(self) -> str: ...
    @property
    def on(self) -> dt.date: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def return_by(self) -> dt.date | None: ...


@dataclass(frozen=True)
class Loan:
    """One issue of a file and, once it came back, its return."""

    person: str
    """To whom, as the secretary wrote it: «Смирнов Пётр Петрович, инспектор»."""
    purpose: str
    issued_on: dt.date
    return_by: dt.date | None
    issue_recorded_by: str
    returned_on: dt.date | None = None
    returned_by: str = ""
    return_recorded_by: str = ""

    def overdue(self, today: dt.date) -> bool:
        """Still out of the archive after its return-by date."""
        return self.returned_on is None and self.return_by is not None and today > self.return_by

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.return_by).days if self.overdue(today) and self.return_by else 0


def loans(movements: Iterable[Movement]) -> list[Loan]:
    """A file's movements (oldest first) paired into its loans, oldest first: each return closes
    the issue before it."""
    out: list[Loan] = []
    for m in movements:
        if m.action == "issued":
            out.append(Loan(m.person, m.purpose, m.on, m.return_by, m.recorded_by))
        elif out and out[-1].returned_on is None:
            last = out[-1]
            out[-1] = Loan(last.person, last.purpose, last.issued_on, last.return_by, last.issue_recorded_by,
                           m.on, m.person, m.recorded_by)
    return out


def issue_note(person: str, purpose: str, issued_on: dt.date, return_by: dt.date | None, today: dt.date) -> str:
    """What the printed register notes beside «выдано» of a file out of the archive: «Смирнов П. П.,
    инспектор (проверка), с 01.03.2027, вернуть до 15.03.2027 — просрочен возврат»."""
    text = person + (f" ({purpose})" if purpose else "") + f", с {fmt(issued_on)}"
    if return_by is not None:
        text += f", вернуть до {fmt(return_by)}" + (" — просрочен возврат" if today > return_by else "")
    return text


def _name_and_rest(person: str) -> tuple[str, str]:
    """«Смирнов Пётр Петрович, инспектор» → («Смирнов Пётр Петрович», «инспектор»)."""
    name, _, rest = person.partition(",")
    return name.strip(), rest.strip()


def did(person: str, male: str, female: str, both: str, names: NameForms = AS_WRITTEN) -> str:
    """«вернула Орлова Ольга Олеговна»: the verb agrees with the person named."""
    name, rest = _name_and_rest(person)
    verb = names.gender(name).word(male, female, both)
    return f"{verb} {person}" if rest else f"{verb} {name}"


def recorded(person: str, names: NameForms = AS_WRITTEN) -> str:
    """«записала Секретарёва Ольга Ивановна»."""
    return did(person, "записал", "записала", "записал(а)", names)
