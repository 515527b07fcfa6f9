"""The rules on what an account may be given: a known role, a password within its limits, and the
administrators the school keeps (`services.accounts` applies them in its commands).

Nobody disables their own account or takes their own administrator role: another administrator
does it. The school's last active administrator is never disabled nor given another role, by
anyone (the command line included): accounts would have nobody to manage them.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection

from archive_service.adapters.orm import UserAccount
from archive_service.domain.actor import Actor
from archive_service.domain.fields import PASSWORD_MOST
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError
from archive_service.services.unit_of_work import UnitOfWork

MIN_PASSWORD = 10
MAX_PASSWORD = PASSWORD_MOST


def check_role(role: str, allowed: Collection[str] | None = None) -> None:
    """A role that exists and that this archive's accounts may hold (`allowed`; None: every role)."""
    if not role:
        raise ArchiveError("выберите роль пользователя")
    if role not in ROLES:
        raise ArchiveError(f"нет роли «{role}»; роли: {', '.join(f'{k} ({v})' for k, v in ROLES.items())}")
    if allowed is not None and role not in allowed:
        kinds = ", ".join(ROLES[r] for r in sorted(allowed))
        raise ArchiveError(f"у учётных записей района бывают только роли: {kinds}; сотрудники школы заводятся в "
                           "архиве своей школы")


def check_password(password: str, login: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ArchiveError(f"пароль должен быть не короче {MIN_PASSWORD} символов")
    if len(password) > MAX_PASSWORD:
        raise ArchiveError(f"пароль должен быть не длиннее {MAX_PASSWORD} символов")
    if password.lower() == login.lower():
        raise ArchiveError("пароль не должен совпадать с именем для входа")


def generate_password() -> str:
    """A password people can type: four groups of four letters and digits without look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def check_admin_kept(uow: UnitOfWork, row: UserAccount, actor: Actor, change: str) -> None:
    """Refuse to take the administrator's powers from `row` («disable» the account, or «demote»
    it to another role) when it is the school's last active administrator (whoever asks), or when
    the administrator asking is that account itself."""
    if row.role != "admin" or not row.active:
        return
    if uow.accounts.active_admins() <= 1:  # counted under a lock: two such changes never both pass
        done = "отключить" if change == "disable" else "сменить роль у"
        raise ArchiveError(f"нельзя {done} последнего администратора школы: учётными записями некому "
                           "будет управлять; сначала назначьте другого администратора")
    if actor.account and actor.account == row.login:
        done = "отключить свою учётную запись" if change == "disable" else "снять с себя роль администратора"
        raise ArchiveError(f"нельзя {done}: это делает другой администратор")
