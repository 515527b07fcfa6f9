"""Which schools a district inspector may search and read: grants kept in the district's own
archive, each given and taken back by a district administrator by name, in the audit log.

Only an inspector's account is granted schools; a school's own staff belong to their school's
archive and never reach another's. A grant names a school the district file lists (the caller
passes the codes it lists: this layer knows no district file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from archive_service.adapters.orm import SchoolGrant
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError, NotFoundError
from archive_service.services.unit_of_work import UnitOfWork


def granted(uow: UnitOfWork, login: str) -> list[str]:
    """The codes of the schools the account may search and read (none for an unknown login)."""
    with uow:
        row = uow.accounts.by_login(login.strip().lower())
        return uow.accounts.grants(row.id) if row is not None and row.role == "inspector" else []


def _inspector(uow: UnitOfWork, login: str):
    row = uow.accounts.by_login(login.strip().lower())
    if row is None:
        raise NotFoundError(f"учётная запись «{login}» не найдена среди учётных записей района")
    if row.role != "inspector":
        raise ArchiveError(f"доступ к архивам школ даётся только инспектору, а «{row.login}» — не инспектор")
    return row


def grant(uow: UnitOfWork, login: str, code: str, known: Collection[str], *, actor: Actor,
          now: dt.datetime) -> bool:
    """Open the school `code`'s archive to the inspector `login`; False if it was open already."""
    if code not in known:
        raise NotFoundError(f"в районе нет школы с кодом «{code}»")
    with uow:
        row = _inspector(uow, login)
        if code in uow.accounts.grants(row.id):
            return False
        uow.accounts.grant(SchoolGrant(user_id=row.id, school_code=code, granted_at=now, granted_by=actor.person))
        uow.audit.append(at=now, actor=actor.person, action="district.school_granted", object_type="user",
                         object_id=row.login, origin=actor.origin, details={"school": code})
        uow.commit()
        return True


def revoke(uow: UnitOfWork, login: str, code: str, *, actor: Actor, now: dt.datetime) -> bool:
    """Close the school `code`'s archive to the inspector `login`; False if it was not open to them."""
    with uow:
        row = _inspector(uow, login)
        if not uow.accounts.revoke(row.id, code):
            return False
        uow.audit.append(at=now, actor=actor.person, action="district.school_revoked", object_type="user",
                         object_id=row.login, origin=actor.origin, details={"school": code})
        uow.commit()
        return True
