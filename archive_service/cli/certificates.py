"""`archive-service certificate ...` and `archive-service certificates ...`: archival certificates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from archive_service.cli.common import AS_JSON, current_archive, echo_json, echo_rows, parse_date, terminal
from archive_service.errors import ArchiveError
from archive_service.rendering.certificate import sheet_ranges
from archive_service.services import certificates
from storage import StorageError

certificates_cli = AppGroup("certificates", help="Архивные справки бывшим учащимся: выдача, список, копия.")


@click.command("certificate")
@with_appcontext
@click.option("--student", required=True, help="Фамилия, имя, отчество бывшего учащегося.")
@click.option("--birth-date", required=True, help="Дата рождения: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ.")
@click.option("--requested-by", default="заявитель", show_default=True, help="Кто запросил справку.")
@click.option("--purpose", default="по месту требования", show_default=True, help="Для чего выдаётся справка.")
@click.option("--secretary", default="", help="ФИО исполнителя (секретаря) для строки подписи.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Файл PDF (по умолчанию ./справка-N-ГГГГ.pdf).")
@click.option("--today", help="Дата выдачи ГГГГ-ММ-ДД (по умолчанию сегодня).")
@AS_JSON
def certificate_command(student: str, birth_date: str, requested_by: str, purpose: str, secretary: str,
                        out: Path | None, today: str | None, as_json: bool) -> None:
    """Выдать архивную справку об итоговых отметках бывшего учащегося по сводным ведомостям."""
    born = parse_date(birth_date, "--birth-date")
    issued_on = parse_date(today, "--today") if today else dt.date.today()
    if out is not None and not out.parent.is_dir():
        raise click.ClickException(f"--out: нет папки {out.parent}")
    archive = current_archive()
    try:
        row = certificates.issue_certificate(archive.uow(), archive.store, archive.settings.templates_dir, student,
                                             born, requested_by=requested_by, purpose=purpose,
                                             actor=terminal("issue_certificates"), now=archive.now(), today=issued_on,
                                             secretary=secretary)
        _, pdf = certificates.certificate_file(archive.uow(), archive.store, row.year, row.number)
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    path = out or Path(f"справка-{row.number}-{row.year}.pdf")
    path.write_bytes(pdf)
    if as_json:
        echo_json({**row.as_dict(), "file": str(path)})
        return
    click.echo(f"Архивная справка № {row.reference} от {issued_on:%d.%m.%Y}: {row.student_name}, "
               f"{born:%d.%m.%Y} г. р. → {path}")
    for s in row.sources:
        where = f"реестр № {s['register']}" if s["register"] else f"документ {s['document_id']} (не в реестре)"
        click.echo(f"  {s['academic_year']}, {s['class']}: {where}, л. {sheet_ranges(s['sheets'])}")


certificates_cli.add_command(certificate_command, "issue")


@certificates_cli.command("list")
@click.option("--year", type=int, help="Год выдачи.")
@AS_JSON
def certificates_list(year: int | None, as_json: bool) -> None:
    """Книга выданных архивных справок."""
    rows = certificates.list_certificates(current_archive().uow(), year)
    echo_rows([r.as_dict() for r in rows] if as_json else rows, as_json, lambda r: (
        f"№ {r.reference:<9} {dt.date.fromisoformat(r.issued_on):%d.%m.%Y}  {r.student_name} "
        f"({dt.date.fromisoformat(r.birth_date):%d.%m.%Y}); {r.requested_by}, {r.purpose}"),
        "Выдано справок: {count}.")


@certificates_cli.command("copy")
@click.argument("reference")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Куда записать PDF.")
def certificates_copy(reference: str, out: Path) -> None:
    """Копия выданной справки (REFERENCE вида 3/2027) такой, какой она была выдана."""
    number, _, year = reference.partition("/")
    if not (number.isdigit() and year.isdigit()):
        raise click.BadParameter("ожидается номер справки в виде 3/2027", param_hint="REFERENCE")
    archive = current_archive()
    try:
        _, pdf = certificates.certificate_file(archive.uow(), archive.store, int(year), int(number))
    except (ArchiveError, StorageError) as err:
        raise click.ClickException(str(err)) from None
    out.write_bytes(pdf)
    click.echo(f"Архивная справка № {reference} → {out}")
