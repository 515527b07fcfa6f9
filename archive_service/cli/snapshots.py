"""`archive-service snapshot ...`, `preflight` and `demo-data`: the journal's snapshots."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

import click
from flask.cli import AppGroup, with_appcontext
from tqdm import tqdm

from archive_service.cli.common import (AS_JSON, CLASSES, PERIODS, YEAR, current_archive, echo_json, echo_rows,
                                        fail, listing, terminal)
from archive_service.domain.preflight import preflight_lines
from archive_service.errors import ArchiveError
from archive_service.schema import json_schema
from archive_service.services import snapshots
from archive_service.services.period_close import ingest_paths

snapshot_cli = AppGroup("snapshot", help="Снимки электронного журнала: импорт, список, сравнение версий.")


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


def _import_files(files: list[Path], reason: str | None, *, quiet: bool = False) -> Counter:
    """Import each file in its own transaction; a message per file; returns the tally."""
    archive = current_archive()
    tally: Counter = Counter()
    bar = tqdm(files, desc="Импорт", unit="снимок", file=sys.stderr, disable=None, leave=False)
    for outcome in ingest_paths(archive.uow, bar, reason=reason, actor=terminal("pull_source"), clock=archive.now):
        tally[outcome.status] += 1
        if outcome.status == "rejected" or not quiet:
            for line in outcome.lines():
                bar.write(line)
    return tally


@snapshot_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--reason", help="Причина изменения, если это новая версия уже сохранённого снимка.")
@click.option("--quiet", is_flag=True, help="Сообщать только об отклонённых файлах.")
def snapshot_import(paths: tuple[str, ...], reason: str | None, quiet: bool) -> None:
    """Импортировать снимки журнала из файлов или папок (PATH...).

    Код выхода 0 — только если приняты все файлы (повторный импорт того же снимка считается принятым).
    """
    tally = _import_files(_snapshot_files(paths), reason, quiet=quiet)
    click.echo(f"Итого: новых {tally['stored']}, новых версий {tally['new_version']}, "
               f"повторов {tally['duplicate']}, отклонено {tally['rejected']}.")
    if tally["rejected"]:
        sys.exit(1)
@snapshot_cli.command("list")
@listing
def snapshot_list(academic_year: str | None, periods: tuple[str, ...], classes: tuple[str, ...],
                  as_json: bool) -> None:
    """Список сохранённых снимков: класс, период, версия, хеш."""
    echo_rows(snapshots.list_snapshots(current_archive().uow(), academic_year, periods, classes), as_json,
              _snapshot_line, "Всего снимков: {count}.")


def _snapshot_line(r: snapshots.SnapshotRow) -> str:
    return (f"{r.academic_year}  {r.period:<5} {r.class_name:<5} v{r.version:<3} {r.hash[:16]}  "
            f"учеников {r.students:>3}  отметок {r.marks:>6}")


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
        diff = snapshots.diff_versions(current_archive().uow(), academic_year, period, class_name, old, new)
    except ArchiveError as err:
        raise fail(err) from None
    if as_json:
        echo_json(diff.as_dict())
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
        data = snapshots.stored_json(current_archive().uow(), academic_year, period, class_name, version)
    except ArchiveError as err:
        raise fail(err) from None
    echo_json(data)


@snapshot_cli.command("schema")
def snapshot_schema() -> None:
    """Вывести JSON Schema формата journal-snapshot/1."""
    echo_json(json_schema())


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
    archive = current_archive()
    try:
        reports = snapshots.preflight_period(archive.uow(), academic_year, periods, classes, archive.thresholds)
    except ArchiveError as err:
        raise fail(err) from None
    if as_json:
        echo_json({"classes": [r.as_dict() for r in reports]})
        return
    if details:
        for report in reports:
            for finding in report.findings:
                click.echo(f"{report.class_name}: {finding.message}")
    for line in preflight_lines(reports):
        click.echo(line)


@click.command("demo-data")
@with_appcontext
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Куда записать снимки (по умолчанию ARCHIVE_HOME/demo-data).")
@click.option("--seed", default=2026, show_default=True, help="Начальное число генератора.")
@click.option("--period", "periods", multiple=True, help="Только эти периоды (Q1–Q4, H1, H2, year).")
def demo_data(out: Path | None, seed: int, periods: tuple[str, ...]) -> None:
    """Сгенерировать снимки журнала демонстрационной школы (воспроизводимо)."""
    from archive_service.demo import write_demo_data

    out = out or current_archive().settings.home / "demo-data"
    paths = write_demo_data(out, seed=seed, periods=periods or None)
    click.echo(f"Записано снимков: {len(paths)} в {out}")


