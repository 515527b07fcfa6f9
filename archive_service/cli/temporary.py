"""`archive-service temporary-journal …` (print a blank temporary journal) and `archive-service
temporary-journals …` (the journals issued, and the record of their data moved back)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from archive_service.cli.common import AS_JSON, current_archive, echo_json, echo_rows, fail, parse_date, terminal
from archive_service.errors import ArchiveError
from archive_service.services import temporary_journals

temporary_journals_cli = AppGroup("temporary-journals",
                                  help="Временные журналы: выданные и отметки о переносе данных в систему.")
ACTION = "keep_temporary_journals"


@click.command("temporary-journal")
@with_appcontext
@click.option("--class", "class_name", required=True, help="Класс, например 5А.")
@click.option("--from", "date_from", required=True, help="Первый день: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")
@click.option("--to", "date_to", required=True, help="Последний день: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Файл PDF.")
@AS_JSON
def temporary_journal_command(class_name: str, date_from: str, date_to: str, out: Path, as_json: bool) -> None:
    """Напечатать бланк временного журнала класса на время недоступности журнальной системы."""
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if not out.parent.is_dir():
        raise click.ClickException(f"--out: нет папки {out.parent}")
    actor = terminal(ACTION)
    archive = current_archive()
    try:
        row, pdf = temporary_journals.make_temporary_journal(
            archive.uow(), archive.settings.templates_dir, class_name, start, end, actor=actor, now=archive.now(),
            today=archive.local_now().date())
    except ArchiveError as err:
        raise fail(err) from None
    out.write_bytes(pdf)
    if as_json:
        echo_json({**row.as_dict(), "file": str(out)})
        return
    click.echo(f"Временный журнал № {row.id}: {row.class_name} класс, {start:%d.%m.%Y}–{end:%d.%m.%Y} → {out}\n"
               f"Данные перенести в систему: {row.state_words} (2 рабочих дня после восстановления доступа).")


@temporary_journals_cli.command("list")
@AS_JSON
def temporary_journals_list(as_json: bool) -> None:
    """Выданные временные журналы и перенос их данных в систему."""
    archive = current_archive()
    rows = temporary_journals.list_temporary_journals(archive.uow(), archive.local_now().date())
    echo_rows(rows, as_json, lambda r: f"№ {r.id:<4} {r.class_name:<4} {_dmy(r.date_from)}–{_dmy(r.date_to)}  "
                                       f"выдал {r.made_by}; {r.state_words}", "Временных журналов: {count}.")


def _dmy(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


@temporary_journals_cli.command("moved-back")
@click.argument("journal_id", type=int)
@click.option("--on", "moved_on", required=True, help="Когда данные перенесены в систему: ГГГГ-ММ-ДД.")
@click.option("--restored", help="Когда восстановился доступ к системе: ГГГГ-ММ-ДД (по умолчанию — "
                                 "следующий день после временного журнала).")
def temporary_journals_moved_back(journal_id: int, moved_on: str, restored: str | None) -> None:
    """Отметить перенос данных временного журнала № JOURNAL_ID в журнальную систему."""
    moved_back_on = parse_date(moved_on, "--on")
    restored_on = parse_date(restored, "--restored") if restored else None
    actor = terminal(ACTION)
    archive = current_archive()
    try:
        row = temporary_journals.record_moved_back(archive.uow(), journal_id, moved_back_on, restored_on=restored_on,
                                                   actor=actor, now=archive.now(), today=archive.local_now().date())
    except ArchiveError as err:
        raise fail(err) from None
    click.echo(f"Временный журнал № {row.id} ({row.class_name}): {row.state_words}.")
