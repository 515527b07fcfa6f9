"""The register of paper copies (реестр), the inventory of files (опись дел) and the disposal act
as printed, and the tables (CSV, XLSX) the archive gives out.

Paper follows the archival forms: case indexes from the school's nomenclature (the retention
schedule), extreme dates as dates, signature columns, classes in natural order (1А … 10А, 11А),
Russian words for periods and people, non-breaking spaces where Russian typography needs them
(`registers_text`). The hand-over act and the backup-usage journal are in `backup_papers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from archive_service.domain.actor import printed_name
from archive_service.domain.class_names import class_sort_key
from archive_service.domain.periods import readable_period
from archive_service.rendering.documents import plural, sheets_in_words, sheets_noun, years_text
from archive_service.rendering.pdf import PrintEnvironment
from archive_service.rendering.registers_text import signature_name, typeset

_env: dict[Path, PrintEnvironment] = {}


def _environment(templates_dir: Path) -> PrintEnvironment:
    if templates_dir not in _env:
        env = PrintEnvironment(templates_dir)
        env.jinja.filters["t"] = typeset  # «{{ value|t }}»: Russian typography for data printed
        env.jinja.filters["initials"] = signature_name  # «{{ director|initials }}»: «О. В. Сергеева»
        _env[templates_dir] = env
    return _env[templates_dir]


LaidOutHook = Callable[[int], None]
"""Told the number of pages once a document is laid out, before its PDF is written (a job's progress)."""


def render(templates_dir: Path, template: str, context: dict, moment: dt.datetime,
           laid_out: LaidOutHook | None = None) -> bytes:
    """A one-sided document of these papers, dated `moment` in its metadata."""
    env = _environment(templates_dir)
    laid = env.layout(template, {**context, "created": moment.isoformat()}, duplex=False)
    if laid_out is not None:
        laid_out(laid.pages)
    return env.write(laid, laid.document.pages, epoch=int(moment.timestamp()))


STATUS = {"in_archive": "в архиве", "issued": "выдано", "destroyed": "уничтожено"}
"""The state of the file («дело»)."""
REPLACED = "заменена"
COLUMNS = [("number", "№"), ("year", "Год"), ("case_index", "Индекс дела"), ("title", "Заголовок"),
           ("period", "Период"), ("sheets", "Листов"), ("handed_over_by", "Сдал"), ("accepted_by", "Принял"),
           ("registered_on", "Дата"), ("room", "Помещение"), ("cabinet", "Шкаф"), ("folder", "Папка"),
           ("retention_end", "Хранить до"), ("status", "Состояние"), ("note", "Примечание")]


def status_text(row: dict) -> str:
    """«в архиве», «выдано», «уничтожено»; a copy replaced by a corrected one is «заменена» (still kept)."""
    if row.get("superseded") and row["status"] != "destroyed":
        return REPLACED + ("; выдано" if row["status"] == "issued" else "")
    return STATUS[row["status"]]


def replacement_note(row: dict) -> str:
    """«заменена копией № 2/2027, причина: …» for a replaced copy, else nothing."""
    return row["superseded"]["text"] if row.get("superseded") else ""


def register(rows: list[dict]) -> list[dict]:
    """The register's rows as printed: each with its note (the replacement of a corrected copy, and
    for a file out of the archive to whom and until when, `row["issue"]`)."""
    return [{**r, "note": "; ".join(filter(None, [r.get("issue", ""), replacement_note(r)]))} for r in rows]


def dmy(iso: str) -> str:
    """«2027-01-15» (or a moment) → «15.01.2027»."""
    return (dt.datetime.fromisoformat(iso) if "T" in iso else dt.date.fromisoformat(iso)).strftime("%d.%m.%Y")


def extreme_dates(row: dict) -> str:
    """«Крайние даты» of a file: the first and last dates of its documents — the period's start and
    end (a summary sheet's: the school year's). A row that does not know them (none in the archive
    today) gets its school year's bounds, 1 September to 31 August: still dates, never «уч. г.»."""
    first, last = row.get("first_date") or "", row.get("last_date") or ""
    if not (first and last):
        start = int(row["period"][:4])
        first, last = f"{start}-09-01", f"{start + 1}-08-31"
    return f"{dmy(first)}–{dmy(last)}"


def register_pdf(templates_dir: Path, rows: list[dict], *, year: int | None, school: str, moment: dt.datetime,
                 laid_out: LaidOutHook | None = None) -> bytes:
    """The register printed: one row per entry in number order, never split across pages, with the
    signature columns of who handed the file over and who accepted it."""
    shown = [{**r, "registered_on_text": dmy(r["registered_on"]), "retention_end_text": dmy(r["retention_end"]),
              "status_text": status_text(r), "dates_text": extreme_dates(r)} for r in rows]
    return render(templates_dir, "register.html", {"rows": shown, "year": year, "school": school}, moment, laid_out)


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


def _totals(count: int, sheets: int) -> dict:
    return {"count_words": sheets_in_words(count), "cases_noun": plural(count, "дело", "дела", "дел"),
            "sheets_total": sheets, "sheets_words": sheets_in_words(sheets), "sheets_noun": sheets_noun(sheets)}


def _act_item(item: dict) -> dict:
    return {**item, "years_text": years_text(item["years"]), "retention_end_text": dmy(item["retention_end"]),
            "destroyed_text": dmy(item["destroyed_at"]) if item["destroyed_at"] else "",
            "period_text": readable_period(item["period"]),
            "dates_text": extreme_dates(item) if item.get("first_date") else item["academic_year"]}


def disposal_act_pdf(templates_dir: Path, act: dict, *, school: str, director: str, moment: dt.datetime) -> bytes:
    """«Акт о выделении к уничтожению документов, не подлежащих хранению» in the form of the
    Rosarkhiv rules: approval by the director, the list of files, totals in words, the mark of
    destruction (filled in once the act is carried out)."""
    items = [_act_item(i) for i in act["items"]]
    years = sorted({i["academic_year"] for i in items})
    bases = sorted({i["basis"] for i in items})
    people = {k: printed_name(act[k]) if act[k] else "" for k in ("composed_by", "approved_by", "executed_by")}
    return render(templates_dir, "disposal_act.html", {
        "act": {**act, **people}, "items": items, "school": school, "director": director,
        "composed_on": dmy(act["composed_on"]), "approved_on": dmy(act["approved_on"]) if act["approved_on"] else "",
        "executed_on": dmy(act["executed_at"]) if act["executed_at"] else "",
        "basis": "; ".join(bases), "years_span": f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0],
        "years_noun": "учебные годы" if len(years) > 1 else "учебный год",
        **_totals(len(items), sum(i["sheets"] for i in items))}, moment)


INVENTORY_COLUMNS = [("position", "№ п/п"), ("case_index", "Индекс дела"), ("heading", "Заголовок дела"),
                     ("dates", "Крайние даты"), ("sheets", "Количество листов"), ("years_text", "Срок хранения"),
                     ("retention_end", "Хранить до"), ("note", "Примечание")]
KIND_ORDER = {"class_journal": 0, "summary_sheet": 1}
GROUP_TITLES = {"class_journal": "бумажные копии электронного классного журнала",
                "summary_sheet": "сводные ведомости итоговых отметок"}


def _kind(row: dict) -> str:
    return row.get("kind") or ("summary_sheet" if row["title"].startswith("Сводная") else "class_journal")


def inventory_order(row: dict) -> tuple:
    """Case index, kind, the file's first date (periods in time order), class in natural order."""
    return (row["case_index"] or "\uffff", KIND_ORDER.get(_kind(row), 9), row.get("first_date") or row["period"],
            class_sort_key(row.get("class_name") or ""), row["year"], row["number"])


def inventory(rows: list[dict], years_of: dict[str, int]) -> list[dict]:
    """The inventory of files (опись дел): the register's files ordered by case index, kind, period
    and class (natural order), numbered through. `years_of`: document kind → years of the school's
    schedule."""
    out = []
    for position, r in enumerate(sorted((r for r in rows if r["status"] != "destroyed"), key=inventory_order), 1):
        out.append({**r, "position": position, "heading": f"{r['title']}, {readable_period(r['period'])}",
                    "dates": extreme_dates(r), "years_text": years_text(years_of[_kind(r)]),
                    "retention_end_text": dmy(r["retention_end"]), "status_text": status_text(r),
                    "note": "; ".join(filter(None, [f"реестр № {r['number']}/{r['year']}",
                                                    "выдано" if r["status"] == "issued" else "",
                                                    replacement_note(r)]))})
    return out


def _groups(rows: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for r in rows:
        title = (f"Индекс {r['case_index']}: {GROUP_TITLES.get(_kind(r), r['title'])}" if r["case_index"]
                 else "Без индекса по номенклатуре дел")
        groups.setdefault(title, {"title": title, "rows": []})["rows"].append(r)
    return list(groups.values())


def inventory_pdf(templates_dir: Path, rows: list[dict], *, number: str, year: int | None, school: str,
                  director: str, moment: dt.datetime, laid_out: LaidOutHook | None = None) -> bytes:
    """The inventory printed: «ОПИСЬ № N/YYYY», the files grouped by case index, closing with «В данный
    раздел описи внесено N дел» in digits and words and the compiler's, the deputy head's and the
    expert commission's lines. `rows` come from `inventory`; `number` is the inventory's number."""
    return render(templates_dir, "inventory.html", {
        "rows": rows, "groups": _groups(rows), "number": number, "year": year, "school": school,
        "director": director, "date": moment.strftime("%d.%m.%Y"),
        **_totals(len(rows), sum(r["sheets"] for r in rows))}, moment, laid_out)
