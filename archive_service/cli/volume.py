"""`archive-service volume make`: the year's volume of a class (all its periods bound as one file)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from archive_service.cli.common import AS_JSON, CLASSES, YEAR, current_archive, echo_json, fail, terminal
from archive_service.errors import ArchiveError
from archive_service.services import volumes

volume_cli = AppGroup("volume", help="Том за учебный год: все периоды класса и итоги года одним делом.")


@volume_cli.command("make")
@YEAR
@CLASSES
@AS_JSON
def volume_make(academic_year: str, classes: tuple[str, ...], as_json: bool) -> None:
    """Изготовить том класса за учебный год: титульный лист с содержанием, листы всех периодов и итогов
    года с единой нумерацией, заверительная надпись. Выгрузка: documents export --period volume.

    Том изготавливается только из окончательных снимков: все периоды года и снимок учебного года
    загружены, и все периоды завершены. Код выхода 0 — только если изготовлены тома всех классов.
    """
    actor = terminal("close_period")
    archive = current_archive()
    try:
        outcomes = volumes.make_volumes(archive.uow(), archive.store, archive.renderer, academic_year, classes,
                                        archive.render_options, actor=actor, today=archive.local_now().date(),
                                        now=archive.now())
    except ArchiveError as err:
        raise fail(err) from None
    if as_json:
        echo_json([o.as_dict() for o in outcomes])
    else:
        for outcome in outcomes:
            click.echo(volumes.describe(outcome.result) if outcome.result else f"ОТКАЗ {outcome.error}")
        click.echo(f"Изготовлено томов: {sum(o.result is not None for o in outcomes)} из {len(outcomes)}.")
    if any(o.error for o in outcomes):
        sys.exit(1)
