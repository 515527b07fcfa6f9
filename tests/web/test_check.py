"""The sheet check a QR code opens: the public page anyone may open (only what the sheet shows, and
whether it matches the archive), and behind the login the staff view with the right document, sheet,
register entry and the sheet's images; or «Лист не найден в архиве»."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from sqlalchemy import update

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DocumentRecord, DocumentSignature
from archive_service.services import documents
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.retrieval import DocumentCard
from builders import as_bytes, snapshot
from conftest import NOW
from web_support import NAMES, PASSWORD, csrf_token, signed_registered_journal
from store_support import damage, lose

CLERK = Actor("secretary", "secretary")

ORIGIN = "web 127.0.0.1"


@pytest.fixture
def journal(archive, staff):
    """The Q2 copy of 5А: rendered two-sided, signed by the director, entered in the register."""
    return signed_registered_journal(archive, CLERK)


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
    response = deputy.get(f"/check/{journal.document_id}/2/full")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Лист 2 из {journal.sheets} — Копия классного журнала, 5А класс" in page
    assert "II четверть, 2026/2027 учебный год" in page
    assert "№ 1/2027" in page and "каб. 12" in page and "папка 5А" in page and "в архиве" in page
    assert "подписан" in page and "Сергеева Ольга Викторовна" in page
    assert "электронная подпись со штампами времени, пригодная для долговременного хранения" in page
    assert "PAdES" not in page
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
    assert secretary.get(f"/check/{journal.document_id}/2/3.png").status_code == 403, "the public page shows no image"
    assert secretary.get(f"/check/{journal.document_id}/2/full").status_code == 200
    assert secretary.get(f"/check/{journal.document_id}/2/3.png").status_code == 200
    assert secretary.get(f"/check/{journal.document_id}/3/5.png").status_code == 403, "another sheet: check it first"
    assert secretary.get(f"/inspect/documents/{journal.document_id}/pages/5.png").status_code == 403


@pytest.mark.parametrize("address", ["/check/0123456789abcdef0123/1", "/check/{doc}/0", "/check/{doc}/{after}"])
def test_a_sheet_the_archive_never_printed_is_not_from_the_archive(archive, journal, login_as, address):
    path = address.format(doc=journal.document_id, after=journal.sheets + 1)
    response = login_as("secretary").get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Лист не найден в архиве" in page and "не из архива" in page and "подменён" in page
    assert login_as("deputy").get(f"{path}/full").status_code == 404
    [(who, object_id, origin, details), (staff_who, *_)] = events(archive, "sheet.check_failed")
    assert who == NAMES["secretary"] and origin == ORIGIN and object_id == path.split("/")[2]
    assert details["reason"] == ("unknown_document" if "0123" in path else "no_such_sheet")
    assert details["public"] is True and staff_who == NAMES["deputy"]


def test_every_staff_role_may_check_a_sheet(journal, login_as):
    for role in ("deputy", "director", "secretary", "inspector"):
        client = login_as(role)
        page = client.get(f"/check/{journal.document_id}/1").get_data(as_text=True)
        assert f'href="/check/{journal.document_id}/1/full"' in page, role
        assert client.get(f"/check/{journal.document_id}/1/full").status_code == 200, role


def test_the_administrator_sees_the_public_check_but_neither_the_staff_view_nor_its_page_images(journal, login_as):
    admin = login_as("admin")
    public = admin.get(f"/check/{journal.document_id}/1")
    assert public.status_code == 200 and "/full" not in public.get_data(as_text=True)
    for path in (f"/check/{journal.document_id}/1/full", f"/check/{journal.document_id}/1/1.png"):
        response = admin.get(path)
        assert response.status_code == 403 and "недоступна для вашей роли" in response.get_data(as_text=True), path


def test_the_staff_view_sends_an_anonymous_visitor_to_the_login_and_back(app, journal):
    client = app.test_client()
    path = f"/check/{journal.document_id}/2/full"
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
    for path in (f"/check/{journal.document_id}/1", f"/check/{journal.document_id}/1/full"):
        response = login_as("director").get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "уничтожен по акту № 3/2032" in page and ".png" not in page, path


def card(pages: int, sheets: int, duplex: bool) -> DocumentCard:
    return DocumentCard("d", "class_journal", "2026/2027", "Q2", "II четверть", "5А", 5, 1, pages, sheets, duplex,
                        "0" * 64, None, None, None)


def test_the_pages_of_a_sheet_follow_the_printing():
    two_sided = card(pages=7, sheets=4, duplex=True)
    assert [two_sided.sheet_pages(n) for n in (1, 2, 4)] == [[1, 2], [3, 4], [7]]
    assert [two_sided.page_label(p) for p in (1, 2, 3)] == ["лист 1", "лист 1, оборот", "лист 2"]
    one_sided = card(pages=5, sheets=5, duplex=False)
    assert one_sided.sheet_pages(3) == [3] and one_sided.page_label(3) == "лист 3"


# --- the public check: what anyone who scans the QR code is told, signed in or not -------------------

SCHOOL = "МБОУ «Средняя общеобразовательная школа № 21»"
PERIOD = "II четверть, 2026/2027 учебный год"


def visible_text(html: str) -> str:
    """The page as a reader sees it: the text without tags, entities undone, spaces joined."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def snapshot_people_and_marks() -> tuple[set[str], set[str]]:
    """Every person's name in the builder's snapshot (pupils, teachers, the director) and every mark."""
    data = snapshot()
    names = {s["full_name"] for s in data["students"]} | {data["school"]["director"]["full_name"],
                                                         data["class"]["class_teacher"]["full_name"]}
    marks: set[str] = set()
    for subject in data["subjects"]:
        names.add(subject["teacher"]["full_name"])
        marks |= {str(m["value"]) for m in subject["period_marks"]}
        for lesson in subject["lessons"]:
            marks |= {str(m["value"]) for m in lesson.get("marks", [])}
    return names, marks


def test_an_anonymous_scan_shows_only_what_the_sheet_shows_and_no_personal_data(app, archive, journal):
    with archive.uow() as uow:  # signed late in the evening: the school's date is the next day
        uow.session.execute(update(DocumentSignature).values(signed_at=dt.datetime(2027, 1, 9, 22, 30,
                                                                                    tzinfo=dt.timezone.utc)))
        uow.commit()
    response = app.test_client().get(f"/check/{journal.document_id}/2")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = visible_text(html)
    for fact in (SCHOOL, "Копия классного журнала", "5А", PERIOD, f"лист 2 из {journal.sheets}",
                 "Лист совпадает с архивом", "совпадает с архивом", "№ 1/2027", "подписан",
                 "электронной подписью 10.01.2027"):
        assert fact in text, fact
    assert "09.01.2027" not in text and "22:30" not in text, "the school's date, never UTC's"
    names, marks = snapshot_people_and_marks()
    for name in names:
        for word in name.split():
            assert word not in html, word
    assert "Математика" not in html and "Музыка" not in html, "the sheet's subjects are its content, not shown"
    rest = text
    for fact in (SCHOOL, PERIOD, f"лист 2 из {journal.sheets}", "№ 1/2027", "10.01.2027",
                 "лист 2 в нём есть", "5А"):
        rest = rest.replace(fact, "")
    assert not any(ch.isdigit() for ch in rest), f"a number beyond the sheet's facts (a mark?): {rest}"
    assert marks and not (set(rest.split()) & marks)
    with archive.uow() as uow:
        digests = [journal.sha256] + [r.sha256 for r in uow.session.query(DocumentSignature)]
    for digest in digests:
        assert digest[:12] not in html, "no digest"
    assert str(archive.settings.home) not in html and "/documents/" not in html, "no server path"
    assert "PAdES" not in html and "каб. 12" not in html and "Петрова" not in html and "Иванова" not in html
    assert "/full" not in html and ".png" not in html and "<img" not in html, "the images stay behind the login"
    [(who, object_id, origin, details)] = events(archive, "sheet.checked")
    assert who == "Посетитель без входа" and object_id == journal.document_id and origin == ORIGIN
    assert details["public"] is True and details["file_intact"] is True


def test_a_tampered_stored_file_does_not_match(app, archive, journal):
    damage(archive.store, journal.sha256)  # one bit of the printed file changed
    response = app.test_client().get(f"/check/{journal.document_id}/1")
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Лист не совпадает с архивом" in text and "не совпадает с архивом" in text
    assert "Лист совпадает с архивом" not in text and "insp-verdict bad" in response.get_data(as_text=True)
    assert events(archive, "sheet.checked")[0][3]["file_intact"] is False


def test_a_lost_signed_file_does_not_match_either(app, archive, journal):
    with archive.uow() as uow:
        signed = uow.session.query(DocumentSignature).one().sha256
    lose(archive.store, signed)
    text = visible_text(app.test_client().get(f"/check/{journal.document_id}/1").get_data(as_text=True))
    assert "Лист не совпадает с архивом" in text


@pytest.mark.parametrize("address", ["/check/0123456789abcdef0123/1", "/check/{doc}/0", "/check/{doc}/{after}"])
def test_an_unknown_document_or_sheet_is_not_found_for_anyone(app, archive, journal, address):
    path = address.format(doc=journal.document_id, after=journal.sheets + 1)
    response = app.test_client().get(path)
    assert response.status_code == 404
    text = visible_text(response.get_data(as_text=True))
    assert "Лист не найден в архиве" in text and "подменён" in text
    [(who, _, origin, details)] = events(archive, "sheet.check_failed")
    assert who == "Посетитель без входа" and origin == ORIGIN and details["public"] is True


def test_the_preview_link_is_there_for_staff_signed_in_and_not_for_an_anonymous_visitor(app, journal, login_as):
    path = f"/check/{journal.document_id}/2"
    staff = login_as("inspector").get(path).get_data(as_text=True)
    assert f'href="{path}/full"' in staff and "Изображение листа и полные сведения" in staff
    anonymous = app.test_client().get(path).get_data(as_text=True)
    assert f"{path}/full" not in anonymous and "Изображение листа и полные сведения" not in anonymous
    assert 'href="/login"' in anonymous


def test_the_sheet_images_and_the_staff_view_need_a_login(app, journal):
    client = app.test_client()
    client.get(f"/check/{journal.document_id}/2")  # the public page opened first changes nothing
    for path in (f"/check/{journal.document_id}/2/3.png", f"/check/{journal.document_id}/2/full"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path
        assert not response.data.startswith(b"\x89PNG")


def test_an_unsigned_unregistered_sheet_says_so(app, archive, staff):
    stored = ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    doc = documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                    "class_journal", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    text = visible_text(app.test_client().get(f"/check/{doc.document_id}/1").get_data(as_text=True))
    assert "Лист совпадает с архивом" in text and "в реестр не внесён" in text and "не подписан" in text
