"""What every `archive-service` command shares: the archive, who is acting, the common options,
and output in Russian (or JSON with `--json`). Command modules import this one and nothing else
of the command line, so the package has no import cycles.

Who acts is a named account, never the terminal's operating-system user: `archive-service --as
LOGIN …`, or the installation's `ARCHIVE_OPERATOR=LOGIN` (cron jobs). A command that acts on
archive material asks `terminal(action)` for its actor before it does anything: with nobody named
it is refused (`NOBODY`), and the account must exist, be active and hold a role the permission
table gives `action` (`services.operators`). Read-only commands ask nothing, or
`terminal_if_named(action)` when a look is journaled for whoever is named.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from collections.abc import Callable, Sequence
from typing import Any

import click
from flask import current_app

from archive_service import tenancy
from archive_service.bootstrap import Archive
from archive_service.domain.actor import Actor
from archive_service.errors import ArchiveError
from archive_service.services import operators


def current_archive() -> Archive:
    """The archive the command works on: the running application's, or in a district the school
    named by `--school` (`tenancy`)."""
    return tenancy.current_archive(current_app)


OPERATOR_VARIABLE = "ARCHIVE_OPERATOR"
"""The login the installation acts as when `--as` is not given (e.g. in a cron job's environment)."""
NOBODY = f"Укажите, от чьего имени действуете: --as ЛОГИН или переменная {OPERATOR_VARIABLE}"
_NAMED = "archive_service.operator"


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        ctx.meta[_NAMED] = value  # shared with every command nested under the group
    return value


OPERATOR_OPTION = click.Option(
    ["--as", "operator"], metavar="ЛОГИН", expose_value=False, callback=_remember,
    help=f"От чьего имени действовать: имя для входа учётной записи (по умолчанию — из {OPERATOR_VARIABLE}). "
         "Нужно командам, которые что-то меняют в архиве.")
"""The group's `--as LOGIN` (the `archive-service` command and the application's own group)."""

SCHOOL_VARIABLE = "ARCHIVE_SCHOOL"
SCHOOL_OPTION = click.Option(
    ["--school", "school"], metavar="КОД", expose_value=False, envvar=SCHOOL_VARIABLE,
    callback=lambda ctx, param, value: tenancy.choose_school(value),
    help="В районе: код школы, с архивом которой работать (по умолчанию — из ARCHIVE_SCHOOL; без него — "
         "учётные записи и права самого района).")
"""The group's `--school CODE`: which school of a district the run works on."""


def named_login() -> str:
    """The login named for this run: `--as`, else `ARCHIVE_OPERATOR`, else ""."""
    ctx = click.get_current_context(silent=True)
    given = ctx.meta.get(_NAMED) if ctx is not None else None
    return (given or os.environ.get(OPERATOR_VARIABLE, "")).strip()


def terminal_origin() -> str:
    """Where the action comes from: this machine."""
    return f"командная строка на {socket.gethostname()}"


def setup_origin() -> str:
    """Where the first administrator of a new installation was created: the machine and, since no
    account names anyone yet, the operating-system account (in the audit log only)."""
    return f"первичная настройка: {terminal_origin()}, пользователь системы {getpass.getuser()}"


def terminal(action: str) -> Actor:
    """The named account acting at the terminal, as services are given it. A command that acts on
    archive material calls this before it asks or writes anything: nobody named, an unknown or
    disabled account, or one whose role may not perform `action` (an action of the permission
    table, as the web checks it) ends the command with a Russian message, nothing written."""
    login = named_login()
    if not login:
        raise click.ClickException(NOBODY)
    return _account(login, action)


def terminal_if_named(action: str) -> Actor | None:
    """The named account for a read-only command that records a look when someone is named (a
    journaled list); None when nobody is. A named account is checked as by `terminal`."""
    login = named_login()
    return _account(login, action) if login else None


def _account(login: str, action: str) -> Actor:
    try:
        return operators.operator(current_archive().uow(), login, action, origin=terminal_origin())
    except ArchiveError as err:
        raise fail(err) from None


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def fail(err: ArchiveError) -> click.ClickException:
    """An archive error as the command's failure (its message is Russian already)."""
    return click.ClickException(str(err))


YEAR = click.option("--year", "academic_year", required=True, help="Учебный год, например 2026/2027.")
PERIODS = click.option("--period", "periods", multiple=True, required=True,
                       help="Период: Q1–Q4, H1–H2, T1–T3 или year; можно несколько раз.")
ANY_YEAR = click.option("--year", "academic_year", help="Учебный год, например 2026/2027; по умолчанию все.")
ANY_PERIODS = click.option("--period", "periods", multiple=True, help="Период: Q1–Q4, H1–H2, T1–T3 или year.")
CLASSES = click.option("--class", "classes", multiple=True, help="Класс, например 5А; по умолчанию все.")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")


def listing(command: Callable[..., None]) -> Callable[..., None]:
    """The options of a listing command: --year, --period, --class (all optional) and --json."""
    return ANY_YEAR(ANY_PERIODS(CLASSES(AS_JSON(command))))


def echo_rows(rows: Sequence[Any], as_json: bool, line: Callable[[Any], str], total: str = "") -> None:
    """A listing: the rows as JSON with `--json` (typed rows by their `as_dict()`), else one line
    each (`line(row)`) and, if given, the `total` line with the number of rows in place of
    `{count}` («Записей: {count}.»)."""
    if as_json:
        echo_json([row.as_dict() if hasattr(row, "as_dict") else row for row in rows])
        return
    for row in rows:
        click.echo(line(row))
    if total:
        click.echo(total.format(count=len(rows)))


def director_code(prompt: str = "Код доступа директора") -> str:
    """The director's access code to backups: ARCHIVE_BACKUP_CODE for automation, else asked with
    hidden input; never stored, echoed or logged."""
    import os

    return os.environ.get("ARCHIVE_BACKUP_CODE") or click.prompt(prompt, hide_input=True)


def parse_date(value: str, option: str) -> dt.date:
    """ГГГГ-ММ-ДД or ДД.ММ.ГГГГ; anything else is a clear error in Russian."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise click.ClickException(f"{option}: не удалось прочитать дату «{value}» — укажите её в виде ГГГГ-ММ-ДД "
                               "или ДД.ММ.ГГГГ, например 2012-03-14 или 14.03.2012")
