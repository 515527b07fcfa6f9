"""The register, the inventory of files, the hand-over act, the backup-usage journal and the
disposal act read back from their PDFs: Russian words only (no period codes, no UTC, no terminal
accounts, no server paths), the archival form (case indexes, extreme dates as dates, signature
columns, rows never split, classes in natural order, numbered), Russian typography.

The data is made through the services: snapshots ingested, copies rendered and registered, a
backup set written by the terminal's account as it was recorded before the command line acted by name
(«cli:root»: such old records print «администратор (командная строка)») and restored into a folder on the server.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from archive_service.adapters.orm import BackupSet, DocumentRecord
from archive_service.domain.actor import TERMINAL_PREFIX, UNNAMED_AT_TERMINAL, Actor
from archive_service.domain.clock import Clock
from archive_service.services import backup, disposal, documents, register, register_printout
from archive_service.services.ingest import ingest_snapshot
from builders import Q2_END, Q2_START, as_bytes, snapshot
from conftest import NOW
from keys_support import KEY_CODE, with_archive_key
from pdf_reading import PdfPages
from test_certificate import AFTER_THE_YEAR, pupils, store_year, year_snapshot

CLERK = Actor("Петрова Анна Сергеевна", "secretary")
AT_THE_TERMINAL = Actor(f"{TERMINAL_PREFIX}root", "deputy", "cli@archive-01")
PLACE = register.Placement("каб. 5 (архив)", "шкаф 2", "папка 2026/2027")
CLASSES = [("10А", 10), ("1А", 1), ("2А", 2), ("11А", 11), ("5Б", 5)]
NATURAL = ["1А", "2А", "5Б", "10А", "11А"]
AT_DUE = Clock(lambda: dt.datetime(2033, 1, 1, 9, 0, tzinfo=dt.timezone.utc))
KINDS = ("register", "inventory", "handover_act", "backup_journal", "disposal_act")

LATIN_PERIOD = re.compile(r"(?<![\w-])(Q[1-4]|H[12]|T[1-3]|year|exam|final)(?![\w-])")
SERVER_PATH = re.compile(r"(?:^|[\s(«])/(?:[\w.-]+/)*[\w.-]+")


def class_snapshot(name: str, grade: int) -> dict:
    """The builder's Q2 snapshot for class `name`; grade 1 without marks (taught without them)."""
    data = snapshot()
    data["class"] = {**data["class"], "id": f"c-{name}", "name": name, "grade": grade}
    if grade == 1:
        for subject in data["subjects"]:
            subject["period_marks"] = []
            for lesson in subject["lessons"]:
                lesson["marks"] = []
    return data


def add(archive, document_id: str, now: dt.datetime = NOW):
    """Register a copy; a year's summary sheet is registered after the year ends (`AFTER_THE_YEAR`)."""
    return register.register_document(archive.uow(), document_id, handed_over_by="Иванова Т. П.",
                                      accepted_by="Петрова А. С.", placement=PLACE,
                                      on=max(dt.date(2027, 1, 15), now.date()), paper_only=True, actor=CLERK, now=now)


def printed(archive, what: str) -> bytes:
    return register_printout.printout(archive.uow(), archive.settings.templates_dir, what, "pdf", year=None,
                                      actor=CLERK, now=NOW)[0]


def pages_of(data: bytes, tmp_path: Path, name: str) -> PdfPages:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return PdfPages(path)


def row_words(words, first_cell: str, x_max: float, below: float) -> list[list[str]]:
    """The words of each table row, read line by line: a row starts at a word of the first column
    matching `first_cell` (left of `x_max`, lower than `below`) and ends where the next one starts
    (the last: 3 lines on)."""
    starts = sorted((w for w in words if re.fullmatch(first_cell, w.text) and w.x0 < x_max and w.y0 > below),
                    key=lambda w: w.y0)
    rows = []
    for k, start in enumerate(starts):
        bottom = starts[k + 1].y0 - 1 if k + 1 < len(starts) else start.y0 + 30
        band = [w for w in words if start.y0 - 1 <= w.y0 < bottom]
        rows.append([w.text for w in sorted(band, key=lambda w: (round(w.y0), w.x0))])
    return rows


def page_texts(data: bytes, tmp_path: Path, name: str) -> list[str]:
    """Each page's words in the order they are drawn (cell after cell), a date range broken after its
    dash joined again («05.11.2026– 25.12.2026» → «05.11.2026–25.12.2026»)."""
    return [text.replace("– ", "–") for text in pages_of(data, tmp_path, name).texts]


@pytest.fixture
def papers(archive, tmp_path):
    """The five documents (kind → PDF bytes) of a school with classes 10А, 1А, 2А, 11А, 5Б (registered
    in that order) and the 9А summary sheet."""
    for name, grade in CLASSES:
        stored = ingest_snapshot(archive.uow(), as_bytes(class_snapshot(name, grade)), actor=Actor("test", "deputy"),
                                 now=NOW)
        add(archive, documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                               "class_journal", archive.render_options,
                                               actor=Actor("deputy", "deputy"), now=NOW).document_id)
    add(archive, store_year(archive, year_snapshot("9А", 9, "2026/2027", pupils(6, 2)))["document_id"], AFTER_THE_YEAR)
    with_archive_key(archive)
    made = backup.create_backup(archive.uow(), archive.store, archive.media(), "2026/2027", ["Q2"],
                                actor=AT_THE_TERMINAL, now=NOW)
    backup.restore_backup(archive.uow(), archive.media(), made.set_id, KEY_CODE, tmp_path / "restored",
                          actor=AT_THE_TERMINAL, purpose="проверка восстановления", now=NOW,
                          own_state=archive.own_state())
    templates = archive.settings.templates_dir
    out = {"register": printed(archive, "register"), "inventory": printed(archive, "inventory"),
           "handover_act": backup.handover_act_pdf(archive.uow(), templates, made.set_id),
           "backup_journal": backup.journal_pdf(archive.uow(), templates, NOW)}
    act = disposal.compose_act(archive.uow(), archive.store, templates, clock=AT_DUE, actor=CLERK)
    out["disposal_act"] = disposal.act_pdf(archive.uow(), archive.store, act["act"])
    return out


def texts(data: bytes) -> list[str]:
    """Each page's text as pypdf reads it: non-breaking spaces stay U+00A0 (poppler makes them spaces)."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_no_period_code_utc_terminal_account_or_server_path_on_any_page(papers, tmp_path):
    for kind in KINDS:
        for number, page in enumerate(pages_of(papers[kind], tmp_path, kind).texts, 1):
            where = f"{kind}, page {number}"
            assert not LATIN_PERIOD.search(page), (where, LATIN_PERIOD.search(page))
            assert "UTC" not in page and "cli:" not in page and "cli@" not in page, where
            assert not SERVER_PATH.search(page), (where, SERVER_PATH.search(page))
            assert "уч. г." not in page, where
    journal = " ".join(page_texts(papers["backup_journal"], tmp_path, "journal"))
    assert " ".join(UNNAMED_AT_TERMINAL.split()) in journal  # who acted at the terminal, in words
    assert "восстановлена в папку на сервере" in journal


def test_russian_typography_keeps_numero_units_and_year_with_their_number(papers):
    for kind in KINDS:
        for number, page in enumerate(texts(papers[kind]), 1):
            where = f"{kind}, page {number}"
            assert not re.search(r"№[ \n]+\d", page), (where, re.findall(r".{10}№[ \n]+\d.{5}", page))
            assert not re.search(r"\d[ \n]МБ", page), where
            assert not re.search(r"[\d_][ \n]г\.", page), where
            assert not re.search(r"\d\.\d[ \n\xa0]*МБ", page), where  # a decimal comma, never a point


def test_the_register_has_case_indexes_extreme_dates_and_signature_columns(papers, tmp_path):
    (page,) = page_texts(papers["register"], tmp_path, "register")
    assert "Подпись сдавшего" in page and "Подпись принявшего" in page and "Крайние даты" in page
    quarter = f"{Q2_START:%d.%m.%Y}–{Q2_END:%d.%m.%Y}"
    assert page.count("02-14") == 5 and page.count("02-15") == 1
    assert page.count(quarter) == 5 and page.count("01.09.2026–26.05.2027") == 1  # the summary sheet's year


def test_the_inventory_is_numbered_lists_classes_in_natural_order_with_indexes_and_dates(archive, papers, tmp_path):
    (words,) = pages_of(papers["inventory"], tmp_path, "inventory").words
    (page,) = page_texts(papers["inventory"], tmp_path, "inventory")
    assert "ОПИСЬ № 1/2027" in page and "Опись дел № 1/2027" in page
    rows = row_words(words, r"\d+", 100, below=next(w.y1 for w in words if w.text == "02-14:"))
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    classes = [next(w for w in row if re.fullmatch(r"\d+[А-Я]", w)) for row in rows]
    assert classes == [*NATURAL, "9А"]  # 1А, 2А, 5Б, 10А, 11А — not 10А before 1А
    quarter = {"02-14", f"{Q2_START:%d.%m.%Y}–", f"{Q2_END:%d.%m.%Y}"}
    assert all(quarter <= set(row) for row in rows[:5]) and {"02-15", "01.09.2026–", "26.05.2027"} <= set(rows[5])
    assert "протокол экспертной комиссии" in page and "Секретарь (составитель описи)" in page
    # the same inventory printed again keeps its number; one listing another file takes the next
    assert "ОПИСЬ № 1/2027" in pages_of(printed(archive, "inventory"), tmp_path, "again").texts[0]
    stored = ingest_snapshot(archive.uow(), as_bytes(class_snapshot("3А", 3)), actor=Actor("test", "deputy"), now=NOW)
    with archive.uow() as uow:
        model = uow.session.scalars(select(DocumentRecord)).first()
        uow.documents.add(DocumentRecord(**{c: getattr(model, c) for c in (
            "kind", "school_id", "academic_year", "period_code", "template_version", "duplex", "pages", "sheets",
            "sha256", "size", "created_at", "created_by")}, document_id="3A-COPY", snapshot_id=stored.snapshot_id,
            class_name="3А", grade=3))
        uow.commit()
    add(archive, "3A-COPY")
    assert "ОПИСЬ № 2/2027" in pages_of(printed(archive, "inventory"), tmp_path, "next").texts[0]


def test_the_handover_act_is_numbered_with_media_facts_rooms_and_size(archive, papers, tmp_path):
    (page,) = pages_of(papers["handover_act"], tmp_path, "act").texts
    assert "АКТ № 1/2027" in page
    assert page.count("жёсткий диск (каталог)") == 2 and page.count("не записан") == 2  # no serial configured
    assert "кабинет директора, сейф" in page and "архив, металлический шкаф" in page
    assert re.search(r"объём: \d+,\d МБ", page) and "II четверть" in page
    with archive.uow() as uow:  # a set recorded before media types and serial numbers were
        row = uow.session.scalars(select(BackupSet)).one()
        row.copies = {label: {"location": copy["location"], "verified": True} for label, copy in row.copies.items()}
        uow.commit()
    old = pages_of(backup.handover_act_pdf(archive.uow(), archive.settings.templates_dir, row.set_id),
                   tmp_path, "old").texts[0]
    assert old.count("не записан") == 4 and "—" not in old.split("Носитель A", 1)[1].split("Копии", 1)[0]


def test_the_backup_journal_prints_school_time(papers, tmp_path):
    (page,) = page_texts(papers["backup_journal"], tmp_path, "journal")
    local = NOW.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert f"{local:%d.%m.%Y %H:%M}" in page and f"{NOW:%H:%M}" not in page
    assert "Время московское" in page
    # the «Набор» column read by position: pdftotext orders the lines of neighbouring cells by
    # their height, which changes with the width of the set's random mark
    (words,) = pages_of(papers["backup_journal"], tmp_path, "journal").words
    left, right = (next(w for w in words if w.text == head) for head in ("Набор", "Действие"))
    column = [w for w in words if left.x0 - 3 <= w.x0 < right.x0 - 3 and w.y0 > left.y1]
    cells = " ".join(w.text for w in sorted(column, key=lambda w: (round(w.y0), w.x0)))
    assert cells.count("2026/2027, II четверть (") == 4, cells


def test_the_disposal_act_is_numbered_and_says_periods_in_words(papers, tmp_path):
    (page,) = page_texts(papers["disposal_act"], tmp_path, "disposal")
    assert "01.01.2033 № 1/2033" in page and page.count("2026/2027, II четверть") == 5
    (words,) = pages_of(papers["disposal_act"], tmp_path, "disposal").words
    starts = [w for w in words if w.text == f"{Q2_START:%d.%m.%Y}–"]  # «Годы (крайние даты)»: the files' dates
    ends = [w for w in words if w.text == f"{Q2_END:%d.%m.%Y}"]
    assert len(starts) == len(ends) == 5 and all(abs(s.x0 - e.x0) < 1 for s, e in zip(starts, ends))
    assert page.count("02-14; № ") == 5 and "О. В. Сергеева" in page


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_no_register_row_is_split_across_pages(archive, tmp_path):
    """64 entries, titles of one to three lines: every row's words stand on one page, and each page
    after the header starts with a row's number."""
    stored = [ingest_snapshot(archive.uow(), as_bytes(class_snapshot(f"{grade}{letter}", grade)),
                              actor=Actor("test", "deputy"), now=NOW).snapshot_id
              for grade in range(2, 10) for letter in "АБВГДЕЖИ"]
    first = documents.render_document(archive.uow(), archive.store, archive.renderer, stored[0], "class_journal",
                                      archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    with archive.uow() as uow:
        model = uow.documents.by_document_id(first.document_id)
        fields = {c: getattr(model, c) for c in ("kind", "school_id", "academic_year", "period_code",
                                                 "template_version", "duplex", "pages", "sheets", "sha256", "size",
                                                 "created_at", "created_by")}
        for k, snapshot_id in enumerate(stored[1:], 1):
            snap = uow.snapshots.get(snapshot_id)
            uow.documents.add(DocumentRecord(**fields, document_id=f"COPY-{k:03d}", snapshot_id=snapshot_id,
                                             class_name=snap.class_name, grade=snap.grade))
        uow.commit()
    for k, document_id in enumerate([first.document_id, *(f"COPY-{k:03d}" for k in range(1, len(stored)))]):
        placement = register.Placement("каб. 5 (архив)" + " — дальний стеллаж у окна, нижняя полка" * (k % 3),
                                       "шкаф 2", "папка 2026/2027")
        register.register_document(archive.uow(), document_id, handed_over_by="Иванова Т. П.",
                                   accepted_by="Петрова А. С.", placement=placement, on=dt.date(2027, 1, 15),
                                   paper_only=True, actor=CLERK, now=NOW)
    pdf = pages_of(printed(archive, "register"), tmp_path, "long")
    assert len(pdf) >= 3
    seen = []
    for words in pdf.words:
        top = max(w.y1 for w in words if w.text == "14" and w.y0 < 120)  # the column numbers under the header
        body = [w for w in words if top < w.y0 < 560]  # below the header, above the secretary's line
        numbers = [w for w in body if re.fullmatch(r"\d+/2027", w.text) and w.x0 < 90]
        assert numbers and abs(min(w.y0 for w in body) - numbers[0].y0) < 1, "a page starts inside a row"
        seen += [int(w.text.split("/")[0]) for w in numbers]
    assert seen == list(range(1, len(stored) + 1))
