"""Simple one-sided documents of the archive: the backup hand-over act, the backup-usage journal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from archive_service.rendering.pdf import PrintEnvironment

_env: dict[Path, PrintEnvironment] = {}


def _environment(templates_dir: Path) -> PrintEnvironment:
    if templates_dir not in _env:
        _env[templates_dir] = PrintEnvironment(templates_dir)
    return _env[templates_dir]


def _render(templates_dir: Path, template: str, context: dict, moment: dt.datetime) -> bytes:
    env = _environment(templates_dir)
    laid = env.layout(template, {**context, "created": moment.isoformat()}, duplex=False)
    return env.write(laid, laid.document.pages, epoch=int(moment.timestamp()))


def handover_act(templates_dir: Path, backup: dict, *, school: str, director: str, moment: dt.datetime) -> bytes:
    """«Акт передачи резервных копий» with both media, their rooms and the signature lines."""
    return _render(templates_dir, "handover_act.html", {
        "set": backup, "school": school, "director": director, "date": moment.strftime("%d.%m.%Y"),
        "periods": backup["periods"].replace(",", ", "), "size_mb": f"{backup['size'] / 1e6:.1f}",
        "retain": dt.date.fromisoformat(backup["retain_until"]).strftime("%d.%m.%Y")}, moment)


def backup_journal(templates_dir: Path, rows: list[dict], *, intact: bool, school: str, moment: dt.datetime) -> bytes:
    shown = [{**r, "at": dt.datetime.fromisoformat(r["at"]).strftime("%d.%m.%Y %H:%M")} for r in rows]
    return _render(templates_dir, "backup_journal.html", {"rows": shown, "intact": intact, "school": school}, moment)
