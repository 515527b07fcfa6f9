"""`archive-service district …`: the schools of a district installation, their databases, and the
schools each district inspector is granted (run without --school: the district's own accounts)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from archive_service import tenancy
from archive_service.cli.common import AS_JSON, echo_json, fail, terminal
from archive_service.district import District
from archive_service.errors import ArchiveError
from archive_service.services import district_access

district_cli = AppGroup("district", help="Район: школы одной установки и доступ инспекторов района к ним.")
NOT_A_DISTRICT = "эта установка — архив одной школы: район задаётся переменной ARCHIVE_DISTRICT"


def _district() -> District:
    found = tenancy.district(current_app)
    if found is None:
        raise click.ClickException(NOT_A_DISTRICT)
    if tenancy.school_code() is not None:
        raise click.ClickException("команды района выполняются без --school (и без ARCHIVE_SCHOOL)")
    return found


@district_cli.command("schools")
@AS_JSON
def schools(as_json: bool) -> None:
    """Школы района: код (адрес /s/КОД/, параметр --school КОД) и название."""
    found = _district()
    rows = [{"code": s.code, "name": s.name} for s in found.schools]
    if as_json:
        echo_json({"district": found.name, "schools": rows})
        return
    click.echo(found.name)
    for row in rows:
        click.echo(f"  {row['code']:<12} {row['name']}")


@district_cli.command("upgrade")
def upgrade() -> None:
    """Привести к последней версии схемы баз данных района и всех его школ."""
    found = _district()
    found.own.upgrade_schema()
    for school in found.schools:
        found.archive(school.code).upgrade_schema()
        click.echo(f"Схема базы данных обновлена: {school.name}")
    click.echo("Схема базы данных района обновлена.")


def _access(change: str, login: str, codes: tuple[str, ...]) -> None:
    found = _district()
    actor = terminal("manage_accounts")
    archive = found.own
    known = [s.code for s in found.schools]
    for code in codes:
        try:
            if change == "grant":
                done = district_access.grant(archive.uow(), login, code, known, actor=actor, now=archive.now())
            else:
                done = district_access.revoke(archive.uow(), login, code, actor=actor, now=archive.now())
        except ArchiveError as err:
            raise fail(err) from None
        name = found.school(code).name if found.school(code) else code  # type: ignore[union-attr]
        if change == "grant":
            verb = "открыт" if done else "уже был открыт"
        else:
            verb = "закрыт" if done else "не был открыт"
        click.echo(f"{name}: архив {verb} инспектору {login}")


@district_cli.command("grant")
@click.option("--login", required=True, help="Имя для входа инспектора района.")
@click.option("--school", "codes", multiple=True, required=True, help="Код школы; можно несколько раз.")
def grant(login: str, codes: tuple[str, ...]) -> None:
    """Открыть инспектору района архивы школ (поиск, просмотр, выгрузка; записывается в журнал аудита)."""
    _access("grant", login, codes)


@district_cli.command("revoke")
@click.option("--login", required=True, help="Имя для входа инспектора района.")
@click.option("--school", "codes", multiple=True, required=True, help="Код школы; можно несколько раз.")
def revoke(login: str, codes: tuple[str, ...]) -> None:
    """Закрыть инспектору района архивы школ."""
    _access("revoke", login, codes)


@district_cli.command("access")
@click.option("--login", required=True, help="Имя для входа инспектора района.")
def access(login: str) -> None:
    """Архивы каких школ открыты инспектору района."""
    found = _district()
    codes = district_access.granted(found.own.uow(), login)
    for code in codes:
        school = found.school(code)
        click.echo(f"  {code:<12} {school.name if school else 'школа исключена из района'}")
    click.echo(f"Открыто школ: {len(codes)}.")
