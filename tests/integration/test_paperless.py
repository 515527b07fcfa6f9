"""A paperless school (reference 001 § V): the signed electronic copy is the archival original — the
board without paper steps, the register entry of an electronic document with no shelf, the print
«Копия электронного документа» with the signature's details and a QR code on every page, audited;
a school keeping paper works as before."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from archive_service.domain.actor import Actor
from archive_service.domain.ready_procedures import DEFAULT_KEY, READY
from archive_service.domain.sheets import is_front, sheet_of_page
from archive_service.errors import ArchiveError
from archive_service.rendering.pdf import QR_MARGIN, QR_SIZE
from archive_service.services import documents, electronic_copies, originals, period_steps, register
from archive_service.services import register_printout
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from pdf_reading import pdf_text
from web_support import csrf_token
from signing import create_demo_pki, load_pkcs12

YEAR = "2026/2027"
ADMIN = Actor("Админов Артём Андреевич", "admin")
CLERK = Actor("Петрова Анна Сергеевна", "secretary")
DIRECTOR = "Сергеева Ольга Викторовна"
ON = dt.date(2027, 1, 15)
DPI = 200


def _journal(archive, name: str = "5А") -> str:
    data = snapshot()
    data["class"] = {**data["class"], "id": f"c-{name}", "name": name}
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    return documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                     "class_journal", archive.render_options, actor=Actor("deputy", "deputy"),
                                     now=NOW).document_id


def _sign(archive) -> None:
    create_demo_pki(archive.demo_pki.directory, owner=DIRECTOR, organisation="МБОУ СОШ № 21", password=b"pin",
                    now=dt.datetime.now(dt.timezone.utc))
    sign_documents(archive.uow(), archive.store, archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin")),
                   YEAR, ["Q2"], actor=Actor(DIRECTOR, "director"), now=archive.now)


@pytest.fixture
def paperless(archive):
    """The school keeps 2026/2027 electronically; 5А's Q2 copy is signed by the director, 5Б's is not."""
    originals.set_original(archive.uow(), YEAR, True, actor=ADMIN, now=NOW)
    signed = _journal(archive, "5А")
    _sign(archive)
    return archive, signed, _journal(archive, "5Б")


def _register(archive, document_id, **given):
    options = {"handed_over_by": "", "accepted_by": "", "placement": register.Placement("", "", ""),
               "on": ON, "paper_only": False, "actor": CLERK, "now": NOW} | given
    return register.register_document(archive.uow(), document_id, **options)


def test_the_setting_is_audited_with_the_persons_name_and_what_it_was(archive):
    with archive.uow() as uow:
        assert not originals.setting(uow, YEAR).electronic
    originals.set_original(archive.uow(), YEAR, True, actor=ADMIN, now=NOW)
    with archive.uow() as uow:
        assert originals.electronic(uow, YEAR) and not originals.electronic(uow, "2025/2026")
        (event,) = [(e.actor, e.object_id, e.details) for e in uow.audit.entries() if e.action == "original.set"]
    assert event == (ADMIN.person, YEAR, {"original": "электронный оригинал", "before": "бумажный оригинал"})


def test_a_paperless_board_shows_no_paper_step_and_a_paper_school_keeps_them_all(archive):
    _journal(archive)
    paper = period_steps.period_board(archive.uow(), YEAR, "Q2", NOW.date())
    assert [s.code for s in paper.steps] == [s.code for s in READY[DEFAULT_KEY].for_period("Q2")]
    assert any(s.paper for s in paper.steps)
    originals.set_original(archive.uow(), YEAR, True, actor=ADMIN, now=NOW)
    board = period_steps.period_board(archive.uow(), YEAR, "Q2", NOW.date())
    assert [s.code for s in board.steps] == ["marks_checked", "backups", "director_e_signed", "e_registered"]
    assert board.procedure.title.endswith("(электронный оригинал)")
    # the register step is due on the 5th day of the holidays, as the paper register step was
    assert board.deadlines["e_registered"] == paper.deadlines["registered"] is not None
    with pytest.raises(ArchiveError, match="нет такого шага"):
        period_steps.record_step(archive.uow(), YEAR, "Q2", "copies_printed", ["5А"], actor=Actor("d", "deputy"),
                                 now=NOW)


def test_a_signed_electronic_original_is_registered_with_no_shelf_and_the_usual_retention(paperless):
    archive, signed, _ = paperless
    row = _register(archive, signed, placement=register.Placement("каб. 12", "шкаф 3", "папка 5А"))
    assert (row.medium, row.room, row.cabinet, row.folder) == ("electronic", "", "", "")
    assert row.place == "электронный документ: хранилище архива; резервной копии ещё нет"
    assert (row.handed_over_by, row.accepted_by) == (DIRECTOR, CLERK.person)  # the signer hands over, she accepts
    assert row.retention_end == "2033-01-01"  # 5 years from 1 January after the year's file closes, as on paper
    assert row.title == "Электронный оригинал классного журнала, 5А класс"
    assert register.retention_due(archive.uow(), dt.date(2032, 12, 31)) == []
    (due,) = register.retention_due(archive.uow(), dt.date(2033, 1, 1))  # the disposal act lists it then
    assert (due.document_id, due.medium) == (signed, "electronic")
    board = period_steps.period_board(archive.uow(), YEAR, "Q2", NOW.date())
    cells = {c.step.code: c for c in next(r for r in board.classes if r.class_name == "5А").cells}
    assert cells["e_registered"].state == "done" and cells["director_e_signed"].state == "done"
    printed = pdf_text(register_printout.printout(archive.uow(), archive.settings.templates_dir, "register", "pdf",
                                         year=2027, actor=CLERK, now=NOW)[0])
    place = printed.split("15.01.2027", 1)[1]  # the entry's row after its date; the cell wraps its words
    assert "электронный" in place and "документ: хранилище архива" in place and "каб. 12" not in printed


def test_an_unsigned_or_paper_only_original_is_refused_and_nothing_is_written(paperless):
    archive, _, unsigned = paperless
    with pytest.raises(register.NotSigned, match="после подписи директора"):
        _register(archive, unsigned)
    with pytest.raises(ArchiveError, match="бумажная копия не регистрируется"):
        _register(archive, unsigned, paper_only=True)
    assert register.list_register(archive.uow()) == []


def test_a_paper_school_refuses_an_electronic_registration_and_keeps_its_shelf(archive):
    doc = _journal(archive)
    _sign(archive)
    with pytest.raises(ArchiveError, match="укажите, где она хранится"):
        register.RegisterDocument(archive.uow(), doc, handed_over_by="", accepted_by="",
                                  placement=register.Placement("", "", ""), on=ON, paper_only=False, actor=CLERK,
                                  now=NOW, electronic_only=True).run()
    row = _register(archive, doc, handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                    placement=register.Placement("каб. 12", "шкаф 3", "папка 5А"))
    assert (row.medium, row.place) == ("paper", "каб. 12, шкаф 3, папка 5А")
    with pytest.raises(ArchiveError, match="бумажная копия"):
        electronic_copies.print_copy(archive.uow(), archive.store, archive.settings.templates_dir, doc,
                                     public_url="https://archive.school.example", actor=CLERK, now=NOW,
                                     zone=archive.zone)


def _pages(pdf: bytes) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "copy.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "copy.pdf", "page"], cwd=folder, check=True)
        return [Image.open(p).convert("L") for p in sorted(Path(folder).glob("page-*.png"))]


def _reads_as(image: Image.Image, text: str, page_width: float, page_height: float) -> bool:
    """The image shows the QR code of `text` where the archive draws it: module by module, dark where
    the code is dark (a reading of the code as a scanner would make it, without a scanner)."""
    matrix = segno.make(text, error="m", micro=False).matrix
    module, x0 = QR_SIZE / len(matrix), page_width - QR_MARGIN - QR_SIZE
    top = page_height - QR_MARGIN - QR_SIZE
    scale = DPI / 72
    return all((image.getpixel((round((x0 + (c + 0.5) * module) * scale), round((top + (r + 0.5) * module) * scale)))
                < 128) == bool(dark) for r, row in enumerate(matrix) for c, dark in enumerate(row))


def test_the_print_carries_the_mark_the_signature_and_a_qr_code_on_every_page_and_is_audited(paperless):
    archive, signed, _ = paperless
    url = "https://archive.school.example"
    copy = electronic_copies.print_copy(archive.uow(), archive.store, archive.settings.templates_dir, signed,
                                        public_url=url, actor=CLERK, now=NOW, zone=archive.zone)
    if os.environ.get("ARCHIVE_KEEP_PRINT"):  # to look at the pages (pdftoppm)
        Path(os.environ["ARCHIVE_KEEP_PRINT"]).write_bytes(copy.pdf)
    text = pdf_text(copy.pdf)
    assert "КОПИЯ ЭЛЕКТРОННОГО ДОКУМЕНТА" in text and f"Документ подписан электронной подписью: {DIRECTOR}" in text
    assert "(МСК)" in copy.lines[3] and "действителен с" in copy.lines[2] and CLERK.person in copy.lines[4]
    reader = PdfReader(io.BytesIO(copy.pdf))
    assert "/AcroForm" not in reader.trailer["/Root"] and len(reader.pages) == copy.card.pages
    pages = _pages(copy.pdf)
    for index, (image, page) in enumerate(zip(pages, reader.pages, strict=True)):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        # fronts carry the code rendered with the document (the test address), backs the print's own
        sheet = sheet_of_page(index, duplex=copy.card.duplex)
        address = archive.settings.public_url if is_front(index, duplex=copy.card.duplex) else url
        assert _reads_as(image, f"{address.rstrip('/')}/check/{signed}/{sheet}", width, height), index
        assert "КОПИЯ ЭЛЕКТРОННОГО ДОКУМЕНТА" in pdf_text(_one_page(copy.pdf, index))
    if shutil.which("zbarimg"):
        found = subprocess.run(["zbarimg", "-q", "--raw", "-"], input=_png(pages[1]), capture_output=True).stdout
        assert f"/check/{signed}/".encode() in found
    with archive.uow() as uow:
        (event,) = [(e.actor, e.object_id, e.details["pages"]) for e in uow.audit.entries()
                    if e.action == "document.copy_printed"]
    assert event == (CLERK.person, signed, copy.card.pages)


def _one_page(pdf: bytes, index: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(pdf)).pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_the_secretary_sets_nothing_the_admin_sets_the_original_and_the_pages_offer_the_print(archive, login_as):
    doc = _journal(archive)
    _sign(archive)
    admin, secretary = login_as("admin"), login_as("secretary")
    assert admin.get("/admin/procedures").status_code == 200
    page = secretary.get(f"/inspect/documents/{doc}")
    assert "Распечатать копию электронного документа" not in page.get_data(as_text=True)
    assert secretary.get(f"/documents/{doc}/electronic-copy.pdf").status_code == 422  # kept on paper
    answer = admin.post("/admin/procedures/original", data={"year": YEAR, "original": "electronic",
                                                             "csrf_token": csrf_token(admin, "/admin/procedures")})
    assert answer.status_code == 302
    assert "электронный оригинал" in admin.get("/admin/procedures").get_data(as_text=True)
    page = secretary.get(f"/inspect/documents/{doc}").get_data(as_text=True)
    assert "Распечатать копию электронного документа" in page
    register_page = secretary.get("/register").get_data(as_text=True)
    assert "Внести электронный оригинал в реестр" in register_page
    sent = secretary.post("/register", data={"electronic": "1", "document_id": doc, "on": "2027-01-15",
                                             "csrf_token": csrf_token(secretary, "/register")})
    assert sent.status_code == 302
    shown = secretary.get("/register").get_data(as_text=True)
    assert "электронный документ: хранилище архива" in shown and "копия электронного документа (PDF)" in shown
    response = login_as("director").get(f"/documents/{doc}/electronic-copy.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "КОПИЯ ЭЛЕКТРОННОГО ДОКУМЕНТА" in pdf_text(response.data)
    with archive.uow() as uow:
        printed = [(e.actor, e.origin[:4]) for e in uow.audit.entries() if e.action == "document.copy_printed"]
    assert printed == [("Смирнов Виктор Васильевич", "web ")]


def test_the_command_line_prints_the_copy_as_the_named_secretary(paperless, runner, tmp_path):
    archive, signed, _ = paperless
    out = tmp_path / "copy.pdf"
    result = runner.invoke(args=["--as", "secretary", "documents", "electronic-copy", signed, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Копия электронного документа" in result.output and "КОПИЯ ЭЛЕКТРОННОГО ДОКУМЕНТА" in pdf_text(
        out.read_bytes())
    refused = runner.invoke(args=["--as", "deputy", "documents", "electronic-copy", signed, "--out", str(out)])
    assert refused.exit_code != 0
    with archive.uow() as uow:
        assert [e.actor for e in uow.audit.entries() if e.action == "document.copy_printed"] == [
            "Петрова Анна Сергеевна"]


def test_a_signed_summary_sheet_kept_electronically_is_kept_25_years(archive):
    from certificate_support import year_snapshot

    year = "2025/2026"
    originals.set_original(archive.uow(), year, True, actor=ADMIN, now=NOW)
    stored = ingest_snapshot(archive.uow(), as_bytes(year_snapshot("5А", 5, year)), actor=Actor("test", "deputy"),
                             now=NOW)
    sheet = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                      "summary_sheet", archive.render_options, actor=Actor("deputy", "deputy"),
                                      now=NOW).document_id
    create_demo_pki(archive.demo_pki.directory, owner=DIRECTOR, organisation="МБОУ СОШ № 21", password=b"pin",
                    now=dt.datetime.now(dt.timezone.utc))
    sign_documents(archive.uow(), archive.store, archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin")),
                   year, ["year"], actor=Actor(DIRECTOR, "director"), now=archive.now)
    row = _register(archive, sheet)
    assert row.medium == "electronic"
    assert row.title == "Сводная ведомость итоговых отметок (электронный оригинал), 5А класс"
    assert row.retention_end == "2052-01-01"  # 2025/2026 closes 31.08.2026: 25 years from 1 January 2027
