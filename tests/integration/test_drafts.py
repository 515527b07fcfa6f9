"""Dates that cannot be true, on a real database: a close before the period's end makes a draft
marked on every page, which nobody signs, registers or backs up; the close after the end makes
the final copy; nothing is signed or registered before the snapshot was exported."""

from __future__ import annotations

import base64
import datetime as dt
import html

import pytest

from archive_service.adapters.job_runners import InProcessRunner
from archive_service.domain.actor import Actor
from archive_service.domain.clock import Clock
from archive_service.domain.drafts import DRAFT_MARK
from archive_service.errors import DraftRefused, TooEarly
from archive_service.services import documents, register
from archive_service.services.backup_payload import payload
from archive_service.services.ingest import ingest_snapshot
from archive_service.services.period_close import ClosePeriod
from archive_service.services.signing import SignDocuments, sign_documents
from builders import as_bytes, snapshot
from conftest import NOW
from gost_browser_support import director_certificate, director_token, gost_archive, make_app
from pdf_reading import PdfPages
from signing import create_demo_pki, load_pkcs12
from web_support import client_factory, csrf_token, make_staff

YEAR, PERIOD = "2026/2027", "Q2"
DEPUTY, DIRECTOR, SECRETARY = Actor("Иванова", "deputy"), Actor("Сергеева", "director"), Actor("Петрова", "secretary")
BEFORE_END = Clock(lambda: dt.datetime(2026, 12, 20, 9, 0, tzinfo=dt.timezone.utc))  # the quarter ends 25.12.2026
AFTER_END = Clock(lambda: NOW)  # 10.01.2027
TOP_MARGIN = 15 / 25.4 * 72  # pt
PLACE = register.Placement("каб. 5", "шкаф 2", "папка 2026/2027")


def close(archive, clock: Clock) -> list[dict]:
    """Close the builder's quarter by `clock`, as the deputy; the class's copies, oldest first."""
    made = ClosePeriod(archive.uow(), InProcessRunner(archive), YEAR, [PERIOD], actor=DEPUTY, clock=clock).run()
    assert made.failed == 0, made.errors
    return documents.list_documents(archive.uow(), YEAR, [PERIOD])


def pages_of(archive, row: dict, tmp_path) -> PdfPages:
    path = tmp_path / f"{row['document_id']}.pdf"
    path.write_bytes(archive.store.read(row["sha256"]))
    return PdfPages(path)


def signer(archive):
    return archive.pades_signer(load_pkcs12(archive.demo_pki.signer_p12, b"pin"))


@pytest.fixture
def stored(archive):
    ingest_snapshot(archive.uow(), as_bytes(snapshot()), actor=Actor("test", "deputy"), now=NOW)
    create_demo_pki(archive.demo_pki.directory, owner="Сергеева Ольга Викторовна", organisation="МБОУ СОШ № 21",
                    password=b"pin", now=dt.datetime.now(dt.timezone.utc))
    return archive


def test_a_close_before_the_end_makes_a_draft_marked_on_every_page(stored, tmp_path):
    (draft,) = close(stored, BEFORE_END)
    assert draft["draft"] is True
    pages = pages_of(stored, draft, tmp_path)
    assert len(pages) > 4
    unmarked = [i + 1 for i, text in enumerate(pages.texts) if DRAFT_MARK not in text]
    assert unmarked == [], f"pages without the mark: {unmarked}"
    # the mark stands in the 15 mm top margin, and no other word touches it
    for number, words in enumerate(pages.words, 1):
        start = next(i for i, w in enumerate(words) if w.text == "ЧЕРНОВИК" and w.y1 < TOP_MARGIN)
        line = words[start:start + len(DRAFT_MARK.split())]
        assert [w.text for w in line] == DRAFT_MARK.split() and all(w.y1 < TOP_MARGIN for w in line), (number, line)
        left, right, top, bottom = line[0].x0, line[-1].x1, min(w.y0 for w in line), max(w.y1 for w in line)
        others = [w for w in words if w not in line and w.x0 < right and w.x1 > left and w.y0 < bottom and w.y1 > top]
        assert others == [], (number, others)
    assert "Период заканчивается 25.12.2026" in pages.texts[0]  # the title sheet says why


def test_a_draft_is_refused_for_signing_and_the_register_in_russian(stored):
    (draft,) = close(stored, BEFORE_END)
    with pytest.raises(DraftRefused, match="черновик, изготовлена до окончания периода") as refused:
        sign_documents(stored.uow(), stored.store, signer(stored), YEAR, [PERIOD], actor=DIRECTOR, now=stored.now)
    assert refused.value.as_dict()["code"] == "draft_document" and refused.value.http_status == 409
    with pytest.raises(DraftRefused, match="черновик"):
        SignDocuments(stored.uow(), stored.store, {YEAR: [PERIOD]}, actor=DIRECTOR, now=stored.now).validate()
    with pytest.raises(DraftRefused, match="^Внести в реестр нельзя: копия 5А, II четверть 2026/2027 — черновик"):
        register.register_document(stored.uow(), draft["document_id"], handed_over_by="Иванова", accepted_by="Петрова",
                                   placement=PLACE, on=NOW.date(), paper_only=True, actor=SECRETARY, now=NOW)
    assert register.list_register(stored.uow()) == []


def test_the_command_line_refuses_a_draft_with_the_reason(stored, runner):
    (draft,) = close(stored, BEFORE_END)
    signed = runner.invoke(args=["--as", "director", "sign", "--year", YEAR, "--period", PERIOD,
                                 "--pkcs12", str(stored.demo_pki.signer_p12)], env={"ARCHIVE_SIGN_PIN": "pin"})
    assert signed.exit_code == 1 and "черновик" in signed.output, signed.output
    added = runner.invoke(args=["--as", "secretary",
                                "register", "add", draft["document_id"], "--handed-over-by", "Иванова",
                                "--accepted-by", "Петрова", "--room", "5", "--cabinet", "2", "--folder", "1",
                                "--paper-only"])
    assert added.exit_code == 1 and "Внести в реестр нельзя" in added.output and "черновик" in added.output


def test_the_close_after_the_end_makes_the_final_copy_which_is_signed_and_registered(stored, tmp_path):
    (draft,) = close(stored, BEFORE_END)
    final = [r for r in close(stored, AFTER_END) if not r["draft"]]
    assert len(final) == 1 and final[0]["document_id"] != draft["document_id"]
    pages = pages_of(stored, final[0], tmp_path)
    assert not any("ЧЕРНОВИК" in text for text in pages.texts)
    assert len(pages) == len(pages_of(stored, draft, tmp_path)), "the mark changes no page break"
    (outcome,) = sign_documents(stored.uow(), stored.store, signer(stored), YEAR, [PERIOD], actor=DIRECTOR,
                                now=AFTER_END.now)
    assert outcome.ok and outcome.document_id == final[0]["document_id"], "the draft is not signed"
    row = register.register_document(stored.uow(), final[0]["document_id"], handed_over_by="Иванова",
                                     accepted_by="Петрова", placement=PLACE, on=NOW.date(), paper_only=False,
                                     actor=SECRETARY, now=NOW)
    assert row.number == 1
    kept = {r["document_id"]: r for r in documents.list_documents(stored.uow(), YEAR, [PERIOD])}
    assert kept[draft["document_id"]]["draft"] and kept[draft["document_id"]]["signature"] is None  # history
    files = payload(stored.uow(), stored.store, YEAR, [PERIOD])
    listed = [name for name in files if name.startswith("documents/")]
    assert listed == ["documents/5А_2_четверть_журнал.pdf"] and files[listed[0]] == stored.store.read(
        kept[final[0]["document_id"]]["signature"]["sha256"]), "the backup holds the signed final copy, no draft"
    assert draft["document_id"] not in files["documents.json"].decode()


def test_signing_or_registering_before_the_snapshot_was_exported_is_refused(stored):
    # the quarter ended on 25.12.2026; its snapshot was exported on 26.12.2026 at 18:30 (+07), 14:30 in Moscow
    morning = Clock(lambda: dt.datetime(2026, 12, 26, 8, 0, tzinfo=dt.timezone.utc))  # 11:00 in Moscow
    (final,) = close(stored, morning)
    assert final["draft"] is False, "the period has ended: the copy is final"
    with pytest.raises(TooEarly, match="Подписать нельзя раньше выгрузки снимка журнала: .* выгружен 26.12.2026 "
                                       "14:30, сейчас 26.12.2026 11:00") as refused:
        sign_documents(stored.uow(), stored.store, signer(stored), YEAR, [PERIOD], actor=DIRECTOR, now=morning.now)
    assert refused.value.as_dict()["code"] == "too_early"
    with pytest.raises(TooEarly, match="Внести в реестр нельзя раньше выгрузки"):
        register.register_document(stored.uow(), final["document_id"], handed_over_by="Иванова", accepted_by="Петрова",
                                   placement=PLACE, on=morning.today(), paper_only=True, actor=SECRETARY,
                                   now=morning.now())
    with pytest.raises(TooEarly, match="Внести в реестр нельзя датой 25.12.2026"):  # a date typed before the end
        register.register_document(stored.uow(), final["document_id"], handed_over_by="Иванова", accepted_by="Петрова",
                                   placement=PLACE, on=dt.date(2026, 12, 25), paper_only=True, actor=SECRETARY,
                                   now=NOW)
    with stored.uow() as uow:
        assert not [e for e in uow.audit.entries() if e.action in ("document.signed", "register.added")]


def test_the_pages_mark_a_draft_offer_it_to_nobody_and_the_register_form_refuses_it(stored, login_as):
    (draft,) = close(stored, BEFORE_END)
    copies = html.unescape(login_as("deputy").get("/period/2026-2027/Q2/documents").get_data(as_text=True))
    assert "черновик — период не завершён" in copies
    assert draft["document_id"] not in login_as("director").get("/director/sign").get_data(as_text=True)
    client = login_as("secretary")
    page = client.get("/register").get_data(as_text=True)
    assert draft["document_id"] not in page
    sent = client.post("/register", data={"document_id": draft["document_id"], "handed_over_by": "Иванова Т. П.",
                                          "accepted_by": "Петрова А. С.", "room": "5", "cabinet": "2",
                                          "folder": "1", "on": "2027-01-10", "paper_only": "1",
                                          "csrf_token": csrf_token(client, "/register")})
    text = html.unescape(sent.get_data(as_text=True))
    assert sent.status_code == 422 and "Документ не зарегистрирован: Внести в реестр нельзя" in text
    assert "черновик" in text
    assert register.list_register(stored.uow()) == []


def test_the_directors_signing_route_answers_a_json_refusal_before_the_export(db_url, tmp_path):
    """The browser route's JSON: a final copy whose snapshot the journal system exports only after
    the app's clock (10.01.2027) is refused with the structured error, nothing prepared."""
    settings, pki = gost_archive(tmp_path / "home", db_url)
    app = make_app(settings)
    archive = app.extensions["archive"]
    try:
        make_staff(archive, NOW)
        data = snapshot()
        data["source"] = {**data["source"], "exported_at": "2027-01-20T10:00:00+03:00"}
        stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
        documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                  "class_journal", archive.render_options, actor=DEPUTY, now=NOW)
        token = director_token(pki, tmp_path / "token")
        client = client_factory(app)("director")
        answer = client.post("/director/sign/browser/prepare", headers={
            "Accept": "application/json", "X-CSRFToken": csrf_token(client, "/director/sign")}, json={
            "periods": [f"{YEAR}|{PERIOD}"],
            "certificate": base64.b64encode(director_certificate(token).der).decode()})
        assert answer.status_code == 409, answer.get_data(as_text=True)
        error = answer.json["error"]
        assert error["code"] == "too_early"
        assert error["message"].startswith("Подписать нельзя раньше выгрузки снимка журнала: 5А, II четверть "
                                           "2026/2027 — снимок выгружен 20.01.2027 10:00")
        with archive.uow() as uow:
            actions = [e.action for e in uow.audit.entries()]
        assert "web.sign_refused" in actions and "document.signature_prepared" not in actions
    finally:
        archive.engine.dispose()


def test_the_directors_signing_page_refuses_before_the_export_without_opening_a_key(archive, login_as):
    data = snapshot()
    data["source"] = {**data["source"], "exported_at": "2027-01-20T10:00:00+03:00"}  # after the app's clock
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id, "class_journal",
                              archive.render_options, actor=DEPUTY, now=NOW)
    client = login_as("director")
    sent = client.post("/director/sign", data={"period": f"{YEAR}|{PERIOD}", "method": "file",
                                               "csrf_token": csrf_token(client, "/director/sign")})
    assert sent.status_code == 302 and "/director/jobs/" not in sent.headers["Location"]
    page = html.unescape(client.get(sent.headers["Location"]).get_data(as_text=True))
    assert "Ничего не подписано: Подписать нельзя раньше выгрузки снимка журнала" in page
    with archive.uow() as uow:
        assert [e.details["reason"][:40] for e in uow.audit.entries() if e.action == "web.sign_refused"] == [
            "Подписать нельзя раньше выгрузки снимка "]
