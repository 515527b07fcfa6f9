"""`archive-service db ...`, `token ...`, `audit ...`, `reminders ...` and `store ...`: the schema, API
tokens, the audit log, the reminders of the procedure's deadlines, the document store."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from archive_service.cli.common import AS_JSON, current_archive, echo_json, echo_rows, fail, terminal
from archive_service.errors import ArchiveError
from archive_service.services import audit, reminders, tokens
from archive_service.services.document_store import copy_store
from storage import DirectoryStore, StorageError

db_cli = AppGroup("db", help="Схема базы данных.")
token_cli = AppGroup("token", help="Токены API для системы электронного журнала.")
audit_cli = AppGroup("audit", help="Журнал аудита.")
reminders_cli = AppGroup("reminders", help="Напоминания о сроках порядка работы.")
store_cli = AppGroup("store", help="Хранилище документов.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Привести схему базы данных к последней версии."""
    current_archive().upgrade_schema()
    click.echo("Схема базы данных обновлена.")


@token_cli.command("create")
@click.argument("name")
def token_create(name: str) -> None:
    """Выдать токен API (NAME — для кого, например «Сетевой город»). Токен показывается один раз."""
    archive = current_archive()
    token_id, token = tokens.issue_token(archive.uow(), name, actor=terminal("manage_accounts"),
                                         now=archive.now())
    click.echo(f"Токен №{token_id} для «{name}» (сохраните, он больше не будет показан):")
    click.echo(token)


@token_cli.command("list")
@AS_JSON
def token_list(as_json: bool) -> None:
    """Список выданных токенов (без самих токенов)."""
    echo_rows([t.as_dict() for t in tokens.list_tokens(current_archive().uow())], as_json, lambda t: (
        f"№{t['id']:<4} {t['name']:<30} выдан {t['created_at'][:10]} {t['created_by']}  "
        + (f"отозван {t['revoked_at'][:10]}" if t["revoked_at"] else "действует")))


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Отозвать токен по номеру."""
    archive = current_archive()
    try:
        tokens.revoke_token(archive.uow(), token_id, actor=terminal("manage_accounts"), now=archive.now())
    except ArchiveError as err:
        raise fail(err) from None
    click.echo(f"Токен №{token_id} отозван.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Проверить целостность журнала аудита (цепочку хешей)."""
    count, breaks = audit.verify_audit_log(current_archive().uow())
    for b in breaks:
        click.echo(f"запись {b.seq}: {b.reason}")
    if breaks:
        raise click.ClickException(f"журнал аудита нарушен: {len(breaks)} расхождений в {count} записях")
    click.echo(f"Журнал аудита цел: записей {count}.")


@reminders_cli.command("run")
@AS_JSON
def reminders_run(as_json: bool) -> None:
    """Составить напоминания о сроках на сегодня и разослать их по электронной почте (как по расписанию)."""
    archive = current_archive()
    report = reminders.run(archive.uow(), archive.local_now().date(), archive.now(), archive.mailer())
    if as_json:
        echo_json(report.as_dict())
        return
    for subject in report.made:
        click.echo(f"Новое напоминание: {subject}")
    if not report.mail:
        click.echo("Почтовый сервер не настроен (ARCHIVE_SMTP_HOST): напоминания видны на страницах периодов.")
    click.echo(f"Новых напоминаний: {len(report.made)}; писем отправлено: {len(report.sent)}.")
    if report.failed:
        raise click.ClickException(f"не отправлено писем: {len(report.failed)}; они будут отправлены при следующем "
                                   "запуске")


@store_cli.command("copy")
@click.option("--from", "source", required=True, type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Папка, где документы хранились раньше (например, ARCHIVE_HOME/documents).")
@AS_JSON
def store_copy(source: Path, as_json: bool) -> None:
    """Перенести документы из прежней папки в хранилище, заданное ARCHIVE_DOCUMENT_STORE (каждый файл
    проверяется по SHA-256; прежняя папка остаётся как была)."""
    actor = terminal("manage_media")
    archive = current_archive()
    try:
        result = copy_store(archive.uow(), DirectoryStore(source), archive.store, actor=actor, now=archive.now())
    except StorageError as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        echo_json(result)
        return
    click.echo(f"Из: {result['from']}\nВ: {result['to']}\nСкопировано файлов: {result['copied']}, "
               f"уже были в хранилище: {result['present']}")
    if result["damaged"]:
        raise click.ClickException(f"повреждены и не скопированы файлов: {len(result['damaged'])} — "
                                   + ", ".join(d[:16] for d in result["damaged"]))
