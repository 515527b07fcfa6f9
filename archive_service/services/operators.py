"""Who acts at the command line: a named account, never the terminal's operating-system user.

The command line names the person (`--as LOGIN` or the installation's `ARCHIVE_OPERATOR`); the
account must exist, be active and hold a role the permission table gives the command's action —
the rule the web applies to the signed-in account (`domain.permissions`). The actor then carries
the account's full name, role and login, and where the action came from («командная строка на
archive-01, учётная запись zavuch»), so the audit log, the journals and the acts name a person.

Naming an account at the terminal asks no password: whoever runs `archive-service` on the server
can read its database anyway; the name says who answers for the action, as on paper.

The one action with nobody to name is the first: a new installation has no account. Then (and only
then) `CreateFirstAdmin` creates the first administrator, audited as that administrator creating
their own account, from an origin that says it was the initial set-up.
"""

from __future__ import annotations

import datetime as dt

from archive_service.domain.actor import ROLE_WORDS, Actor
from archive_service.domain.permissions import may, roles_for
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, NotFoundError, PermissionDenied
from archive_service.services.accounts import CreateUser
from archive_service.services.unit_of_work import UnitOfWork

FIRST_ROLE = "admin"
"""The role of the first account of an installation: the one who creates the others."""


def named_origin(origin: str, login: str) -> str:
    """Where an account's action came from, with the login: the audit log keeps both."""
    return f"{origin}, учётная запись {login}"


def operator(uow: UnitOfWork, login: str, action: str, *, origin: str) -> Actor:
    """The account `login` acting in its role to perform `action`, from `origin` and the login (the
    audit log keeps both: «командная строка на archive-01, учётная запись zavuch»); refused in
    Russian when there is no such account, it is disabled, or its role may not perform `action`."""
    login = login.strip().lower()
    with uow:
        row = uow.accounts.by_login(login)
        if row is None:
            raise NotFoundError(f"пользователя «{login}» нет; имена для входа: archive-service users list")
        if not row.active:
            raise PermissionDenied(f"учётная запись «{login}» отключена: действовать от её имени нельзя")
        if not may(row.role, action):
            doers = ", ".join(ROLE_WORDS[r] for r in sorted(roles_for(action)))
            raise PermissionDenied(f"«{login}» — {ROLES[row.role]}, а это делает {doers}")
        return Actor(row.full_name, row.role, named_origin(origin, row.login), row.login)


def no_accounts(uow: UnitOfWork) -> bool:
    """Whether the installation has no account yet (so the first one may be created unnamed)."""
    with uow:
        return uow.accounts.count() == 0


class CreateFirstAdmin(CreateUser):
    """The first administrator of an installation with no account: the new administrator is the
    actor (their own name in the audit log), `origin` says it was the initial set-up. Refused, with
    nothing written, once any account exists (checked under a lock in the creating transaction)."""

    def __init__(self, uow: UnitOfWork, login: str, full_name: str, password: str, *, origin: str,
                 now: dt.datetime, temporary: bool = True):
        if not full_name.strip():
            raise ArchiveError("укажите фамилию, имя и отчество")
        clean = login.strip().lower()
        super().__init__(uow, clean, full_name, FIRST_ROLE, password, now=now, temporary=temporary,
                         actor=Actor(full_name.strip(), FIRST_ROLE, origin, clean))

    def _check(self, uow: UnitOfWork) -> None:
        if uow.accounts.count() > 0:
            raise PermissionDenied("учётные записи уже есть: новых пользователей создаёт администратор от своего "
                                   "имени")
        super()._check(uow)
