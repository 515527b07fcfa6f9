"""Accounts of the people who use the web application: roles, passwords, lock-out.

Passwords are hashed with Argon2id (`adapters/passwords.py`: the hash carries its own parameters and is
re-hashed when they are raised). After `MAX_FAILURES` wrong passwords in a row the account is
locked for `LOCK_MINUTES`; a wrong login name answers exactly like a wrong password. The lock-out
holds under any number of simultaneous attempts: each attempt takes its place in the count by
one atomic UPDATE, committed before its password is checked, and the attempt that takes the
last place locks the account — so no more than `MAX_FAILURES` passwords are checked between one
success and the lock, whatever the database and however many requests arrive at once.

Accounts are created, disabled or enabled, given another role or password by commands
(`CreateUser`, `SetActive`, `SetRole`, `SetPassword`: `validate()`, then `run()`) given the acting
administrator as an `Actor`; the audit event is written in the transaction that makes the change
(rules: `account_rules`). A password they set is temporary, changed at sign-in (`own_password`).
Disabling an account, changing its role or password raises its session epoch, which ends every
session opened before. Each web session is also a row (`WebSession`) that signing out deletes:
the session cookie alone, copied before, opens nothing after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Generic, NoReturn, TypeVar

from archive_service.adapters import passwords
from archive_service.adapters.orm import UserAccount
from archive_service.domain.actor import ROLE_WORDS, Actor
from archive_service.domain.fields import NAME_MOST, login_problem
from archive_service.domain.permissions import may, roles_for
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, AuthError, NotFoundError, PermissionDenied
from archive_service.services.account_rules import MAX_PASSWORD, check_admin_kept, check_password, check_role
from archive_service.services.account_rules import MIN_PASSWORD as MIN_PASSWORD, generate_password as generate_password
from archive_service.services.fields import checked
from archive_service.services.unit_of_work import UnitOfWork

MAX_FAILURES = 5
LOCK_MINUTES = 15
Found = TypeVar("Found")


@dataclass(frozen=True)
class User:
    id: int
    login: str
    full_name: str
    role: str
    active: bool
    epoch: int
    locked_until: dt.datetime | None = None
    last_login_at: dt.datetime | None = None
    must_change_password: bool = False
    """The password was set by an administrator: the person changes it before any other page."""
    email: str = ""

    @property
    def role_name(self) -> str:
        return ROLES[self.role]


def _user(row: UserAccount) -> User:
    return User(row.id, row.login, row.full_name, row.role, row.active, row.session_epoch, row.locked_until,
                row.last_login_at, bool(row.must_change_password), row.email or "")


def require_manager(actor: Actor) -> None:
    """Accounts and API tokens are managed by the roles the permission table gives «manage_accounts»."""
    if not may(actor.role, "manage_accounts"):
        managers = ", ".join(ROLE_WORDS[r] for r in sorted(roles_for("manage_accounts")))
        raise PermissionDenied(f"учётными записями управляет {managers}, не {actor.role_words}")


def _row(uow: UnitOfWork, login: str) -> UserAccount:
    row = uow.accounts.by_login(login.strip().lower())
    if row is None:
        raise NotFoundError(f"пользователь «{login}» не найден")
    return row


def _record(uow: UnitOfWork, actor: Actor, action: str, login: str, now: dt.datetime,
            details: dict[str, Any] | None = None) -> None:
    """The audit event of a change to an account, in the transaction that makes the change."""
    uow.audit.append(at=now, actor=actor.person, action=action, object_type="user", object_id=login,
                     origin=actor.origin, details=details or {})


class AccountCommand(ABC, Generic[Found]):
    """An administrator's change to accounts (Superset-style command): `validate()` checks
    everything — who acts, the arguments, the stored accounts and the rules on them — and raises an
    `ArchiveError` in Russian having written nothing; `run()` makes the change and records it in
    the audit log in one transaction, after the same checks inside that transaction."""

    def __init__(self, uow: UnitOfWork, login: str, *, actor: Actor, now: dt.datetime):
        self.uow, self.login, self.actor, self.now = uow, login, actor, now

    def validate(self) -> None:
        self._check_arguments()
        with self.uow:
            self._check(self.uow)

    def run(self) -> User:
        self._check_arguments()
        with self.uow:
            row = self._apply(self.uow, self._check(self.uow))
            self.uow.commit()
            return _user(row)

    def _check_arguments(self) -> None:
        """What is checked without the database."""
        require_manager(self.actor)

    @abstractmethod
    def _check(self, uow: UnitOfWork) -> Found:
        """What the stored accounts allow; what `_apply` changes."""

    @abstractmethod
    def _apply(self, uow: UnitOfWork, found: Found) -> UserAccount:
        """Make the change (inside the transaction `_check` read in)."""


class _ChangeAccount(AccountCommand[UserAccount]):
    """A change to an existing account."""

    def _check(self, uow: UnitOfWork) -> UserAccount:
        return _row(uow, self.login)


class CreateUser(AccountCommand[None]):
    """A new account with a password the administrator hands over in person."""

    def __init__(self, uow: UnitOfWork, login: str, full_name: str, role: str, password: str, *, actor: Actor,
                 now: dt.datetime, temporary: bool = True):
        super().__init__(uow, login.strip().lower(), actor=actor, now=now)
        self.full_name, self.role, self.password = full_name.strip(), role.strip(), password
        self.temporary = temporary

    def _check_arguments(self) -> None:
        super()._check_arguments()
        if problem := login_problem(self.login):
            raise ArchiveError(problem)
        if not self.full_name:
            raise ArchiveError("укажите фамилию, имя и отчество")
        self.full_name = checked(self.full_name, "ФИО", most=NAME_MOST)
        check_role(self.role, self.uow.account_roles)
        check_password(self.password, self.login)

    def _check(self, uow: UnitOfWork) -> None:
        if uow.accounts.by_login(self.login) is not None:
            raise ArchiveError(f"пользователь «{self.login}» уже есть")

    def _apply(self, uow: UnitOfWork, found: None) -> UserAccount:
        row = UserAccount(login=self.login, full_name=self.full_name, role=self.role,
                          password_hash=passwords.hashed(self.password), active=True, failed_logins=0,
                          created_at=self.now, session_epoch=1, must_change_password=self.temporary)
        uow.accounts.add(row)
        _record(uow, self.actor, "user.created", self.login, self.now,
                {"role": self.role, "full_name": row.full_name, "temporary_password": self.temporary})
        return row


class SetRole(_ChangeAccount):
    """Another role for an account; its open sessions end (never the administrators' own or last)."""

    def __init__(self, uow: UnitOfWork, login: str, role: str, *, actor: Actor, now: dt.datetime):
        super().__init__(uow, login, actor=actor, now=now)
        self.role = role

    def _check_arguments(self) -> None:
        super()._check_arguments()
        check_role(self.role, self.uow.account_roles)

    def _check(self, uow: UnitOfWork) -> UserAccount:
        row = _row(uow, self.login)
        if self.role != "admin":
            check_admin_kept(uow, row, self.actor, "demote")
        return row

    def _apply(self, uow: UnitOfWork, row: UserAccount) -> UserAccount:
        old, row.role = row.role, self.role
        row.session_epoch += 1
        _record(uow, self.actor, "user.role_set", row.login, self.now, {"from": old, "to": self.role})
        return row


class SetActive(_ChangeAccount):
    """Disable an account (its open sessions end; never one's own, never the last administrator's)
    or enable it again (and lift a lock-out)."""

    def __init__(self, uow: UnitOfWork, login: str, active: bool, *, actor: Actor, now: dt.datetime):
        super().__init__(uow, login, actor=actor, now=now)
        self.active = active

    def _check(self, uow: UnitOfWork) -> UserAccount:
        row = _row(uow, self.login)
        if not self.active:
            check_admin_kept(uow, row, self.actor, "disable")
        return row

    def _apply(self, uow: UnitOfWork, row: UserAccount) -> UserAccount:
        row.active = self.active
        row.session_epoch += 1
        if self.active:
            row.failed_logins, row.locked_until = 0, None
        _record(uow, self.actor, "user.enabled" if self.active else "user.disabled", row.login, self.now)
        return row


class SetPassword(_ChangeAccount):
    """A new password for an account (handed over in person); its open sessions end and a
    lock-out is lifted. It is temporary unless said otherwise: changed at the next sign-in."""

    def __init__(self, uow: UnitOfWork, login: str, password: str, *, actor: Actor, now: dt.datetime,
                 temporary: bool = True):
        super().__init__(uow, login, actor=actor, now=now)
        self.password, self.temporary = password, temporary

    def _check(self, uow: UnitOfWork) -> UserAccount:
        row = _row(uow, self.login)
        check_password(self.password, row.login)
        return row

    def _apply(self, uow: UnitOfWork, row: UserAccount) -> UserAccount:
        row.password_hash = passwords.hashed(self.password)
        row.must_change_password = self.temporary
        row.session_epoch += 1
        row.failed_logins, row.locked_until = 0, None
        _record(uow, self.actor, "user.password_set", row.login, self.now, {"temporary": self.temporary})
        return row


def create_user(uow: UnitOfWork, login: str, full_name: str, role: str, password: str, *, actor: Actor,
                now: dt.datetime, temporary: bool = True) -> User:
    return CreateUser(uow, login, full_name, role, password, actor=actor, now=now, temporary=temporary).run()


def set_role(uow: UnitOfWork, login: str, role: str, *, actor: Actor, now: dt.datetime) -> User:
    return SetRole(uow, login, role, actor=actor, now=now).run()


def set_active(uow: UnitOfWork, login: str, active: bool, *, actor: Actor, now: dt.datetime) -> User:
    return SetActive(uow, login, active, actor=actor, now=now).run()


def set_password(uow: UnitOfWork, login: str, password: str, *, actor: Actor, now: dt.datetime,
                 temporary: bool = True) -> User:
    return SetPassword(uow, login, password, actor=actor, now=now, temporary=temporary).run()


def hash_password(password: str) -> str:
    return passwords.hashed(password)


def list_users(uow: UnitOfWork) -> list[User]:
    with uow:
        return [_user(r) for r in uow.accounts.all()]


WRONG = "неверное имя или пароль"


def _minutes(left: dt.timedelta) -> str:
    minutes = max(1, -(-int(left.total_seconds()) // 60))
    return f"через {minutes} мин"


def _take_attempt(uow: UnitOfWork, login: str, now: dt.datetime) -> int | None:
    """This attempt's place in the count of attempts since the last success (1, 2, …), taken and
    committed atomically before the password is checked; None when the account is locked (no
    place left) or there is no such login. The attempt taking place `MAX_FAILURES` locks the
    account at once; a lock that has run out starts the count again."""
    with uow:
        taken = uow.accounts.take_attempt(login, now, max_failures=MAX_FAILURES,
                                          lock_for=dt.timedelta(minutes=LOCK_MINUTES))
        uow.commit()
    return taken


def _verify(password_hash: str, password: str) -> bool:
    # one longer than any allowed never fits: refused without hashing a megabyte
    return len(password) <= MAX_PASSWORD and passwords.matches(password_hash, password)


def _sign_in_event(uow: UnitOfWork, login: str, action: str, *, origin: str, now: dt.datetime,
                   details: dict[str, Any] | None = None) -> None:
    """An attempt to sign in (or signing out), in the audit log under the login tried: nobody is known yet."""
    uow.audit.append(at=now, actor=login or "—", action=action, object_type="user", object_id=login, origin=origin,
                     details=details or {})


def _refuse(uow: UnitOfWork, login: str, action: str, message: str, *, origin: str, now: dt.datetime,
            details: dict[str, Any]) -> NoReturn:
    """Record the refused attempt, commit it, and say why (in Russian)."""
    _sign_in_event(uow, login, action, origin=origin, now=now, details=details)
    uow.commit()
    raise AuthError(message)


def _stored_hash(uow: UnitOfWork, login: str, password: str, place: int | None, *, origin: str,
                 now: dt.datetime) -> tuple[str, int]:
    """(the account's password hash, this attempt's place) — or `AuthError`, recorded, for a login
    that does not exist (after the same work as for one that does) or an account locked out."""
    with uow:
        row = uow.accounts.by_login(login)
        if row is None:
            _verify(passwords.dummy_hash(), password)  # the same work as for a real account
            _refuse(uow, login[:100], "login.failed", WRONG, origin=origin, now=now, details={"reason": "unknown"})
        if place is None:
            left = (row.locked_until - now) if row.locked_until else dt.timedelta(minutes=LOCK_MINUTES)
            _refuse(uow, row.login, "login.refused",
                    f"вход временно заблокирован после {MAX_FAILURES} неверных паролей; попробуйте "
                    f"{_minutes(left)} или обратитесь к администратору",
                    origin=origin, now=now, details={"reason": "locked"})
        return row.password_hash, place


def _signed_in(uow: UnitOfWork, login: str, password: str, right: bool, place: int, *, origin: str,
               now: dt.datetime) -> User:
    """The account once its password was checked: refused (and recorded) for a wrong password or
    a disabled account, else signed in — the failure count cleared, the hash renewed if its
    parameters were raised."""
    with uow:
        row = uow.accounts.by_login(login)
        if row is None:  # deleted while the password was checked
            raise AuthError(WRONG)
        if not right:
            details: dict[str, Any] = {"reason": "password", "failures": place}
            if place >= MAX_FAILURES and row.locked_until:
                details["locked_until"] = row.locked_until.isoformat()
            _refuse(uow, row.login, "login.failed", WRONG, origin=origin, now=now, details=details)
        if not row.active:
            _refuse(uow, row.login, "login.refused", "учётная запись отключена; обратитесь к администратору",
                    origin=origin, now=now, details={"reason": "disabled"})
        if passwords.needs_rehash(row.password_hash):
            row.password_hash = passwords.hashed(password)
        row.failed_logins, row.locked_until, row.last_login_at = 0, None, now
        _sign_in_event(uow, row.login, "login", origin=origin, now=now)
        uow.commit()
        return _user(row)


def authenticate(uow: UnitOfWork, login: str, password: str, *, origin: str, now: dt.datetime) -> User:
    """The user, or AuthError with one message for every failure but a lock or a disabled account
    (those are told, so that staff know whom to ask)."""
    login = login.strip().lower()
    place = _take_attempt(uow, login, now)
    password_hash, place = _stored_hash(uow, login, password, place, origin=origin, now=now)
    right = _verify(password_hash, password)  # outside any transaction: the slow hash holds no lock
    return _signed_in(uow, login, password, right, place, origin=origin, now=now)


def _session_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(uow: UnitOfWork, user: User, *, now: dt.datetime, lifetime: dt.timedelta) -> str:
    """A new web session of `user`: the token its cookie carries (only its hash is stored).
    Sessions older than `lifetime` (the cookie's own limit) are cleared on the way."""
    token = secrets.token_urlsafe(32)
    with uow:
        uow.accounts.open_session(_session_key(token), user.id, now, lifetime=lifetime)
        uow.commit()
    return token


def session_user(uow: UnitOfWork, token: str) -> User | None:
    """The account of an open web session; None once the session was ended (or never existed)."""
    with uow:
        row = uow.accounts.of_session(_session_key(token))
        return _user(row) if row else None


def end_session(uow: UnitOfWork, token: str, *, actor: Actor, now: dt.datetime) -> None:
    """Sign out: the session stops being valid on the server, whatever copy of its cookie exists.
    Recorded under the account's login, as signing in is."""
    with uow:
        uow.accounts.end_session(_session_key(token))
        _sign_in_event(uow, actor.account, "logout", origin=actor.origin, now=now)
        uow.commit()


account_row, user_of, record_change, verify_password = _row, _user, _record, _verify  # for `own_password`
