"""What every `archive-service` command shares: the archive, who is acting, the common options,
and output in Russian (or JSON with `--json`). Command modules import this one and nothing else
of the command line, so the package has no import cycles."""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Callable, Sequence
from typing import Any

import click
from flask import current_app

from archive_service.bootstrap import Archive
from archive_service.domain.actor import TERMINAL_PREFIX, Actor
from archive_service.errors import ArchiveError


def current_archive() -> Archive:
    """The composition root of the running application."""
    return current_app.extensions["archive"]


def terminal_actor() -> str:
    """Who acts at the terminal: the operating-system account."""
    return f"{TERMINAL_PREFIX}{getpass.getuser()}"


def terminal_origin() -> str:
    """Where the action comes from: this machine."""
    return f"cli@{socket.gethostname()}"


def terminal(role: str) -> Actor:
    """The person at the terminal acting in `role` (a code of `ROLES`), as services are given them."""
    return Actor(terminal_actor(), role, terminal_origin())


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
