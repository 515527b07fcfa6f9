"""`archive-service backup key ...`: the director's archive key that opens backups.

The person named at the terminal (`--as LOGIN`) is the director. Codes are asked with hidden input (a new one
twice), or taken from `ARCHIVE_BACKUP_CODE` (the director's code), `ARCHIVE_BACKUP_NEW_CODE` (a
new one) and `ARCHIVE_ESCROW_CODE` (the escrow copy's) for automation; never stored or printed.
"""

from __future__ import annotations

import os
from typing import Callable

import click
from flask.cli import AppGroup

from archive_service.cli.common import current_archive, director_code, echo_json, terminal
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import archive_keys
from archive_service.services.archive_keys import KeyInfo
from storage import StorageError


def _new_code(variable: str, prompt: str) -> tuple[str, str]:
    """A new code and its repetition: from `variable`, else asked twice (hidden)."""
    given = os.environ.get(variable)
    if given:
        return given, given
    return click.prompt(prompt, hide_input=True), click.prompt("Повторите код", hide_input=True)


def _director() -> Actor:
    """The director named at the terminal (asked before any code is)."""
    return terminal("manage_archive_key")


def _shown(info: KeyInfo) -> None:
    click.echo(f"Ключ архива (поколение {info.generation}): {info.fingerprint}")


key_cli = AppGroup("key", help="Ключ архива директора: без его кода резервные копии не открываются.")


@key_cli.command("init")
def key_init() -> None:
    """Создать ключ архива: директор задаёт код доступа (дважды)."""
    archive, who = current_archive(), _director()
    code, again = _new_code("ARCHIVE_BACKUP_CODE", "Новый код доступа директора")
    try:
        info = archive_keys.init_key(archive.uow(), code, again, actor=who, now=archive.now(),
                                     params=archive.settings.key_sealing)
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    _shown(info)
    click.echo("Код нигде не хранится: без него резервные копии не открыть. Запишите код и храните его в сейфе.")


def _recode(service: Callable[..., KeyInfo], new_prompt: str, done: str) -> None:
    """Change the code or rotate the key: the current code, then the new one twice."""
    archive, who = current_archive(), _director()
    code = director_code("Нынешний код доступа директора")
    new, again = _new_code("ARCHIVE_BACKUP_NEW_CODE", new_prompt)
    try:
        info = service(archive.uow(), code, new, again, actor=who, now=archive.now(),
                       params=archive.settings.key_sealing)
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    _shown(info)
    click.echo(done)


@key_cli.command("change")
def key_change() -> None:
    """Сменить код доступа (ключ тот же, резервные копии не переписываются)."""
    _recode(archive_keys.change_code, "Новый код доступа директора",
            "Код доступа сменён: все резервные копии открываются новым кодом.")


@key_cli.command("rotate")
def key_rotate() -> None:
    """Заменить ключ архива новым (например, при смене директора); прежние ключи сохраняются."""
    _recode(archive_keys.rotate_key, "Код доступа нового ключа",
            "Новые резервные копии запечатываются новым ключом; прежние открываются тем же новым кодом.")


@key_cli.command("show")
@click.option("--json", "as_json", is_flag=True, help="Вывести в JSON.")
def key_show(as_json: bool) -> None:
    """Отпечаток ключа архива, его поколения и у кого хранится копия ключа."""
    rows = archive_keys.key_status(current_archive().uow())
    if as_json:
        echo_json([r.as_dict() for r in rows])
        return
    if not rows:
        raise click.ClickException(archive_keys.NO_KEY)
    for r in rows:
        click.echo(f"Поколение {r.generation}{' (действующий)' if r.current else ''}: {r.fingerprint}; "
                   f"создан {r.created_by}; копия ключа: {r.escrow_holder or 'нет'}")


@key_cli.command("escrow")
@click.option("--holder", help="У кого хранится копия ключа (учредитель или будущий директор).")
@click.option("--drop", is_flag=True, help="Удалить копию ключа.")
def key_escrow(holder: str | None, drop: bool) -> None:
    """Копия ключа для учредителя (или будущего директора) под её собственным кодом."""
    archive, who = current_archive(), _director()
    if drop == bool(holder):
        raise click.UsageError("укажите либо --holder «…», либо --drop")
    try:
        if drop:
            archive_keys.drop_escrow(archive.uow(), actor=who, now=archive.now())
            click.echo("Копия ключа удалена.")
            return
        code = director_code()
        escrow, again = _new_code("ARCHIVE_ESCROW_CODE", "Код копии ключа")
        archive_keys.set_escrow(archive.uow(), code, escrow, again, holder or "", actor=who, now=archive.now(),
                                params=archive.settings.key_sealing)
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Копия ключа создана; хранится: {holder}. Каждое её использование записывается в журнал.")
