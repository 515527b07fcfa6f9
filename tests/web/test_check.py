"""The sheet check a QR code opens: the right document, sheet and register entry, or «не из архива»."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DocumentRecord
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.register import Placement, register_document
from archive_service.services.retrieval import DocumentCard
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from signing import create_demo_pki, load_pkcs12
from web_support import NAMES, PASSWORD, csrf_token

CLERK = Actor("secretary", "secretary")

ORIGIN = "web 127.0.0.1"


@pytest.fixture
def journal(archive, staff):
    """The Q2 copy of 5А: rendered two-sided, signed by the director, entered in the register."""
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                    "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    sign_documents(archive.uow(), archive.store, archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin")),
                   "2026/2027", ["Q2"], actor=Actor("director", "director"), now=archive.now)
    register_document(archive.uow(), doc.document_id, handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                      placement=Placement("каб. 12", "шкаф 3", "папка 5А"), on=dt.date(2027, 1, 9), paper_only=False,
                      actor=CLERK, now=NOW)
    return doc


def events(archive, action: str) -> list[tuple]:
    with archive.uow() as uow:
        return [(e.actor, e.object_id, e.origin, e.details) for e in uow.audit.entries() if e.action == action]


def test_the_qr_address_is_the_route(app, journal):
    with app.test_request_context():
        from flask import url_for

        assert url_for("check.sheet", document_id=journal.document_id, sheet=3) == f"/check/{journal.document_id}/3"
    assert any(r.rule == "/check/<document_id>/<int:sheet>" for r in app.url_map.iter_rules())


def test_a_sheet_of_the_archive_shows_its_document_register_entry_signature_and_both_sides(archive, journal,
                                                                                         login_as):
    deputy = login_as("deputy")
    response = deputy.get(f"/check/{journal.document_id}/2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Лист 2 из {journal.sheets} — Копия классного журнала, 5А класс" in page
    assert "II четверть, 2026/2027 учебный год" in page
    assert "№ 1/2027" in page and "каб. 12" in page and "папка 5А" in page and "в архиве" in page
    assert "подписан" in page and "Сергеева Ольга Викторовна" in page and "PAdES B-LTA" in page
    assert "Файл документа в хранилище цел" in page
    for page_number in (3, 4):  # two-sided: sheet 2 is pages 3 and 4
        assert f"/check/{journal.document_id}/2/{page_number}.png" in page
        image = deputy.get(f"/check/{journal.document_id}/2/{page_number}.png")
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert deputy.get(f"/check/{journal.document_id}/2/5.png").status_code == 404, "a page of another sheet"
    assert events(archive, "sheet.checked") == [(NAMES["deputy"], journal.document_id, ORIGIN, {
        "kind": "class_journal", "class": "5А", "year": "2026/2027", "period": "Q2", "sheet": 2,
        "file_intact": True})]


def test_the_images_need_the_check_of_their_sheet_first(journal, login_as):
    secretary = login_as("secretary")
    assert secretary.get(f"/check/{journal.document_id}/2/3.png").status_code == 403
    assert secretary.get(f"/check/{journal.document_id}/2").status_code == 200
    assert secretary.get(f"/check/{journal.document_id}/2/3.png").status_code == 200
    assert secretary.get(f"/check/{journal.document_id}/3/5.png").status_code == 403, "another sheet: check it first"
    assert secretary.get(f"/inspect/documents/{journal.document_id}/pages/5.png").status_code == 403


@pytest.mark.parametrize("address", ["/check/0123456789abcdef0123/1", "/check/{doc}/0", "/check/{doc}/{after}"])
def test_a_sheet_the_archive_never_printed_is_not_from_the_archive(archive, journal, login_as, address):
    path = address.format(doc=journal.document_id, after=journal.sheets + 1)
    response = login_as("secretary").get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "не из архива" in page and "подменён" in page
    [(who, object_id, origin, details)] = events(archive, "sheet.check_failed")
    assert who == NAMES["secretary"] and origin == ORIGIN and object_id == path.split("/")[2]
    assert details["reason"] == ("unknown_document" if "0123" in path else "no_such_sheet")


def test_every_staff_role_may_check_a_sheet(journal, login_as):
    for role in ("deputy", "director", "secretary", "inspector"):
        assert login_as(role).get(f"/check/{journal.document_id}/1").status_code == 200, role


def test_the_administrator_sees_neither_the_sheet_nor_its_page_images(journal, login_as):
    admin = login_as("admin")
    for path in (f"/check/{journal.document_id}/1", f"/check/{journal.document_id}/1/1.png"):
        response = admin.get(path)
        assert response.status_code == 403 and "недоступна для вашей роли" in response.get_data(as_text=True), path


def test_an_anonymous_scan_goes_to_the_login_and_comes_back(app, journal):
    client = app.test_client()
    path = f"/check/{journal.document_id}/2"
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == f"/login?next={path}"
    signed_in = client.post("/login", data={"login": "inspector", "password": PASSWORD, "next": path,
                                            "csrf_token": csrf_token(client, f"/login?next={path}")})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == path
    assert "Лист 2 из" in client.get(path).get_data(as_text=True)


def test_a_sheet_of_a_destroyed_document_says_so_without_images(archive, journal, login_as):
    with archive.uow() as uow:
        uow.session.execute(update(DocumentRecord).where(DocumentRecord.document_id == journal.document_id)
                            .values(destroyed_by_act="3/2032"))
        uow.commit()
    response = login_as("director").get(f"/check/{journal.document_id}/1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "уничтожен по акту № 3/2032" in page and ".png" not in page


def card(pages: int, sheets: int, duplex: bool) -> DocumentCard:
    return DocumentCard("d", "class_journal", "2026/2027", "Q2", "II четверть", "5А", 5, 1, pages, sheets, duplex,
                        "0" * 64, None, None, None)


def test_the_pages_of_a_sheet_follow_the_printing():
    two_sided = card(pages=7, sheets=4, duplex=True)
    assert [two_sided.sheet_pages(n) for n in (1, 2, 4)] == [[1, 2], [3, 4], [7]]
    assert [two_sided.page_label(p) for p in (1, 2, 3)] == ["лист 1", "лист 1, оборот", "лист 2"]
    one_sided = card(pages=5, sheets=5, duplex=False)
    assert one_sided.sheet_pages(3) == [3] and one_sided.page_label(3) == "лист 3"
