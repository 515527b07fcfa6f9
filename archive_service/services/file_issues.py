"""What the secretary reads of paper files lent out of the archive: a file's whole history of
issues and returns, and the files overdue. The rules (return-by dates, overdue, the words) are the
domain's (`domain/file_issues.py`); issuing and taking back is `register.move_file`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from archive_service.domain.file_issues import Loan, did, fmt, loans, recorded, working_days_after
from archive_service.errors import NotFoundError
from archive_service.rendering.names import RUSSIAN_NAMES
from archive_service.services.register import RegisterRow, entry_row
from archive_service.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LoanLine:
    """One issue of a file, as its page writes it."""

    person: str
    """To whom, as written: «Смирнов Пётр Петрович, инспектор»."""
    purpose: str
    issued_on: dt.date
    issue_recorded: str
    """«записала Секретарёва Ольга Ивановна»"""
    return_by: dt.date | None
    returned_on: dt.date | None
    returned: str
    """«вернул Смирнов Пётр Петрович; записала …», or «» while the file is out."""
    overdue: int
    """Days past the return-by date while the file is out; 0 otherwise."""


@dataclass(frozen=True)
class FileHistory:
    row: RegisterRow
    lines: list[LoanLine]
    """Oldest first."""


@dataclass(frozen=True)
class OverdueFile:
    year: int
    number: int
    title: str
    class_name: str
    person: str
    purpose: str
    issued_on: dt.date
    return_by: dt.date
    days: int


def line(loan: Loan, today: dt.date) -> LoanLine:
    returned = ""
    if loan.returned_on is not None:
        returned = (f"{did(loan.returned_by, 'вернул', 'вернула', 'вернул(а)', RUSSIAN_NAMES)}; "
                    f"{recorded(loan.return_recorded_by, RUSSIAN_NAMES)}")
    return LoanLine(loan.person, loan.purpose, loan.issued_on,
                    recorded(loan.issue_recorded_by, RUSSIAN_NAMES), loan.return_by, loan.returned_on, returned,
                    loan.days_overdue(today))


def history(uow: UnitOfWork, year: int, number: int, today: dt.date) -> FileHistory:
    """The register entry and every issue and return of its paper file, in order."""
    with uow:
        entry = uow.register.get(year, number)
        document = uow.documents.get(entry.document_id) if entry is not None else None
        if entry is None or document is None:
            raise NotFoundError(f"в реестре нет дела № {number}/{year}")
        history = loans(uow.register.movements_of(entry))
        return FileHistory(entry_row(entry, document), [line(loan, today) for loan in history])


def overdue(uow: UnitOfWork, today: dt.date) -> list[OverdueFile]:
    """Files out of the archive after their return-by date, longest overdue first."""
    with uow:
        out = {}
        for entry, issue in uow.register.issued():  # oldest first: the newest issue of an entry wins
            out[entry.id] = (entry, issue)
        late = []
        for entry, issue in out.values():
            loan = loans([issue])[0]
            if loan.overdue(today) and issue.return_by is not None:
                late.append(OverdueFile(entry.year, entry.number, entry.title, _class_of(uow, entry.document_id),
                                        issue.person, issue.purpose, issue.on, issue.return_by,
                                        loan.days_overdue(today)))
    return sorted(late, key=lambda f: (f.return_by, f.year, f.number))


def _class_of(uow: UnitOfWork, document_pk: int) -> str:
    document = uow.documents.get(document_pk)
    return document.class_name if document is not None else ""


def default_return_by(issued_on: dt.date, working_days: int) -> dt.date:
    """The return-by date the issue form proposes."""
    return working_days_after(issued_on, working_days)


def overdue_text(f: OverdueFile) -> str:
    """«вернуть до 15.03.2027, просрочено на 3 дн.»"""
    return f"вернуть до {fmt(f.return_by)}, просрочено на {f.days} дн."
