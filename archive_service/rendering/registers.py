"""Simple one-sided documents of the archive: the backup hand-over act, the backup-usage journal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from archive_service.domain.periods import period_title
from archive_service.rendering.documents import plural, sheets_in_words, sheets_noun, years_text
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
        "periods": set_periods(backup["periods"]), "size_mb": f"{backup['size'] / 1e6:.1f}",
        "retain": dt.date.fromisoformat(backup["retain_until"]).strftime("%d.%m.%Y")}, moment)


MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
          "декабрь")


def set_periods(label: str) -> str:
    """A set's periods in words: «Q2,H1» → «II четверть, I полугодие»; «месяц 2026-12» → «ежемесячная копия:
    декабрь 2026 г.»."""
    if label.startswith("месяц "):
        year, month = label.removeprefix("месяц ").split("-")
        return f"ежемесячная копия: {MONTHS[int(month) - 1]} {year} г."
    return ", ".join(period_title(code) for code in label.split(","))


def backup_journal(templates_dir: Path, rows: list[dict], *, intact: bool, school: str, moment: dt.datetime) -> bytes:
    shown = [{**r, "at": dt.datetime.fromisoformat(r["at"]).strftime("%d.%m.%Y %H:%M")} for r in rows]
    return _render(templates_dir, "backup_journal.html", {"rows": shown, "intact": intact, "school": school}, moment)


STATUS = {"in_archive": "в архиве", "issued": "выдан", "destroyed": "уничтожен"}
REPLACED = "заменена"
COLUMNS = [("number", "№"), ("year", "Год"), ("case_index", "Индекс дела"), ("title", "Заголовок"),
           ("period", "Период"), ("sheets", "Листов"), ("handed_over_by", "Сдал"), ("accepted_by", "Принял"),
           ("registered_on", "Дата"), ("room", "Помещение"), ("cabinet", "Шкаф"), ("folder", "Папка"),
           ("retention_end", "Хранить до"), ("status", "Состояние"), ("note", "Примечание")]


def status_text(row: dict) -> str:
    """«в архиве», «выдан», «уничтожен»; a copy replaced by a corrected one is «заменена» (still kept)."""
    if row.get("superseded") and row["status"] != "destroyed":
        return REPLACED + ("; выдан" if row["status"] == "issued" else "")
    return STATUS[row["status"]]


def replacement_note(row: dict) -> str:
    """«заменена копией № 2/2027, причина: …» for a replaced copy, else nothing."""
    return row["superseded"]["text"] if row.get("superseded") else ""


def register(rows: list[dict]) -> list[dict]:
    """The register's rows as printed: each with its note (the replacement of a corrected copy)."""
    return [{**r, "note": replacement_note(r)} for r in rows]


def register_pdf(templates_dir: Path, rows: list[dict], *, year: int | None, school: str, moment: dt.datetime) -> bytes:
    fmt = lambda iso: dt.date.fromisoformat(iso).strftime("%d.%m.%Y")  # noqa: E731
    shown = [{**r, "registered_on_text": fmt(r["registered_on"]), "retention_end_text": fmt(r["retention_end"]),
              "status_text": status_text(r)} for r in rows]
    return _render(templates_dir, "register.html", {"rows": shown, "year": year, "school": school}, moment)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP «CSV injection»)."""


def _cells(columns: list[tuple[str, str]], rows: list[dict]) -> list[list]:
    return [[status_text(r) if k == "status" else r[k] for k, _ in columns] for r in rows]


def inert_csv_text(value):
    """A CSV cell no spreadsheet runs: text starting like a formula gets a leading apostrophe
    («=HYPERLINK(…)» → «'=HYPERLINK(…)»), shown as typed; numbers and other text are left as they are."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def table_csv(columns: list[tuple[str, str]], rows: list[dict]) -> bytes:
    """CSV for spreadsheets: UTF-8 with BOM, semicolons (what Russian Excel opens cleanly).
    Every table the archive gives out as CSV is written here, its text made inert (`inert_csv_text`)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([inert_csv_text(title) for _, title in columns])
    writer.writerows([[inert_csv_text(value) for value in cells] for cells in _cells(columns, rows)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def table_xlsx(columns: list[tuple[str, str]], rows: list[dict], title: str) -> bytes:
    """An XLSX workbook of one sheet. Every table the archive gives out as XLSX is written here:
    text goes in as a text cell, never a formula (openpyxl would make «=…» one), as typed but for
    the control characters an XLSX file cannot hold."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens with one worksheet
    sheet.title = title
    for values in [[t for _, t in columns], *_cells(columns, rows)]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _dmy(iso: str) -> str:
    return (dt.datetime.fromisoformat(iso) if "T" in iso else dt.date.fromisoformat(iso)).strftime("%d.%m.%Y")


def _totals(count: int, sheets: int) -> dict:
    return {"count_words": sheets_in_words(count), "cases_noun": plural(count, "дело", "дела", "дел"),
            "sheets_total": sheets, "sheets_words": sheets_in_words(sheets), "sheets_noun": sheets_noun(sheets)}


def disposal_act_pdf(templates_dir: Path, act: dict, *, school: str, director: str, moment: dt.datetime) -> bytes:
    """«Акт о выделении к уничтожению документов, не подлежащих хранению» in the form of the
    Rosarkhiv rules: approval by the director, the list of files, totals in words, the mark of
    destruction (filled in once the act is carried out)."""
    items = [{**i, "years_text": years_text(i["years"]), "retention_end_text": _dmy(i["retention_end"]),
              "destroyed_text": _dmy(i["destroyed_at"]) if i["destroyed_at"] else ""} for i in act["items"]]
    years = sorted({i["academic_year"] for i in items})
    bases = sorted({i["basis"] for i in items})
    return _render(templates_dir, "disposal_act.html", {
        "act": act, "items": items, "school": school, "director": director,
        "composed_on": _dmy(act["composed_on"]), "approved_on": _dmy(act["approved_on"]) if act["approved_on"] else "",
        "executed_on": _dmy(act["executed_at"]) if act["executed_at"] else "",
        "basis": "; ".join(bases), "years_span": f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0],
        **_totals(len(items), sum(i["sheets"] for i in items))}, moment)


INVENTORY_COLUMNS = [("position", "№ п/п"), ("case_index", "Индекс дела"), ("heading", "Заголовок дела"),
                     ("dates", "Крайние даты"), ("sheets", "Количество листов"), ("years_text", "Срок хранения"),
                     ("retention_end", "Хранить до"), ("note", "Примечание")]


def inventory(rows: list[dict], years_of: dict[str, int]) -> list[dict]:
    """The inventory of files (опись дел): the register's files ordered by case index and title,
    numbered through. `years_of`: document kind → years of the school's schedule."""
    ordered = sorted((r for r in rows if r["status"] != "destroyed"),
                     key=lambda r: (r["case_index"] or "", r["title"], r["period"], r["year"], r["number"]))
    out = []
    for position, r in enumerate(ordered, 1):
        years = years_of["summary_sheet" if r["title"].startswith("Сводная") else "class_journal"]
        out.append({**r, "position": position, "heading": f"{r['title']}, {r['period']}",
                    "dates": r["period"].split(",")[0] + " уч. г.", "years_text": years_text(years),
                    "retention_end_text": _dmy(r["retention_end"]), "status_text": status_text(r),
                    "note": "; ".join(filter(None, [f"реестр № {r['number']}/{r['year']}",
                                                    "выдан" if r["status"] == "issued" else "",
                                                    replacement_note(r)]))})
    return out


def inventory_pdf(templates_dir: Path, rows: list[dict], *, year: int | None, school: str, director: str,
                  moment: dt.datetime) -> bytes:
    """The inventory printed, grouped by case index, closing with «В данный раздел описи внесено
    N дел» in digits and words. `rows` come from `inventory`."""
    groups: dict[str, dict] = {}
    for r in rows:
        title = f"Дело {r['case_index']}" if r["case_index"] else "Без индекса по номенклатуре дел"
        groups.setdefault(title, {"title": title, "rows": []})["rows"].append(r)
    return _render(templates_dir, "inventory.html", {
        "rows": rows, "groups": list(groups.values()), "year": year, "school": school, "director": director,
        "date": moment.strftime("%d.%m.%Y"), **_totals(len(rows), sum(r["sheets"] for r in rows))}, moment)
