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


STATUS = {"in_archive": "в архиве", "issued": "выдан", "destroyed": "уничтожен"}
COLUMNS = [("number", "№"), ("year", "Год"), ("case_index", "Индекс дела"), ("title", "Заголовок"),
           ("period", "Период"), ("sheets", "Листов"), ("handed_over_by", "Сдал"), ("accepted_by", "Принял"),
           ("registered_on", "Дата"), ("room", "Помещение"), ("cabinet", "Шкаф"), ("folder", "Папка"),
           ("retention_end", "Хранить до"), ("status", "Состояние")]


def register_pdf(templates_dir: Path, rows: list[dict], *, year: int | None, school: str, moment: dt.datetime) -> bytes:
    fmt = lambda iso: dt.date.fromisoformat(iso).strftime("%d.%m.%Y")  # noqa: E731
    shown = [{**r, "registered_on_text": fmt(r["registered_on"]), "retention_end_text": fmt(r["retention_end"]),
              "status_text": STATUS[r["status"]]} for r in rows]
    return _render(templates_dir, "register.html", {"rows": shown, "year": year, "school": school}, moment)


def register_csv(rows: list[dict]) -> bytes:
    """CSV for spreadsheets: UTF-8 with BOM, semicolons (what Russian Excel opens cleanly)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([title for _, title in COLUMNS])
    for r in rows:
        writer.writerow([STATUS[r[k]] if k == "status" else r[k] for k, _ in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def register_xlsx(rows: list[dict]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Реестр"
    sheet.append([title for _, title in COLUMNS])
    for r in rows:
        sheet.append([STATUS[r[k]] if k == "status" else r[k] for k, _ in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
