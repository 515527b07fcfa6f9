"""`archive-service period close` and `archive-service documents ...`: making the copies."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup
from tqdm import tqdm

from archive_service.cli.common import (CLASSES, PERIODS, YEAR, current_archive,
                                        echo_rows, fail, listing, terminal)
from archive_service.errors import ArchiveError
from archive_service.rendering.preview import PreviewError, page_png
from archive_service.services import documents
from archive_service.services.period_close import ClosePeriod, CopiesMade, find_document
from storage import StorageError

period_cli = AppGroup("period", help="Закрытие периода: изготовление копий журнала и сводных ведомостей.")
documents_cli = AppGroup("documents", help="Изготовленные документы: список, выгрузка, просмотр страниц.")


def close_period(academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...], quiet: bool) -> CopiesMade:
    archive = current_archive()
    command = ClosePeriod(archive.uow(), archive.runner, academic_year, periods, actor=terminal("close_period"),
                          clock=archive.clock, class_names=classes, options=archive.render_options)
    try:
        jobs = command.validate()
    except ArchiveError as err:
        raise fail(err) from None
    bar = tqdm(total=len(jobs), desc="Изготовление", unit="класс", file=sys.stderr, disable=None, leave=False)

    def finished(done: int, job: documents.RenderJob, outcome: dict) -> None:
        bar.update(1)
        if "error" in outcome:
            bar.write(f"ОШИБКА {job.class_name} {job.period_code}: {outcome['error']}")
        elif not quiet:
            word = "изготовлен" if outcome["status"] == "rendered" else "уже был изготовлен"
            word = f"черновик (период не завершён) {word}" if job.draft else word
            bar.write(f"{job.class_name:<4} {job.period_code:<4} {word}: {outcome['sheets']} л. "
                      f"({outcome['pages']} стр.), {outcome['document_id']}")

    try:
        return command.run(finished)
    finally:
        bar.close()


@period_cli.command("close")
@YEAR
@PERIODS
@CLASSES
@click.option("--quiet", is_flag=True, help="Не перечислять каждый класс.")
def period_close(academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...], quiet: bool) -> None:
    """Изготовить документы периода: копии журнала (Q1–Q4, H1–H2, T1–T3) или сводные ведомости (year).

    Берётся последняя версия снимка каждого класса; уже изготовленный документ из того же снимка
    не перерисовывается. Код выхода 0 — только если изготовлены все документы.
    """
    started = time.perf_counter()
    made = close_period(academic_year, periods, classes, quiet)
    click.echo(f"Итого: изготовлено {made.rendered}, уже было {made.reused}, ошибок {made.failed}; "
               f"листов {made.sheets}, страниц {made.pages}; {time.perf_counter() - started:.0f} с.")
    if made.failed:
        sys.exit(1)


@documents_cli.command("list")
@listing
def documents_list(academic_year: str | None, periods: tuple[str, ...], classes: tuple[str, ...],
                   as_json: bool) -> None:
    """Список изготовленных документов."""
    echo_rows(documents.list_documents(current_archive().uow(), academic_year, periods, classes), as_json,
              lambda r: f"{r['document_id']}  {r['academic_year']} {r['period']:<5} {r['class']:<4} "
                        f"{documents.FILE_WORDS[r['kind']]:<18} {r['sheets']:>3} л.  {r['sha256'][:16]}"
                        + (f"  {r['superseded']['text']}" if r["superseded"] else ""),
              "Всего документов: {count}.")


@documents_cli.command("export")
@YEAR
@click.option("--period", "periods", multiple=True, help="Период; по умолчанию все.")
@CLASSES
@click.option("--to", "target", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Папка, куда записать PDF (например, для печати).")
def documents_export(academic_year: str, periods: tuple[str, ...], classes: tuple[str, ...], target: Path) -> None:
    """Выгрузить PDF с понятными именами: 7В_2_четверть_журнал.pdf, 9А_год_сводная_ведомость.pdf."""
    archive = current_archive()
    try:
        exported = documents.export_documents(archive.uow(), archive.store, target, academic_year, periods, classes,
                                              actor=terminal("view_period"), now=archive.now())
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    for note in exported.notes:
        click.echo(f"Внимание: {note}")
    click.echo(f"Выгружено документов: {len(exported.paths)} в {target}")


@documents_cli.command("preview")
@click.argument("document_id")
@click.option("--page", default=1, show_default=True, help="Номер страницы.")
@click.option("--dpi", default=60, show_default=True, help="Разрешение изображения.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Файл PNG.")
def documents_preview(document_id: str, page: int, dpi: int, out: Path) -> None:
    """Сохранить изображение страницы документа (PNG)."""
    archive = current_archive()
    try:
        digest = find_document(archive.uow(), document_id)["sha256"]
        out.write_bytes(page_png(archive.store.read(digest), page, dpi))
    except (ArchiveError, PreviewError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Страница {page} документа {document_id}: {out}")


@documents_cli.command("electronic-copy")
@click.argument("document_id")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Файл PDF.")
def documents_electronic_copy(document_id: str, out: Path) -> None:
    """Распечатка электронного оригинала (школа без бумажного дубликата): на каждой странице отметка
    «Копия электронного документа» со сведениями о подписи директора и QR-код проверки листа.
    Распечатка записывается в журнал аудита."""
    from archive_service.services import electronic_copies

    archive = current_archive()
    try:
        made = electronic_copies.print_copy(archive.uow(), archive.store, archive.settings.templates_dir, document_id,
                                            public_url=archive.settings.public_url,
                                            actor=terminal("print_electronic_copy"), now=archive.now(),
                                            zone=archive.zone)
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    out.write_bytes(made.pdf)
    click.echo(f"Копия электронного документа {document_id} ({made.card.title}, {made.card.period_line}): "
               f"{made.card.pages} стр., {out}")
