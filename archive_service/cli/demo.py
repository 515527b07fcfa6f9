"""`archive-service demo`: the demo's use case (`archive_service.demo.tour`), printed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from archive_service.cli.common import current_archive, fail, terminal_origin
from archive_service.demo.tour import run_demo
from archive_service.errors import ArchiveError


@click.command("demo")
@with_appcontext
@click.option("--seed", default=2026, show_default=True, help="Начальное число генератора демо-данных.")
def demo_command(seed: int) -> None:
    """Главная задача на демо-данных: школа, загрузка журнала, проверка и закрытие II четверти и года.

    Демонстрация сама заводит свои учётные записи и каждый шаг делает от имени той, чья это работа
    (заместитель директора, директор, секретарь, администратор): --as ей не нужен."""
    try:
        run_demo(current_archive(), seed=seed, origin=terminal_origin(), say=click.echo)
    except ArchiveError as err:
        raise fail(err) from None
