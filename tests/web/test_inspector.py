"""The inspector's search across school years, the audited preview, download and signature report."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from sqlalchemy import update

from archive_service.domain.actor import Actor
from archive_service.adapters.orm import DocumentRecord
from archive_service.services import documents, retrieval
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.register import Placement, register_document
from archive_service.services.renewal import renew_timestamps
from archive_service.services.signing import sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from signing import create_demo_pki, load_pkcs12, verify_pdf
from signing.zones import local_moment
from browser_support import jargon_in
from web_support import NAMES


def _visible(html: str) -> str:
    """What a person reads of a page: no scripts, no tags."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", html, flags=re.S))

CLERK = Actor("secretary", "secretary")
AFTER_THE_YEAR = dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.timezone.utc)

MOVER = {"id": "mover", "full_name": "Семёнова Алёна Олеговна", "birth_date": "2014-07-07", "enrolled_on": None,
         "left_on": None}
ORIGIN = "web 127.0.0.1"


def year_snapshot(academic_year: str, class_name: str, students: list[dict]) -> dict:
    """The year snapshot of a class (no lessons, a year mark per student per subject)."""
    first = int(academic_year[:4])
    grade = int(class_name[:-1])
    data = snapshot(academic_year=academic_year,
                    source={"system": "Сетевой город. Образование", "exported_at": f"{first + 1}-06-30T18:30:00+07:00"},
                    period={"kind": "year", "number": 1, "start": f"{first}-09-01", "end": f"{first + 1}-05-26"})
    data["class"] = {**data["class"], "id": f"c-{class_name}-{first}", "name": class_name, "grade": grade}
    data["students"] = copy.deepcopy(students)
    for subj in data["subjects"]:
        subj.pop("group", None)
        subj["lessons"] = []
        subj["period_marks"] = [{"student_id": s["id"], "period": "year", "value": 4} for s in students]
    return data


def store(archive, data: dict, kind: str) -> str:
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    return documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id, kind,
                                     archive.render_options, actor=Actor("deputy", "deputy"), now=NOW).document_id


@pytest.fixture
def holdings(archive, staff, monkeypatch):
    """Summary sheets of two school years: the mover in 5А (2025/2026), then in 6Б (2026/2027), not in 6А;
    a Q2 journal copy of 5А that does not list her. The 6Б sheet is signed and registered after the
    year ended (the archive's clock moves to 01.07.2027: nothing is signed before its period ends)."""
    others = snapshot()["students"][:2]
    ids = {
        "5А 2025/2026": store(archive, year_snapshot("2025/2026", "5А", others + [MOVER]), "summary_sheet"),
        "6Б 2026/2027": store(archive, year_snapshot("2026/2027", "6Б", [MOVER] + others[:1]), "summary_sheet"),
        "6А 2026/2027": store(archive, year_snapshot("2026/2027", "6А", others), "summary_sheet"),
        "5А Q2": store(archive, snapshot(), "class_journal"),
    }
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    signer = archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin"))
    monkeypatch.setattr(archive, "now", lambda: AFTER_THE_YEAR)
    outcomes = sign_documents(archive.uow(), archive.store, signer, "2026/2027", ["year"], ["6Б"],
                              actor=Actor("director", "director"), now=archive.now)
    assert [o.ok for o in outcomes] == [True]
    register_document(archive.uow(), ids["6Б 2026/2027"], handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                      placement=Placement("каб. 12", "шкаф 3", "папка 2027"), on=dt.date(2027, 7, 1),
                      paper_only=False, actor=CLERK, now=AFTER_THE_YEAR)
    return ids


def audit_events(archive, action: str) -> list[SimpleNamespace]:
    with archive.uow() as uow:
        return [SimpleNamespace(actor=e.actor, object_id=e.object_id, origin=e.origin, details=e.details)
                for e in uow.audit.entries() if e.action == action]


def test_a_student_is_found_in_every_school_year_and_class_she_was_in(archive, holdings, login_as):
    for spelling in ("Семёнова Алёна", "семенова", "  СЕМЕНОВА   алена олеговна "):
        found = retrieval.search(archive.uow(), retrieval.SearchQuery(student=spelling))
        assert [(d.academic_year, d.class_name, d.kind) for d in found] == [
            ("2025/2026", "5А", "summary_sheet"), ("2026/2027", "6Б", "summary_sheet")], spelling
    assert found[1].students == ("Семёнова Алёна Олеговна (07.07.2014)",)
    page = login_as("inspector").get("/inspect?student=семенова+алена").get_data(as_text=True)
    table = page.split('<table class="insp-results">', 1)[1]
    assert table.count("Семёнова Алёна Олеговна (07.07.2014)") == 2
    assert "2025/2026" in table and "6Б" in table and "6А" not in table
    assert "№ 1/2027" in table and "подписан" in table
    searched = audit_events(archive, "documents.searched")
    assert [(e.actor, e.object_id, e.origin, e.details["found"]) for e in searched] == [
        (NAMES["inspector"], "семенова алена", ORIGIN, 2)]


def test_year_class_and_kind_narrow_the_search(archive, holdings):
    def search(**criteria) -> list[tuple[str, str, str]]:
        return [(d.academic_year, d.class_name, d.period_code)
                for d in retrieval.search(archive.uow(), retrieval.SearchQuery(**criteria))]

    assert search(academic_year="2026/2027", kind="summary_sheet") == [("2026/2027", "6А", "year"),
                                                                       ("2026/2027", "6Б", "year")]
    assert search(class_name="5а") == [("2025/2026", "5А", "year"), ("2026/2027", "5А", "Q2")]
    assert search(kind="class_journal") == [("2026/2027", "5А", "Q2")]
    assert search(student="Семенова", academic_year="2025/2026") == [("2025/2026", "5А", "year")]
    assert search(student="Нетакой") == []


def test_opening_a_document_is_one_audited_view_and_its_pages_follow(archive, holdings, login_as):
    inspector = login_as("inspector")
    doc_id = holdings["6Б 2026/2027"]
    assert inspector.get(f"/inspect/documents/{doc_id}/pages/1.png").status_code == 403, "no image before the view"
    page = inspector.get(f"/inspect/documents/{doc_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Сводная ведомость итоговых отметок, 6Б класс" in text and "Скачать подписанный PDF" in text
    assert inspector.get(f"/inspect/documents/{doc_id}?page=2").status_code == 200
    image = inspector.get(f"/inspect/documents/{doc_id}/pages/2.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    viewed = audit_events(archive, "document.viewed")
    assert [(e.actor, e.object_id, e.origin) for e in viewed] == [(NAMES["inspector"], doc_id, ORIGIN)]
    assert login_as("director").get(f"/inspect/documents/{doc_id}/pages/1.png").status_code == 403


def test_the_download_is_the_current_signed_file_and_its_report_says_valid(archive, holdings, login_as):
    doc_id = holdings["6Б 2026/2027"]
    renew_timestamps(archive.uow(), archive.store, archive.timestamper(), archive.trust(), now=archive.now(),
                     horizon=dt.timedelta(days=365 * 100), actor=Actor("test", "system"))
    current = next(r for r in documents.list_documents(archive.uow(), "2026/2027", ["year"], ["6Б"]))
    assert current["signature"]["renewals"] == 1
    inspector = login_as("inspector")
    response = inspector.get(f"/inspect/documents/{doc_id}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.data).hexdigest() == current["signature"]["sha256"]
    assert "attachment" in response.headers["Content-Disposition"]
    assert verify_pdf(response.data, archive.trust()).valid
    downloaded = audit_events(archive, "document.downloaded")
    assert [(e.actor, e.object_id, e.origin, e.details["sha256"]) for e in downloaded] == [
        (NAMES["inspector"], doc_id, ORIGIN, current["signature"]["sha256"])]
    report = inspector.get(f"/inspect/documents/{doc_id}/report").get_data(as_text=True)
    assert "Подпись действительна" in report
    assert "со штампами времени, пригодная для долговременного хранения" in report
    assert not jargon_in(_visible(report)), jargon_in(_visible(report))
    as_json = inspector.get(f"/inspect/documents/{doc_id}/report.json")
    body = json.loads(as_json.data)
    assert body["report"]["valid"] is True and body["file_sha256"] == current["signature"]["sha256"]
    assert body["report"]["level"] == "PAdES B-LTA" and body["report"]["checks"][0]["code"] == "unmodified"
    as_text = inspector.get(f"/inspect/documents/{doc_id}/report.txt").get_data(as_text=True)
    assert "ПОДПИСЬ ДЕЙСТВИТЕЛЬНА" in as_text and not jargon_in(as_text), jargon_in(as_text)
    assert [e.details["valid"] for e in audit_events(archive, "document.verified")] == [True]
    assert len(audit_events(archive, "document.report_downloaded")) == 2


def test_an_unsigned_document_is_shown_but_not_handed_out(archive, holdings, login_as):
    doc_id = holdings["6А 2026/2027"]
    secretary = login_as("secretary")
    page = secretary.get(f"/inspect/documents/{doc_id}").get_data(as_text=True)
    assert "ещё не подписан директором" in page and "Скачать подписанный PDF" not in page
    refused = secretary.get(f"/inspect/documents/{doc_id}/download")
    assert refused.status_code == 409 and "ещё не подписан директором" in refused.get_data(as_text=True)
    assert audit_events(archive, "document.downloaded") == []


def test_who_may_search(app, holdings, login_as):
    for role in ("inspector", "director", "deputy", "secretary"):
        assert login_as(role).get("/inspect").status_code == 200, role
    assert login_as("admin").get("/inspect").status_code == 403
    assert login_as("admin").get(f"/inspect/documents/{holdings['6Б 2026/2027']}/download").status_code == 403
    anonymous = app.test_client().get("/inspect?student=x")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login?next=/inspect")
    home = login_as("inspector").get("/")
    assert home.headers["Location"] == "/inspect"


def test_an_unknown_or_destroyed_document_is_said_so(archive, holdings, login_as):
    inspector = login_as("inspector")
    missing = inspector.get("/inspect/documents/0123456789abcdef0123")
    assert missing.status_code == 404 and "в архиве нет" in missing.get_data(as_text=True)
    with archive.uow() as uow:
        uow.session.execute(update(DocumentRecord).where(DocumentRecord.document_id == holdings["5А Q2"])
                            .values(destroyed_by_act="1/2032"))
        uow.commit()
    gone = inspector.get(f"/inspect/documents/{holdings['5А Q2']}")
    assert gone.status_code == 404 and "уничтожен по акту № 1/2032" in gone.get_data(as_text=True)
    listed = inspector.get("/inspect?kind=class_journal").get_data(as_text=True).split("<table", 1)[1]
    assert "уничтожен по акту № 1/2032" in listed


def test_the_file_names_and_the_report_speak_russian_in_the_schools_time(archive, holdings, login_as):
    """«2026-2027_6Б_год_сводная_ведомость.pdf», not «…_year_…»; the report's «Проверено» in the school's
    time with its zone named, never UTC (issue 17)."""
    doc_id = holdings["6Б 2026/2027"]
    inspector = login_as("inspector")
    disposition = inspector.get(f"/inspect/documents/{doc_id}/download").headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('2026-2027_6Б_год_сводная_ведомость.pdf')}" in disposition
    assert "year" not in disposition
    page = inspector.get(f"/inspect/documents/{doc_id}/report").get_data(as_text=True)
    checked = local_moment(AFTER_THE_YEAR, archive.zone)
    assert f"<dt>Проверено</dt><dd>{checked}, без выхода" in page and "(МСК" in checked
    as_text = inspector.get(f"/inspect/documents/{doc_id}/report.txt").get_data(as_text=True)
    assert f"Проверено: {local_moment(AFTER_THE_YEAR, archive.zone, '%d.%m.%Y %H:%M:%S')}\n" in as_text
    assert "+00:00" not in as_text and "UTC" not in as_text and "UTC" not in page
    as_json = json.loads(inspector.get(f"/inspect/documents/{doc_id}/report.json").data)
    assert as_json["checked_at"] == AFTER_THE_YEAR.isoformat(timespec="seconds")  # machines keep ISO time
