"""An account's e-mail address, where the deadline reminders of its role are sent (`services.reminders`).

The administrator sets or clears it (`SetEmail`, a command like the others of `services.accounts`):
checked first, audited in the transaction that changes it, with the address before and after.
"""

from __future__ import annotations

import datetime as dt

from archive_service.adapters.orm import UserAccount
from archive_service.domain.actor import Actor
from archive_service.domain.fields import email_problem
from archive_service.errors import ArchiveError
from archive_service.services.accounts import User, _ChangeAccount, record_change
from archive_service.services.unit_of_work import UnitOfWork


class SetEmail(_ChangeAccount):
    """Another e-mail address for an account, or none (an empty one)."""

    def __init__(self, uow: UnitOfWork, login: str, email: str, *, actor: Actor, now: dt.datetime):
        super().__init__(uow, login, actor=actor, now=now)
        self.email = email.strip()

    def _check_arguments(self) -> None:
        super()._check_arguments()
        if problem := email_problem(self.email):
            raise ArchiveError(problem)

    def _apply(self, uow: UnitOfWork, row: UserAccount) -> UserAccount:
        old, row.email = row.email or "", self.email or None
        record_change(uow, self.actor, "user.email_set", row.login, self.now, {"from": old, "to": self.email})
        return row


def set_email(uow: UnitOfWork, login: str, email: str, *, actor: Actor, now: dt.datetime) -> User:
    return SetEmail(uow, login, email, actor=actor, now=now).run()
