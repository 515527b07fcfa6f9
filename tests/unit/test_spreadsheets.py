"""Tables given out as CSV and XLSX: nothing typed into the archive becomes a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook

from archive_service.rendering.registers import table_csv, table_xlsx

COLUMNS = [("text", "Текст"), ("count", "Листов")]
TYPED = ["=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1", "обычный текст", "5А", "-"]


def test_every_formula_start_of_owasp_is_quoted_in_csv_and_plain_text_is_not():
    rows = [{"text": t, "count": -3} for t in TYPED]
    read = list(csv.reader(io.StringIO(table_csv(COLUMNS, rows).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in read[1:]] == ["'=1+1", "'+1", "'-1", "'@A1", "'\t=1+1", "'\r=1+1", "обычный текст", "5А",
                                        "'-"]
    assert {r[1] for r in read[1:]} == {"-3"}  # a number stays a number


def test_xlsx_cells_are_text_never_formulas_and_control_characters_do_not_break_the_file():
    rows = [{"text": t, "count": 7} for t in [*TYPED, "звонок\x07"]]
    sheet = load_workbook(io.BytesIO(table_xlsx(COLUMNS, rows, "Реестр"))).active
    texts = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in texts] == ["s"] * len(rows)
    assert [c.value for c in texts] == [*TYPED, "звонок"]
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == {7}


def test_every_csv_and_xlsx_the_archive_writes_is_written_in_one_place():
    package = Path(__file__).resolve().parents[2] / "archive_service"
    writers = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                     if any(marker in path.read_text(encoding="utf-8")
                            for marker in ("csv.writer", "csv.DictWriter", "openpyxl", "xlsxwriter")))
    assert writers == ["rendering/registers.py"]
