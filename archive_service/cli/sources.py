"""`archive-service source ...`: the journal systems the archive pulls from.

The password, token or devkey is typed at a hidden prompt or taken from ARCHIVE_SOURCE_PASSWORD;
it is never echoed, printed or logged. `source pull` prints a line per class and exits 0 only
when every class was stored or unchanged.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from archive_service.adapters.sources.base import SourceError
from archive_service.cli.common import AS_JSON, YEAR, current_archive, echo_json, terminal
from archive_service.errors import ArchiveError
from archive_service.services import source_runs, sources
from archive_service.services.source_pull import STATUS_WORDS, PullReport, PullSource

source_cli = AppGroup("source", help="Журнальные системы школы (Сетевой город, ЭлЖур, Дневник.ру): "
                                     "подключение и выгрузка снимков.")
WORDS = STATUS_WORDS
source_failure = sources.failure_text


def fail(err: Exception) -> click.ClickException:
    return click.ClickException(source_failure(err))


def _extra(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"«{pair}»: ожидается КЛЮЧ=ЗНАЧЕНИЕ", param_hint="--extra")
        out[key.strip()] = value.strip()
    return out


@source_cli.command("add")
@click.argument("name")
@click.option("--system", required=True, help="Система: netschool, eljur или dnevnik.")
@click.option("--url", required=True, help="Адрес системы, например https://sgo.example.ru/.")
@click.option("--login", default="", help="Имя пользователя в системе (для ЭлЖур и Дневник.ру — если нужно).")
@click.option("--school", default="", help="Идентификатор школы в системе, если у учётной записи их несколько.")
@click.option("--extra", multiple=True, help="Особые параметры системы КЛЮЧ=ЗНАЧЕНИЕ (например vendor=school21 "
                                             "для ЭлЖур, client_id=… для Дневник.ру, auth=token для входа по "
                                             "токену сессии, register=путь к реестру школы — см. docs/connecting.md); "
                                             "можно несколько раз.")
def source_add(name: str, system: str, url: str, login: str, school: str, extra: tuple[str, ...]) -> None:
    """Добавить источник NAME. Пароль (токен) вводится скрыто или берётся из ARCHIVE_SOURCE_PASSWORD; ключ
    разработчика ЭлЖур — из ARCHIVE_SOURCE_DEVKEY. Оба хранятся только зашифрованными."""
    who = terminal("configure_sources")  # before any secret is asked
    secret = os.environ.get("ARCHIVE_SOURCE_PASSWORD") or click.prompt(
        "Пароль или токен", hide_input=True, default="", show_default=False)
    extras = _extra(extra)
    if system == "eljur" and "devkey" not in extras:  # ЭлЖур's developer key is a secret too: never in argv
        extras["devkey"] = os.environ.get("ARCHIVE_SOURCE_DEVKEY") or click.prompt(
            "Ключ разработчика ЭлЖур (devkey)", hide_input=True, default="", show_default=False)
    archive = current_archive()
    try:
        sources.add_source(archive.uow(), archive.source_box, name=name, system=system, url=url, login=login,
                           secret=secret, systems=archive.connectors.systems, school=school, extra=extras,
                           actor=who, now=archive.now())
    except ArchiveError as err:
        raise fail(err) from None
    click.echo(f"Источник «{name}» добавлен; пароль хранится зашифрованным. "
               f"Проверьте подключение: archive-service source test {name}")


@source_cli.command("list")
@AS_JSON
def source_list(as_json: bool) -> None:
    """Список источников: система, адрес, последняя выгрузка, следующая по расписанию."""
    archive = current_archive()
    s = archive.settings
    rows = sources.list_sources(archive.uow(), now=archive.local_now(), hour=s.source_pull_hour,
                                before=s.source_pull_days_before, after=s.source_pull_days_after)
    if as_json:
        echo_json([r.as_dict() for r in rows])
        return
    for r in rows:
        last = r.last_pull
        state = (f"последняя выгрузка {last.started_at[:16]} {last.academic_year} {last.period}: "
                 f"{last.state}") if last else "выгрузок не было"
        click.echo(f"{r.name:<20} {r.system:<10} {r.url}  {r.login}  {state}; "
                   f"следующая: {(r.next_run or 'не запланирована')[:16]}")
    click.echo(f"Всего источников: {len(rows)}.")


@source_cli.command("test")
@click.argument("name")
def source_test(name: str) -> None:
    """Войти в систему и показать, что видит учётная запись (школа, классы, периоды)."""
    archive = current_archive()
    try:
        info = sources.test_source(archive.uow(), archive.source_box, archive.open_connector, name,
                                   actor=terminal("configure_sources"), now=archive.now())
    except (SourceError, ArchiveError) as err:
        raise fail(err) from None
    click.echo(f"Вход выполнен: {info.system}, {info.school}, {info.academic_year} учебный год.")
    click.echo(f"Классы ({len(info.classes)}): {', '.join(c.name for c in info.classes) or 'нет'}")
    for p in info.periods:
        click.echo(f"Период {p.code}: {p.name}, {p.start} — {p.end}")


@source_cli.command("remove")
@click.argument("name")
def source_remove(name: str) -> None:
    """Удалить источник NAME (история выгрузок сохраняется)."""
    archive = current_archive()
    try:
        sources.remove_source(archive.uow(), name, actor=terminal("configure_sources"), now=archive.now())
    except ArchiveError as err:
        raise fail(err) from None
    click.echo(f"Источник «{name}» удалён.")


def _print_report(report: PullReport) -> None:
    for c in report.classes:
        click.echo(f"{c.class_name:<5} {WORDS[c.status]}: {c.message}")
        for problem in c.problems[:20]:
            if problem not in c.message:
                click.echo(f"      {problem}")
    counts = {w: sum(c.status == s for c in report.classes) for s, w in WORDS.items()}
    click.echo("Итого: " + ", ".join(f"{w} — {n}" for w, n in counts.items()) + ".")


@source_cli.command("pull")
@click.argument("name")
@YEAR
@click.option("--period", required=True, help="Период: Q1–Q4, H1–H2, T1–T3 или year.")
@click.option("--class", "class_name", help="Только этот класс, например 8Г.")
@click.option("--record", "record_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Записать ответы системы (без паролей) в папку — для передачи разработчикам.")
def source_pull(name: str, academic_year: str, period: str, class_name: str | None, record_dir: Path | None) -> None:
    """Выгрузить период из системы NAME в архив: строка на класс; код 0 — если все классы сохранены
    или не изменились."""
    archive = current_archive()
    try:
        report = PullSource(archive.uow(), archive.source_box, archive.open_connector, name, academic_year, period,
                            terminal("pull_source"), archive.now, class_name, record_dir).run()
    except (SourceError, ArchiveError) as err:
        raise fail(err) from None
    _print_report(report)
    if not report.ok:
        sys.exit(1)


@source_cli.command("replay")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--system", help="Система записи: netschool, eljur или dnevnik (по умолчанию из записи).")
@click.option("--year", "academic_year", help="Учебный год (по умолчанию из записи).")
@click.option("--period", help="Период (по умолчанию из записи).")
@click.option("--class", "class_name", help="Только этот класс.")
@click.option("--show", is_flag=True, help="Только показать построенные снимки (JSON), не сохраняя.")
def source_replay(folder: Path, system: str | None, academic_year: str | None, period: str | None,
                  class_name: str | None, show: bool) -> None:
    """Построить снимки из записанных ответов системы (FOLDER из source pull --record), без сети."""
    archive = current_archive()
    try:
        report = source_runs.replay(archive.uow(), archive.open_replay, folder, system, academic_year, period,
                                    class_name, store=not show, actor=terminal("pull_source"), now=archive.now)
    except (SourceError, ArchiveError) as err:
        raise fail(err) from None
    if show:
        echo_json([json.loads(c.snapshot_json) if c.snapshot_json else {"class": c.class_name, "error": c.message}
                    for c in report.classes])
    else:
        _print_report(report)
    if not report.ok:
        sys.exit(1)
