"""The `archive-service` command itself (also `flask --app archive_service ...`): its groups, and
its failures said in Russian. This module imports every command module; none imports it."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from archive_service.cli.backup import backup_cli
from archive_service.config import ConfigError
from archive_service.cli.backup_key import key_cli
from archive_service.cli.certificates import certificate_command, certificates_cli
from archive_service.cli.common import OPERATOR_OPTION, SCHOOL_OPTION
from archive_service.cli.control import control_cli
from archive_service.cli.demo import demo_command
from archive_service.cli.district import district_cli
from archive_service.cli.documents import documents_cli, period_cli
from archive_service.cli.register import register_cli, retention_cli
from archive_service.cli.signing import sign_command, signatures_cli, verify_command
from archive_service.cli.snapshots import demo_data, preflight_command, snapshot_cli
from archive_service.cli.sources import source_cli
from archive_service.cli.temporary import temporary_journal_command, temporary_journals_cli
from archive_service.cli.system import audit_cli, db_cli, reminders_cli, store_cli, token_cli
from archive_service.cli.users import users_cli
from archive_service.cli.volume import volume_cli


def register_commands(app: Flask) -> None:
    backup_cli.add_command(key_cli)  # `backup key …`
    # `--as LOGIN` on the application's own group as well (`app.test_cli_runner()` invokes it);
    # `archive-service --as LOGIN …` takes it on `main`
    app.cli.params.extend([OPERATOR_OPTION, SCHOOL_OPTION])
    for command in (db_cli, snapshot_cli, token_cli, audit_cli, store_cli, preflight_command, demo_data, demo_command,
                    period_cli, documents_cli, sign_command, verify_command, signatures_cli, backup_cli,
                    register_cli, retention_cli, certificate_command, certificates_cli, users_cli, source_cli,
                    reminders_cli, temporary_journal_command, temporary_journals_cli, control_cli, volume_cli,
                    district_cli):
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

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
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
        except ConfigError as err:  # a setting that cannot be used (e.g. --school of no school of the district)
            click.echo(f"Ошибка настройки: {err}", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


main = ArchiveCommandLine(name="archive-service", create_app=_create_app, add_version_option=False,
                          params=[OPERATOR_OPTION, SCHOOL_OPTION],
                          help="Архив электронного классного журнала. Команды, которые что-то меняют в архиве, "
                               "выполняются от имени учётной записи: archive-service --as ЛОГИН … (или "
                               "переменная ARCHIVE_OPERATOR).")
