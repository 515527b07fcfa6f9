"""`archive-service users ...`: accounts of the web application (the administrator's work).

An administrator acts by name (`--as LOGIN`); the one exception is the first administrator of a
new installation, created with no account to name (`services.operators.CreateFirstAdmin`).
"""

from __future__ import annotations

from typing import Any, Callable

import click
from flask.cli import AppGroup

from archive_service.cli.common import NOBODY, current_archive, echo_json, fail, named_login, setup_origin, terminal
from archive_service.domain.roles import ROLES
from archive_service.errors import ArchiveError
from archive_service.services import accounts, operators

users_cli = AppGroup("users", help="Пользователи веб-приложения и их роли.")
ROLE = click.Choice(sorted(ROLES))


PERMANENT = click.option("--permanent", is_flag=True,
                         help="Пароль постоянный: не требовать его смены при следующем входе.")


def _run(command: Callable[..., accounts.AccountCommand[Any]], *args: Any, **options: Any) -> accounts.User:
    """Run an account command as the administrator named at the terminal."""
    archive = current_archive()
    actor = terminal("manage_accounts")
    try:
        return command(archive.uow(), *args, actor=actor, now=archive.now(), **options).run()
    except ArchiveError as err:
        raise fail(err) from None


def _create_first(login: str, full_name: str, role: str, password: str, temporary: bool) -> accounts.User:
    """The first account of a new installation, nobody named: only an administrator, who creates
    their own account («первичная настройка» in the audit log's origin)."""
    archive = current_archive()
    if not operators.no_accounts(archive.uow()):
        raise click.ClickException(NOBODY)
    if role != operators.FIRST_ROLE:
        raise click.ClickException(f"учётных записей ещё нет: первым создаётся администратор (--role "
                                   f"{operators.FIRST_ROLE}), он и создаёт остальных")
    try:
        return operators.CreateFirstAdmin(archive.uow(), login, full_name, password, origin=setup_origin(),
                                          now=archive.now(), temporary=temporary).run()
    except ArchiveError as err:
        raise fail(err) from None


@users_cli.command("create")
@click.argument("login")
@click.option("--name", "full_name", required=True, help="Фамилия, имя, отчество.")
@click.option("--role", required=True, type=ROLE, help="Роль: " + ", ".join(f"{k} — {v}" for k, v in ROLES.items()))
@click.option("--password", help="Пароль (не короче 10 символов); без него — создаётся и печатается.")
@PERMANENT
def users_create(login: str, full_name: str, role: str, password: str | None, permanent: bool) -> None:
    """Создать пользователя (его пароль временный: при первом входе он сменит его на свой).

    Создаёт администратор от своего имени (--as ЛОГИН). Первого администратора новой установки,
    пока учётных записей нет, можно создать без --as."""
    generated = password is None
    password = password or accounts.generate_password()
    if named_login():
        user = _run(accounts.CreateUser, login, full_name, role, password, temporary=not permanent)
    else:
        user = _create_first(login, full_name, role, password, not permanent)
    click.echo(f"Создан {user.login}: {user.full_name}, {ROLES[user.role]}."
               + (f" Пароль: {password}" if generated else "")
               + ("" if permanent else " При первом входе пароль нужно будет сменить."))


@users_cli.command("disable")
@click.argument("login")
def users_disable(login: str) -> None:
    """Отключить пользователя (его открытые сеансы завершаются)."""
    _run(accounts.SetActive, login, False)
    click.echo(f"{login}: отключён.")


@users_cli.command("enable")
@click.argument("login")
def users_enable(login: str) -> None:
    """Включить пользователя снова (и снять блокировку входа)."""
    _run(accounts.SetActive, login, True)
    click.echo(f"{login}: включён.")


@users_cli.command("set-role")
@click.argument("login")
@click.argument("role", type=ROLE)
def users_set_role(login: str, role: str) -> None:
    """Сменить роль пользователя."""
    _run(accounts.SetRole, login, role)
    click.echo(f"{login}: роль «{ROLES[role]}».")


@users_cli.command("set-password")
@click.argument("login")
@click.password_option(prompt="Новый пароль", confirmation_prompt="Ещё раз")
@PERMANENT
def users_set_password(login: str, password: str, permanent: bool) -> None:
    """Задать новый пароль (временный: при следующем входе пользователь сменит его на свой)."""
    _run(accounts.SetPassword, login, password, temporary=not permanent)
    click.echo(f"{login}: пароль изменён." + ("" if permanent else " При следующем входе его нужно будет сменить."))


@users_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Вывести в JSON.")
def users_list(as_json: bool) -> None:
    """Пользователи и роли."""
    rows = accounts.list_users(current_archive().uow())
    if as_json:
        echo_json([{"login": u.login, "full_name": u.full_name, "role": u.role, "active": u.active} for u in rows])
        return
    for u in rows:
        click.echo(f"{u.login:<16} {ROLES[u.role]:<22} {'активен' if u.active else 'отключён':<9} {u.full_name}")
