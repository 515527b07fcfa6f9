"""Accounts of the people who use the web application: roles, passwords, lock-out.

Passwords are hashed with Argon2id (argon2-cffi; the hash carries its own parameters and is
re-hashed when they are raised). After `MAX_FAILURES` wrong passwords in a row the account is
locked for `LOCK_MINUTES`; a wrong login name answers exactly like a wrong password. The lock-out
holds under any number of simultaneous attempts: each attempt takes its place in the count by
one atomic UPDATE, committed before its password is checked, and the attempt that takes the
last place locks the account — so no more than `MAX_FAILURES` passwords are checked between one
success and the lock, whatever the database and however many requests arrive at once.

Disabling an account, changing its role or password raises its session epoch, which ends every
session opened before. Each web session is also a row (`WebSession`) that signing out deletes:
the session cookie alone, copied before, opens nothing after.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from archive_service.adapters.orm import UserAccount
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError, AuthError, NotFoundError
from archive_service.services.unit_of_work import UnitOfWork

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for an unknown login (made once, on first need, not at import)."""
    return _hasher.hash("не пароль: выравнивает время ответа для неизвестного имени")


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

    @property
    def role_name(self) -> str:
        return ROLES[self.role]


def _user(row: UserAccount) -> User:
    return User(row.id, row.login, row.full_name, row.role, row.active, row.session_epoch, row.locked_until,
                row.last_login_at)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ArchiveError(f"нет роли «{role}»; роли: {', '.join(f'{k} ({v})' for k, v in ROLES.items())}")


def _check_password(password: str, login: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ArchiveError(f"пароль должен быть не короче {MIN_PASSWORD} символов")
    if password.lower() == login.lower():
        raise ArchiveError("пароль не должен совпадать с именем для входа")


def generate_password() -> str:
    """A password people can type: four groups of four letters and digits without look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def create_user(uow: UnitOfWork, login: str, full_name: str, role: str, password: str, *, actor: str,
                now: dt.datetime) -> User:
    login = login.strip().lower()
    if not login or not login.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise ArchiveError("имя для входа: латинские буквы, цифры, точка, дефис, подчёркивание")
    if not full_name.strip():
        raise ArchiveError("укажите фамилию, имя и отчество")
    _check_role(role)
    _check_password(password, login)
    with uow:
        if uow.accounts.by_login(login) is not None:
            raise ArchiveError(f"пользователь «{login}» уже есть")
        row = UserAccount(login=login, full_name=full_name.strip(), role=role, password_hash=_hasher.hash(password),
                          active=True, failed_logins=0, created_at=now, session_epoch=1)
        uow.accounts.add(row)
        uow.audit.append(at=now, actor=actor, action="user.created", object_type="user", object_id=login,
                         details={"role": role, "full_name": row.full_name})
        uow.commit()
        return _user(row)


def _row(uow: UnitOfWork, login: str) -> UserAccount:
    row = uow.accounts.by_login(login.strip().lower())
    if row is None:
        raise NotFoundError(f"пользователь «{login}» не найден")
    return row


def set_role(uow: UnitOfWork, login: str, role: str, *, actor: str, now: dt.datetime) -> User:
    _check_role(role)
    with uow:
        row = _row(uow, login)
        old, row.role = row.role, role
        row.session_epoch += 1
        uow.audit.append(at=now, actor=actor, action="user.role_set", object_type="user", object_id=row.login,
                         details={"from": old, "to": role})
        uow.commit()
        return _user(row)


def set_active(uow: UnitOfWork, login: str, active: bool, *, actor: str, now: dt.datetime) -> User:
    with uow:
        row = _row(uow, login)
        if not active and row.role == "admin" and row.active:
            if uow.accounts.active_admins() <= 1:
                raise ArchiveError("нельзя отключить последнего администратора")
        row.active = active
        row.session_epoch += 1
        if active:
            row.failed_logins, row.locked_until = 0, None
        uow.audit.append(at=now, actor=actor, action="user.enabled" if active else "user.disabled",
                         object_type="user", object_id=row.login, details={})
        uow.commit()
        return _user(row)


def set_password(uow: UnitOfWork, login: str, password: str, *, actor: str, now: dt.datetime) -> User:
    with uow:
        row = _row(uow, login)
        _check_password(password, row.login)
        row.password_hash = _hasher.hash(password)
        row.session_epoch += 1
        row.failed_logins, row.locked_until = 0, None
        uow.audit.append(at=now, actor=actor, action="user.password_set", object_type="user", object_id=row.login,
                         details={})
        uow.commit()
        return _user(row)


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
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(uow: UnitOfWork, login: str, password: str, *, origin: str, now: dt.datetime) -> User:
    """The user, or AuthError with one message for every failure but a lock or a disabled account
    (those are told, so that staff know whom to ask)."""
    login = login.strip().lower()
    place = _take_attempt(uow, login, now)
    with uow:
        row = uow.accounts.by_login(login)
        if row is None:
            _verify(_dummy_hash(), password)  # the same work as for a real account
            uow.audit.append(at=now, actor=login[:100] or "—", action="login.failed", object_type="user",
                             object_id=login[:100], origin=origin, details={"reason": "unknown"})
            uow.commit()
            raise AuthError(WRONG)
        if place is None:
            uow.audit.append(at=now, actor=row.login, action="login.refused", object_type="user", object_id=row.login,
                             origin=origin, details={"reason": "locked"})
            uow.commit()
            left = (row.locked_until - now) if row.locked_until else dt.timedelta(minutes=LOCK_MINUTES)
            raise AuthError(f"вход временно заблокирован после {MAX_FAILURES} неверных паролей; попробуйте после "
                            f"{_minutes(left)} или обратитесь к администратору")
        password_hash = row.password_hash
    right = _verify(password_hash, password)  # outside any transaction: the slow hash holds no lock
    with uow:
        row = uow.accounts.by_login(login)
        if not right:
            details = {"reason": "password", "failures": place}
            if place >= MAX_FAILURES and row.locked_until:
                details["locked_until"] = row.locked_until.isoformat()
            uow.audit.append(at=now, actor=row.login, action="login.failed", object_type="user", object_id=row.login,
                             origin=origin, details=details)
            uow.commit()
            raise AuthError(WRONG)
        if not row.active:
            uow.audit.append(at=now, actor=row.login, action="login.refused", object_type="user", object_id=row.login,
                             origin=origin, details={"reason": "disabled"})
            uow.commit()
            raise AuthError("учётная запись отключена; обратитесь к администратору")
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        row.failed_logins, row.locked_until, row.last_login_at = 0, None, now
        uow.audit.append(at=now, actor=row.login, action="login", object_type="user", object_id=row.login,
                         origin=origin, details={})
        uow.commit()
        return _user(row)


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


def end_session(uow: UnitOfWork, token: str, *, login: str, origin: str, now: dt.datetime) -> None:
    """Sign out: the session stops being valid on the server, whatever copy of its cookie exists."""
    with uow:
        uow.accounts.end_session(_session_key(token))
        uow.audit.append(at=now, actor=login, action="logout", object_type="user", object_id=login, origin=origin)
        uow.commit()
