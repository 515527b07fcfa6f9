"""`archive-service backup ...`: backups on two media, their audit, restore and usage journal."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from archive_service.cli.common import (PERIODS, YEAR, current_archive, director_code, echo_json, terminal,
                                        terminal_if_named)
from archive_service.domain.periods import set_periods_title
from archive_service.errors import ArchiveError
from archive_service.services import backup
from archive_service.services.backup_command import MONTH, CreateBackup
from archive_service.services.backup_reseal import reseal_backup
from signing.zones import local_moment
from storage import StorageError

STATES = {"complete": "завершён", "incomplete": "не завершён", "writing": "записывается или прерван"}

backup_cli = AppGroup("backup", help="Резервные копии на двух носителях и журнал пользования ими.")


def _day(iso: str) -> str:
    """«2032-08-31» → «31.08.2032»."""
    return dt.date.fromisoformat(iso[:10]).strftime("%d.%m.%Y")


@backup_cli.command("create")
@YEAR
@PERIODS
@click.option("--month", help="Ежемесячная копия: только снимки, выгруженные в этом месяце (ГГГГ-ММ).")
def backup_create(academic_year: str, periods: tuple[str, ...], month: str | None) -> None:
    """Создать резервную копию периода (или месяца) на носителях A и B и проверить обе копии.

    Код доступа не нужен: набор запечатывается открытым ключом архива директора."""
    archive = current_archive()
    if month and not MONTH.fullmatch(month):
        raise click.BadParameter("ожидается ГГГГ-ММ, например 2026-12", param_hint="--month")
    who = terminal("close_period")  # the deputy head makes a period's copy, as on the period's page
    try:
        result = CreateBackup(archive.uow(), archive.store, archive.media(), academic_year, periods,
                              actor=who, now=archive.now(), month=month).run()
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    if result.resumed:
        click.echo(f"Прерванная запись набора {result.set_id} продолжена.")
    for copy in result.copies:
        click.echo(f"{copy.medium} ({copy.location}): {'записан и проверен' if copy.verified else 'ОШИБКА'}")
    click.echo(f"Набор {result.set_id}: файлов {result.files}, хранить до {_day(result.retain_until)}, "
               f"{'завершён' if result.complete else 'НЕ завершён'}.")
    if not result.complete:
        sys.exit(1)


@backup_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Вывести список в JSON.")
def backup_list(as_json: bool) -> None:
    """Список резервных копий (с --as просмотр записывается в журнал пользования копиями)."""
    archive = current_archive()
    rows = backup.list_backups(archive.uow(), actor=terminal_if_named("manage_backups"), now=archive.now())
    if as_json:
        echo_json([r.as_dict() for r in rows])
        return
    for r in rows:  # the set's number as `backup restore` takes it, then what people read
        sealed = f"ключ {r.key_fingerprint}" if r.key_fingerprint else "запечатан кодом"
        moved = f"; перезапечатан в {r.resealed_as}" if r.resealed_as else ""
        made = local_moment(dt.datetime.fromisoformat(r.created_at), archive.zone)
        until = _day(r.retain_until)
        click.echo(f"{r.set_id}\n    {r.academic_year}: {set_periods_title(r.periods)}; создан {made}; "
                   f"файлов {r.files}; {STATES[r.state]}; хранить до {until}; {sealed}{moved}")
    click.echo(f"Всего наборов: {len(rows)}.")


@backup_cli.command("audit")
@click.option("--json", "as_json", is_flag=True, help="Вывести результат в JSON.")
def backup_audit(as_json: bool) -> None:
    """Проверить целостность всех копий на обоих носителях; повреждённое восстановить из другой копии.

    Код 0 — всё в порядке или восстановлено; 1 — тревога (повреждены обе копии).
    """
    archive = current_archive()
    findings = backup.audit_backups(archive.uow(), archive.media(), actor=terminal("manage_backups"),
                                    now=archive.now())
    alarms = [f for f in findings if f.outcome == "alarm"]
    if as_json:
        echo_json([f.__dict__ for f in findings])
    else:
        for f in findings:
            if f.outcome != "ok":
                click.echo(f"{'ТРЕВОГА' if f.outcome == 'alarm' else 'восстановлено'}: {f.set_id}/{f.name}: {f.detail}")
        click.echo(f"Проверено файлов: {len(findings)}, восстановлено: "
                   f"{sum(f.outcome == 'repaired' for f in findings)}, тревог: {len(alarms)}.")
    if alarms:
        sys.exit(1)


@backup_cli.command("restore")
@click.argument("set_id")
@click.option("--to", "target", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Папка, куда восстановить набор.")
@click.option("--purpose", default="восстановление данных", show_default=True, help="Цель (для журнала).")
def backup_restore(set_id: str, target: Path, purpose: str) -> None:
    """Восстановить набор (нужен код доступа директора); результат — проверенный BagIt.

    Папка должна быть новой или пустой."""
    archive, who = current_archive(), terminal("manage_backups")
    try:
        backup.check_restore_target(target, archive.own_state())  # before the code is asked
        bag = backup.restore_backup(archive.uow(), archive.media(), set_id, director_code(), target, actor=who,
                                    purpose=purpose, now=archive.now(), own_state=archive.own_state())
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Набор {set_id} восстановлен и проверен: {bag}")


@backup_cli.command("reseal")
@click.argument("set_id")
def backup_reseal(set_id: str) -> None:
    """Перевести набор, запечатанный кодом, на ключ архива: новый набор с тем же содержимым на обоих
    носителях (прежний остаётся на носителях однократной записи). Нужен код этого набора."""
    archive, who = current_archive(), terminal("manage_backups")
    try:
        made = reseal_backup(archive.uow(), archive.media(), set_id, director_code("Код доступа к набору"),
                             actor=who, now=archive.now())
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    for copy in made.copies:
        click.echo(f"{copy.medium} ({copy.location}): {'записан и проверен' if copy.verified else 'ОШИБКА'}")
    click.echo(f"Набор {set_id} перезапечатан ключом архива в набор {made.set_id}.")
    if not made.complete:
        sys.exit(1)


@backup_cli.command("act")
@click.argument("set_id")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Файл PDF акта.")
def backup_act(set_id: str, out: Path) -> None:
    """Акт передачи резервных копий директору (PDF со строками подписей)."""
    archive = current_archive()
    try:
        out.write_bytes(backup.handover_act_pdf(archive.uow(), archive.settings.templates_dir, set_id,
                                                zone=archive.zone))
    except ArchiveError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"Акт передачи набора {set_id}: {out}")


@backup_cli.command("journal")
@click.option("--verify", "check", is_flag=True, help="Проверить цепочку записей журнала.")
@click.option("--json", "as_json", is_flag=True, help="Вывести журнал в JSON.")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path), help="Напечатать журнал в PDF.")
def backup_journal(check: bool, as_json: bool, pdf: Path | None) -> None:
    """Журнал пользования резервными копиями (кто, когда, что, с какой целью, результат)."""
    archive = current_archive()
    if pdf:
        pdf.write_bytes(backup.journal_pdf(archive.uow(), archive.settings.templates_dir, archive.now(),
                                           zone=archive.zone))
        click.echo(f"Журнал пользования резервными копиями: {pdf}")
        return
    if check:
        count, breaks = backup.verify_journal(archive.uow())
        for b in breaks:
            click.echo(f"запись {b.seq}: {b.reason}")
        if breaks:
            raise click.ClickException(f"журнал нарушен: {len(breaks)} расхождений в {count} записях")
        click.echo(f"Журнал пользования резервными копиями цел: записей {count}.")
        return
    rows = backup.journal_rows(archive.uow())
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['seq']:>4} {r['at'][:16]} {r['person']} ({r['role']}) {r['action']} {r['set_id']} "
                   f"[{r['medium']}] {r['purpose']}: {r['result']}")
