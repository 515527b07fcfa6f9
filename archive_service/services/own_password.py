"""A person changes their own password: the present one, then the new one twice.

A password an administrator set (creating the account or giving a new one) is temporary: until
its owner has chosen their own here, the web application opens no other page to them. The new
password follows the rules of every password (`account_rules`) and differs from the present one.
Every other session of the account ends (its epoch is raised); the caller keeps its own with the
epoch `run()` returns. The change is in the audit log.
"""

from __future__ import annotations

import datetime as dt

from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, PermissionDenied
from archive_service.services import accounts
from archive_service.services.account_rules import check_password
from archive_service.services.unit_of_work import UnitOfWork


class ChangeOwnPassword:
    def __init__(self, uow: UnitOfWork, actor: Actor, present: str, new: str, again: str, *, now: dt.datetime):
        self.uow, self.actor, self.now = uow, actor, now
        self.present, self.new, self.again = present, new, again

    def _check_arguments(self) -> None:
        if not self.actor.account:
            raise PermissionDenied("сменить пароль может только вошедший пользователь")
        if not self.present:
            raise ArchiveError("введите нынешний пароль")
        if self.new != self.again:
            raise ArchiveError("новый пароль и его повтор не совпадают")
        check_password(self.new, self.actor.account)
        if self.new == self.present:
            raise ArchiveError("новый пароль должен отличаться от нынешнего")

    def run(self) -> accounts.User:
        self._check_arguments()
        with self.uow:
            password_hash = accounts.account_row(self.uow, self.actor.account).password_hash
        if not accounts.verify_password(password_hash, self.present):  # outside any transaction: the slow hash
            raise ArchiveError("нынешний пароль введён неверно")        # holds no lock
        with self.uow:
            row = accounts.account_row(self.uow, self.actor.account)
            if row.password_hash != password_hash:
                raise ArchiveError("пароль только что изменён в другом сеансе; войдите снова")
            row.password_hash = accounts.hash_password(self.new)
            row.must_change_password = False
            row.session_epoch += 1
            accounts.record_change(self.uow, self.actor, "user.password_changed", row.login, self.now)
            self.uow.commit()
            return accounts.user_of(row)
