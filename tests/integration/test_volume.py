"""The year's volume of a class (002 § 5.3, 003 прил. 2 § 3.4), read back from its PDF: one title
sheet whose contents give each part's sheets, sheets numbered through the parts, one certification
note with the total in digits and words; refused, with nothing written, while the year is not complete."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from archive_service.domain.actor import Actor
from archive_service.domain.periods import period_title
from archive_service.domain.sheets import is_front, sheet_of_page, sheets_of_pages
from archive_service.rendering.documents import sheets_in_words, sheets_noun
from archive_service.services import documents, volumes
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, year_snapshots
from conftest import NOW
from pdf_reading import PdfPages

YEAR = "2025/2026"
AFTER_THE_YEAR = dt.date(2026, 6, 10)
DEPUTY = Actor("Петрова Анна Ивановна", "deputy")
CONTENTS_ROW = re.compile(r"(Часть (\d)\. .+?) (\d+)(?:–(\d+))?(?= Часть| Заверительная)")


def store_year(archive, codes=("Q1", "Q2", "Q3", "Q4", "year"), name="5А"):
    for code, data in year_snapshots(name).items():
        if code in codes:
            ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)


def make(archive, today=AFTER_THE_YEAR, name="5А"):
    return volumes.make_volume(archive.uow(), archive.store, archive.renderer, YEAR, name, archive.render_options,
                               actor=DEPUTY, today=today, now=NOW)


@pytest.fixture
def volume(archive, tmp_path):
    store_year(archive)
    result = make(archive)
    path = tmp_path / "volume.pdf"
    path.write_bytes(archive.store.read(result.sha256))
    return result, PdfPages(path)


def test_the_volume_counts_its_sheets_in_digits_and_words_on_the_title_and_in_the_note(volume):
    result, pdf = volume
    sheets = sheets_of_pages(len(pdf), duplex=True)
    assert result.sheets == sheets and result.pages == len(pdf)
    title = " ".join(pdf.texts[0].split())
    assert f"Всего листов: {sheets} ({sheets_in_words(sheets)})" in title
    assert "Том за учебный год" in title and "Срок хранения: 5 лет" in title
    note = " ".join(pdf.texts[-1].split())
    assert f"скреплено печатью {sheets} ({sheets_in_words(sheets)}) {sheets_noun(sheets)}" in note
    certified = [i for i, text in enumerate(pdf.texts) if "Прошито, пронумеровано" in text]
    assert certified == [len(pdf) - 1]  # one note, at the end
    assert sum("Достоверность сведений подтверждаю" in text for text in pdf.texts) == 1  # one title sheet


def test_each_part_begins_on_the_sheet_the_contents_gives(volume):
    result, pdf = volume
    contents = " ".join(pdf.texts[1].split())
    rows = CONTENTS_ROW.findall(contents)
    assert [int(number) for _, number, _, _ in rows] == [1, 2, 3, 4, 5]
    titles = [title for title, *_ in rows]
    assert [t.split(" (")[0] for t in titles[:4]] == [f"Часть {n}. {period_title(f'Q{n}')}" for n in range(1, 5)]
    assert titles[4].startswith("Часть 5. Итоги учебного года")
    headed = {n: [i for i, text in enumerate(pdf.texts) if f"Часть {n}. " in text and "учебный год:" in text]
              for n in range(1, 6)}
    last_sheet = 1
    for title, number, first, last in rows:
        first_page = 2 * (int(first) - 1)
        assert headed[int(number)] == [first_page], title  # the heading stands on that sheet, nowhere else
        assert pdf.top_right_number(first_page) == first
        assert int(first) == last_sheet + 1  # the parts follow one another, no sheet left out
        last_sheet = int(last or first)
    assert f"Всего листов {result.sheets}" in contents and f"Заверительная надпись {result.sheets} об." in contents
    assert last_sheet == result.sheets


def test_sheets_are_numbered_through_the_whole_volume(volume):
    _, pdf = volume
    for index in range(1, len(pdf)):
        expected = str(sheet_of_page(index, duplex=True)) if is_front(index, duplex=True) else None
        assert pdf.top_right_number(index) == expected, index


def test_the_volume_is_recorded_audited_reused_and_exported(archive, volume, tmp_path):
    result, _ = volume
    assert make(archive).status == "reused"
    listed = [d for d in documents.list_documents(archive.uow(), YEAR, ["volume"])]
    assert [(d["document_id"], d["class"], d["kind"]) for d in listed] == [(result.document_id, "5А",
                                                                            "class_journal")]
    with archive.uow() as uow:
        events = [(e.action, e.actor, e.details) for e in uow.audit.entries() if e.object_id == result.document_id]
    assert [(action, actor) for action, actor, _ in events] == [("document.rendered", DEPUTY.person)]
    assert [p["period"] for p in events[0][2]["parts"]] == ["Q1", "Q2", "Q3", "Q4", "year"]
    exported = documents.export_documents(archive.uow(), archive.store, tmp_path / "out", YEAR, ["volume"],
                                          actor=DEPUTY, now=NOW)
    assert [p.name for p in exported.paths] == ["5А_том_за_год_журнал.pdf"]
    assert exported.paths[0].read_bytes() == archive.store.read(result.sha256)


def test_a_year_with_a_missing_or_unfinished_period_gets_no_volume(archive):
    store_year(archive, codes=("Q1", "Q2", "Q4"))
    with pytest.raises(volumes.VolumeRefused) as refused:
        make(archive)
    assert "нет снимков журнала: III четверть, учебный год (годовые отметки)" in str(refused.value)
    store_year(archive)
    with pytest.raises(volumes.VolumeRefused) as early:
        make(archive, today=dt.date(2026, 5, 20))
    assert "не завершены: IV четверть (заканчивается 25.05.2026), учебный год (заканчивается 25.05.2026)" in \
        str(early.value)
    assert documents.list_documents(archive.uow(), YEAR) == []


def test_the_command_makes_the_volume_and_documents_export_takes_it(archive, runner, tmp_path):
    store_year(archive)
    made = runner.invoke(args=["--as", "deputy", "volume", "make", "--year", YEAR, "--class", "5А"])
    assert made.exit_code == 0, made.output
    assert "5А: том за учебный год изготовлен" in made.output
    out = runner.invoke(args=["--as", "deputy", "documents", "export", "--year", YEAR, "--period", "volume",
                              "--to", str(tmp_path / "print")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "print" / "5А_том_за_год_журнал.pdf").is_file()
    refused = runner.invoke(args=["--as", "secretary", "volume", "make", "--year", YEAR])
    assert refused.exit_code != 0


def test_the_director_signs_the_volume_as_a_copy(archive, volume):
    from archive_service.services.signing import sign_documents
    from signing import create_demo_pki, load_pkcs12, verify_pdf

    result, _ = volume
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    signer = archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin"))
    outcomes = sign_documents(archive.uow(), archive.store, signer, YEAR, ["volume"],
                              actor=Actor("Сергеева Ольга Викторовна", "director"), now=archive.now)
    assert [(o.class_name, o.ok) for o in outcomes] == [("5А", True)]
    (row,) = documents.list_documents(archive.uow(), YEAR, ["volume"])
    assert row["document_id"] == result.document_id
    assert verify_pdf(archive.store.read(row["signature"]["sha256"]), archive.trust()).valid


def test_a_volume_made_again_after_a_correction_replaces_the_earlier_one(archive, volume):
    from builders import year_snapshots, subject

    earlier, _ = volume
    corrected = year_snapshots()["Q2"]
    subject(corrected, "math")["period_marks"][1]["value"] = 5
    ingest_snapshot(archive.uow(), as_bytes(corrected), actor=Actor("test", "deputy"),
                    reason="исправлена четвертная отметка", now=NOW)
    later = make(archive)
    assert later.document_id != earlier.document_id
    rows = {r["document_id"]: r for r in documents.list_documents(archive.uow(), YEAR, ["volume"])}
    assert rows[later.document_id]["superseded"] is None
    assert rows[earlier.document_id]["superseded"]["reason"] == \
        "том изготовлен заново по исправленным снимкам журнала: II четверть"
    assert make(archive).status == "reused"  # nothing replaced twice
    with archive.uow() as uow:
        assert [e.object_id for e in uow.audit.entries() if e.action == "document.superseded"] == \
            [earlier.document_id]
