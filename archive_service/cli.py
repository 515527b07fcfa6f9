"""The `archive-service` command (also `flask --app archive_service ...`).

Commands parse their options, call one service and print the outcome in Russian (or JSON with
`--json`); errors become a message and a non-zero exit status.
"""

from __future__ import annotations

import getpass
import json
import re
import socket
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from tqdm import tqdm

from archive_service.domain.preflight import TITLES, PreflightReport
from archive_service.errors import ArchiveError, SnapshotRejected
from archive_service.schema import json_schema
from archive_service.services import audit, ingest, snapshots, tokens


def _archive():
    return current_app.extensions["archive"]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _origin() -> str:
    return f"cli@{socket.gethostname()}"


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _fail(err: ArchiveError) -> click.ClickException:
    return click.ClickException(str(err))


YEAR = click.option("--year", "academic_year", required=True, help="Учебный год, например 2026/2027.")
PERIODS = click.option("--period", "periods", multiple=True, required=True,
                       help="Период: Q1–Q4, H1–H2, T1–T3 или year; можно несколько раз.")
ANY_YEAR = click.option("--year", "academic_year", help="Учебный год, например 2026/2027; по умолчанию все.")
ANY_PERIODS = click.option("--period", "periods", multiple=True, help="Период: Q1–Q4, H1–H2, T1–T3 или year.")
CLASSES = click.option("--class", "classes", multiple=True, help="Класс, например 5А; по умолчанию все.")
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")

db_cli = AppGroup("db", help="Схема базы данных.")
snapshot_cli = AppGroup("snapshot", help="Снимки электронного журнала: импорт, список, сравнение версий.")
token_cli = AppGroup("token", help="Токены API для системы электронного журнала.")
audit_cli = AppGroup("audit", help="Журнал аудита.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Привести схему базы данных к последней версии."""
    _archive().upgrade_schema()
    click.echo("Схема базы данных обновлена.")


def _snapshot_files(paths: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise click.BadParameter(f"нет такого файла или папки: {raw}", param_hint="PATH")
    if not files:
        raise click.BadParameter("не найдено ни одного файла .json", param_hint="PATH")
    return files


def import_files(files: list[Path], reason: str | None, *, quiet: bool = False) -> Counter:
    """Import each file in its own transaction; a message per file; returns the tally."""
    archive = _archive()
    tally: Counter = Counter()
    bar = tqdm(files, desc="Импорт", unit="снимок", file=sys.stderr, disable=None, leave=False)
    for path in bar:
        try:
            result = ingest.ingest_snapshot(archive.uow(), path.read_bytes(), actor=_actor(), origin=_origin(),
                                            reason=reason, now=archive.now())
        except SnapshotRejected as err:
            tally["rejected"] += 1
            bar.write(f"ОТКЛОНЁН {path}: {err}")
            for problem in err.problems[:50]:
                bar.write(f"    {problem}")
            if len(err.problems) > 50:
                bar.write(f"    … и ещё {len(err.problems) - 50}")
            continue
        except (ArchiveError, OSError) as err:
            tally["rejected"] += 1
            bar.write(f"ОТКЛОНЁН {path}: {err}")
            continue
        tally[result.status] += 1
        if not quiet:
            bar.write(f"{'ПРИНЯТ' if result.status != 'duplicate' else 'ПОВТОР'} {path}: {result.message}")
    return tally


@snapshot_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--reason", help="Причина изменения, если это новая версия уже сохранённого снимка.")
@click.option("--quiet", is_flag=True, help="Сообщать только об отклонённых файлах.")
def snapshot_import(paths: tuple[str, ...], reason: str | None, quiet: bool) -> None:
    """Импортировать снимки журнала из файлов или папок (PATH...).

    Код выхода 0 — только если приняты все файлы (повторный импорт того же снимка считается принятым).
    """
    tally = import_files(_snapshot_files(paths), reason, quiet=quiet)
    click.echo(f"Итого: новых {tally['stored']}, новых версий {tally['new_version']}, "
               f"повторов {tally['duplicate']}, отклонено {tally['rejected']}.")
    if tally["rejected"]:
        sys.exit(1)


@snapshot_cli.command("list")
@ANY_YEAR
@ANY_PERIODS
@CLASSES
@AS_JSON
def snapshot_list(academic_year: str | None, periods: tuple[str, ...], classes: tuple[str, ...],
                  as_json: bool) -> None:
    """Список сохранённых снимков: класс, период, версия, хеш."""
    rows = snapshots.list_snapshots(_archive().uow(), academic_year, periods, classes)
    if as_json:
        _echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['academic_year']}  {r['period']:<5} {r['class']:<5} v{r['version']:<3} {r['hash'][:16]}  "
                   f"учеников {r['students']:>3}  отметок {r['marks']:>6}")
    click.echo(f"Всего снимков: {len(rows)}.")


@snapshot_cli.command("diff")
@YEAR
@click.option("--period", required=True, help="Период: Q1–Q4, H1–H2, T1–T3 или year.")
@click.option("--class", "class_name", required=True, help="Класс, например 5А.")
@click.option("--from", "old", type=int, help="Номер прежней версии (по умолчанию предпоследняя).")
@click.option("--to", "new", type=int, help="Номер новой версии (по умолчанию последняя).")
@AS_JSON
def snapshot_diff(academic_year: str, period: str, class_name: str, old: int | None, new: int | None,
                  as_json: bool) -> None:
    """Изменения отметок и пропусков между версиями снимка класса."""
    try:
        diff = snapshots.diff_versions(_archive().uow(), academic_year, period, class_name, old, new)
    except ArchiveError as err:
        raise _fail(err) from None
    if as_json:
        _echo_json(diff.as_dict())
        return
    words = {"added": "добавлено", "removed": "удалено", "changed": "изменено"}
    click.echo(f"{class_name}, {period}: версия {diff.old_version} → {diff.new_version}, "
               f"изменений {len(diff.changes)}, задним числом {len(diff.retroactive)}")
    for c in diff.changes:
        flag = "  ЗАДНИМ ЧИСЛОМ" if c.retroactive else ""
        click.echo(f"  {c.date:%d.%m.%Y} {c.subject}: {c.student}, {c.what}: {words[c.change]} "
                   f"{c.old if c.old is not None else '—'} → {c.new if c.new is not None else '—'}{flag}")


@snapshot_cli.command("show")
@YEAR
@click.option("--period", required=True, help="Период: Q1–Q4, H1–H2, T1–T3 или year.")
@click.option("--class", "class_name", required=True, help="Класс, например 8Г.")
@click.option("--version", type=int, help="Номер версии (по умолчанию последняя).")
def snapshot_show(academic_year: str, period: str, class_name: str, version: int | None) -> None:
    """Вывести сохранённый снимок класса (JSON journal-snapshot/1)."""
    try:
        data = snapshots.stored_json(_archive().uow(), academic_year, period, class_name, version)
    except ArchiveError as err:
        raise _fail(err) from None
    _echo_json(data)


@snapshot_cli.command("schema")
def snapshot_schema() -> None:
    """Вывести JSON Schema формата journal-snapshot/1."""
    _echo_json(json_schema())


def print_preflight(reports: list[PreflightReport]) -> None:
    total: Counter = Counter()
    for report in reports:
        counts = report.counts
        total.update(counts)
        text = ", ".join(f"{TITLES[k]}: {v}" for k, v in sorted(counts.items())) or "замечаний нет"
        click.echo(f"{report.class_name:<4} {report.period_code:<4} {text}")
    click.echo("Итого по периоду: " + (", ".join(f"{TITLES[k]} — {v}" for k, v in sorted(total.items()))
                                      or "замечаний нет") + f" (классов: {len(reports)}).")


@click.command("preflight")
@with_appcontext
@YEAR
@PERIODS
@CLASSES
@AS_JSON
@click.option("--details", is_flag=True, help="Перечислить все замечания, а не только их число.")
def preflight_command(academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...], as_json: bool,
                      details: bool) -> None:
    """Проверка журнала перед печатью: мало отметок, уроки без темы и задания, нет отметок за период."""
    archive = _archive()
    try:
        reports = snapshots.preflight_period(archive.uow(), academic_year, periods, classes, archive.thresholds)
    except ArchiveError as err:
        raise _fail(err) from None
    if as_json:
        _echo_json({"classes": [r.as_dict() for r in reports]})
        return
    if details:
        for report in reports:
            for finding in report.findings:
                click.echo(f"{report.class_name}: {finding.message}")
    print_preflight(reports)


@click.command("demo-data")
@with_appcontext
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Куда записать снимки (по умолчанию ARCHIVE_HOME/demo-data).")
@click.option("--seed", default=2026, show_default=True, help="Начальное число генератора.")
@click.option("--period", "periods", multiple=True, help="Только эти периоды (Q1–Q4, H1, H2, year).")
def demo_data(out: Path | None, seed: int, periods: tuple[str, ...]) -> None:
    """Сгенерировать снимки журнала демонстрационной школы (воспроизводимо)."""
    from archive_service.demo import write_demo_data

    out = out or _archive().settings.home / "demo-data"
    paths = write_demo_data(out, seed=seed, periods=periods or None)
    click.echo(f"Записано снимков: {len(paths)} в {out}")


@token_cli.command("create")
@click.argument("name")
def token_create(name: str) -> None:
    """Выдать токен API (NAME — для кого, например «Сетевой город»). Токен показывается один раз."""
    archive = _archive()
    token_id, token = tokens.issue_token(archive.uow(), name, actor=_actor(), now=archive.now())
    click.echo(f"Токен №{token_id} для «{name}» (сохраните, он больше не будет показан):")
    click.echo(token)


@token_cli.command("list")
@AS_JSON
def token_list(as_json: bool) -> None:
    """Список выданных токенов (без самих токенов)."""
    rows = tokens.list_tokens(_archive().uow())
    if as_json:
        _echo_json(rows)
        return
    for t in rows:
        state = f"отозван {t['revoked_at'][:10]}" if t["revoked_at"] else "действует"
        click.echo(f"№{t['id']:<4} {t['name']:<30} выдан {t['created_at'][:10]} {t['created_by']}  {state}")


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Отозвать токен по номеру."""
    archive = _archive()
    try:
        tokens.revoke_token(archive.uow(), token_id, actor=_actor(), now=archive.now())
    except ArchiveError as err:
        raise _fail(err) from None
    click.echo(f"Токен №{token_id} отозван.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Проверить целостность журнала аудита (цепочку хешей)."""
    count, breaks = audit.verify_audit_log(_archive().uow())
    for b in breaks:
        click.echo(f"запись {b.seq}: {b.reason}")
    if breaks:
        raise click.ClickException(f"журнал аудита нарушен: {len(breaks)} расхождений в {count} записях")
    click.echo(f"Журнал аудита цел: записей {count}.")


def register_commands(app: Flask) -> None:
    from archive_service.cli_backup import backup_cli
    from archive_service.cli_certificate import certificate_command, certificates_cli
    from archive_service.cli_documents import documents_cli, period_cli
    from archive_service.cli_register import register_cli, retention_cli
    from archive_service.cli_signing import sign_command, signatures_cli, verify_command
    from archive_service.cli_sources import source_cli
    from archive_service.cli_users import users_cli
    from archive_service.demo_job import demo_command

    for command in (db_cli, snapshot_cli, token_cli, audit_cli, preflight_command, demo_data, demo_command,
                    period_cli, documents_cli, sign_command, verify_command, signatures_cli, backup_cli,
                    register_cli, retention_cli, certificate_command, certificates_cli, users_cli, source_cli):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from archive_service import create_app

    return create_app()


def _usage_in_russian(err: click.UsageError) -> str:
    """click's usage errors, said in Russian (the message a command gives itself is Russian already)."""
    if isinstance(err, click.NoSuchOption):
        maybe = f" (может быть, {', '.join(err.possibilities)}?)" if err.possibilities else ""
        return f"нет параметра {err.option_name}{maybe}"
    if isinstance(err, click.BadParameter):
        hint = err.param_hint or (err.param.get_error_hint(err.ctx) if err.param is not None and err.ctx else "")
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(hint)
        if isinstance(err, click.MissingParameter):
            return f"не указано {hint or 'обязательное значение'}"
        return f"неверное значение {hint}: {err.message}" if hint else err.message
    unknown = re.fullmatch(r"No such command '(.+?)'\.(?: Did you mean '(.+?)'\?)?", err.message)
    if unknown:
        guess = f" (может быть, «{unknown.group(2)}»?)" if unknown.group(2) else ""
        return f"нет команды «{unknown.group(1)}»{guess}"
    return err.format_message()


class ArchiveCommandLine(FlaskGroup):
    """The `archive-service` group, saying its failures in Russian: click's own words («Error:»,
    «Try … for help», «Aborted!») never reach a person."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:
            click.echo("Прервано.", err=True)
            sys.exit(1)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else "archive-service"
            click.echo(f"Ошибка в команде: {_usage_in_russian(err)}\nСправка: {where} --help", err=True)
            sys.exit(err.exit_code)
        except click.ClickException as err:
            click.echo(f"Ошибка: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


main = ArchiveCommandLine(name="archive-service", create_app=_create_app, add_version_option=False,
                          help="Архив электронного классного журнала.")
