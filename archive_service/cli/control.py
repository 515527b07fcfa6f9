"""`archive-service control report`: the deputy head's monthly control of the journal (read-only)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from archive_service.cli.common import AS_JSON, current_archive, echo_json, fail
from archive_service.domain.journal_control import TITLES
from archive_service.errors import ArchiveError
from archive_service.services import journal_control

control_cli = AppGroup("control", help="Ежемесячный контроль ведения электронного журнала.")


@control_cli.command("report")
@with_appcontext
@click.option("--month", required=True, help="Месяц, например 2026-12.")
@click.option("--class", "class_name", help="Класс, например 5А; по умолчанию все.")
@AS_JSON
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Записать справку о проверке в этот файл PDF.")
def control_report(month: str, class_name: str | None, as_json: bool, out: Path | None) -> None:
    """Справка о проверке ведения электронного журнала за месяц: по классам и по учителям."""
    archive = current_archive()
    try:
        report = journal_control.control_report(archive.uow(), month, class_name, thresholds=archive.thresholds,
                                                backdated_days=archive.settings.control_backdated_days)
        if out is not None:
            data = journal_control.control_pdf(report, archive.settings.templates_dir,
                                               school=journal_control.school_name(archive.uow()), deputy="",
                                               now=archive.now())
            out.write_bytes(data)
    except ArchiveError as err:
        raise fail(err) from None
    except OSError as err:
        raise click.ClickException(f"справка не записана в {out}: {err.strerror or err}") from None
    if as_json:
        echo_json(report.as_dict())
        return
    click.echo(f"Проверка ведения журнала за {report.month.title}"
               + (f", {report.class_name} класс" if report.class_name else "") + ":")
    for name, counts in report.by("class_name"):
        click.echo(f"{name:<4} " + ", ".join(f"{TITLES[k]}: {v}" for k, v in counts.items() if v))
    total = ", ".join(f"{TITLES[k]} — {v}" for k, v in report.counts.items() if v) or "замечаний нет"
    click.echo(f"Итого: {total}.")
    if out is not None:
        click.echo(f"Справка записана: {out}")
