"""The secretary's pages: register, issue and return, printouts, retention, disposal, certificates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from archive_service.domain.actor import Actor
from archive_service.services import certificates, disposal, documents, register
from archive_service.services.ingest import ingest_snapshot
from builders import as_bytes, snapshot
from conftest import NOW
from web_support import csrf_token

CLERK = Actor("secretary", "secretary")

ON = "2027-01-15"
DUE = dt.date(2033, 1, 1)  # a 2026/2027 class journal copy, kept 5 years
PLACE = register.Placement("кабинет 5 (архив)", "шкаф 2", "папка «2026/2027»")


def render(archive, data: dict, kind: str = "class_journal") -> str:
    stored = ingest_snapshot(archive.uow(), as_bytes(data), actor=Actor("test", "deputy"), now=NOW)
    return documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id, kind,
                                     archive.render_options, actor=Actor("deputy", "deputy"), now=NOW).document_id


def of_class(letter: str) -> dict:
    data = snapshot()
    data["class"] = {**data["class"], "id": f"c-5{letter}", "name": f"5{letter}"}
    return data


@pytest.fixture
def rendered(archive):
    """Class journal copies of 5А, 5Б, 5В (2026/2027, II quarter), rendered, not signed."""
    return [render(archive, of_class(letter)) for letter in "АБВ"]


@pytest.fixture
def registered(archive, rendered):
    """The three copies in the register as 1/2027, 2/2027, 3/2027."""
    for doc in rendered:
        register.register_document(archive.uow(), doc, handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                                   placement=PLACE, on=dt.date(2027, 1, 15), paper_only=True, actor=CLERK,
                                   now=NOW)
    return rendered


def post(client, path: str, data: dict, page: str = "/register"):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def text_of(response) -> str:
    return response.get_data(as_text=True)


def register_numbers(page: str) -> list[str]:
    return re.findall(r"<td class=\"n nowrap\">(?:<a [^>]*>)?<b>(\d+/\d{4})</b>", page)


def actions(archive) -> list[str]:
    with archive.uow() as uow:
        return [e.action for e in uow.audit.entries()]


def form(document_id: str, **extra) -> dict:
    return {"document_id": document_id, "handed_over_by": "Иванова Т. П.", "accepted_by": "Петрова А. С.",
            "room": "кабинет 5", "cabinet": "шкаф 2", "folder": "папка 1", "on": ON, **extra}


def test_a_document_is_registered_through_the_page_and_gets_its_number(archive, login_as, rendered):
    client = login_as("secretary")
    page = text_of(client.get("/register"))
    assert "ждут регистрации: 3" in page and page.count("— не подписан</option>") == 3
    refused = post(client, "/register", form(rendered[0]))
    assert refused.status_code == 422 and "ещё не подписан директором" in text_of(refused)
    assert 'name="room" required value="кабинет 5"' in text_of(refused)  # what was typed stays in the form
    assert register.list_register(archive.uow()) == []
    added = post(client, "/register", form(rendered[0], paper_only="1"))
    page = text_of(client.get(added.headers["Location"]))
    assert "Зарегистрирован № 1/2027" in page and register_numbers(page) == ["1/2027"]
    assert "2026/2027, II четверть" in page and "ждут регистрации: 2" in page
    (row,) = register.list_register(archive.uow())
    assert (row.document_id, row.accepted_by, row.room) == (rendered[0], "Петрова А. С.", "кабинет 5")
    assert {"register.added", "web.register_added"} <= set(actions(archive))


def test_the_register_is_searched_and_filtered(archive, login_as, registered):
    client = login_as("secretary")
    register.move_file(archive.uow(), 2027, 2, "issued", person="Орлов О. О., инспектор", purpose="проверка",
                       on=dt.date(2027, 2, 1), return_by=dt.date(2027, 2, 15), actor=CLERK, now=NOW)
    assert register_numbers(text_of(client.get("/register"))) == ["1/2027", "2/2027", "3/2027"]
    assert register_numbers(text_of(client.get("/register?q=5в"))) == ["3/2027"]
    assert register_numbers(text_of(client.get("/register?q=журнал+5Б"))) == ["2/2027"]
    assert register_numbers(text_of(client.get("/register?q=3"))) == ["3/2027"]  # a bare number: the entry's
    assert register_numbers(text_of(client.get("/register?q=№2/2027"))) == ["2/2027"]
    issued = text_of(client.get("/register?status=issued"))
    assert register_numbers(issued) == ["2/2027"] and "Орлов О. О., инспектор" in issued
    assert register_numbers(text_of(client.get("/register?year=2027&kind=class_journal"))) == \
        ["1/2027", "2/2027", "3/2027"]
    nothing = text_of(client.get("/register?kind=summary_sheet"))
    assert register_numbers(nothing) == [] and "Ничего не найдено" in nothing


def test_a_paper_file_is_issued_and_returned_through_the_page(archive, login_as, registered):
    client = login_as("secretary")
    issue = {"action": "issued", "person": "Орлов О. О., инспектор", "purpose": "проверка", "on": "2027-02-01",
             "return_by": "2027-02-15"}
    post(client, "/register/2027/1/move", {**issue, "q": "5А"})
    assert register.list_register(archive.uow(), 2027)[0].status == "issued"
    page = text_of(client.get("/register?q=5А"))
    assert "Дело № 1/2027 выдано до 15.02.2027. Кому: Орлов О. О., инспектор; цель: проверка." in page
    assert "Принять обратно" in page
    post(client, "/register/2027/1/move", issue)
    assert "дело № 1/2027 сейчас выдано: выдать нельзя" in text_of(client.get("/register"))
    post(client, "/register/2027/1/move", {"action": "returned", "person": "Орлов О. О.", "on": "2027-02-10"})
    assert register.list_register(archive.uow(), 2027)[0].status == "in_archive"
    assert "Дело № 1/2027 возвращено в архив (Орлов О. О.)" in text_of(client.get("/register"))
    assert [a for a in actions(archive) if a.startswith("register.")][-3:] == \
        ["register.added", "register.issued", "register.returned"]
    with archive.uow() as uow:
        (issued,) = [e for e in uow.audit.entries() if e.action == "web.register_issued"]
        assert (issued.object_id, issued.origin) == ("1/2027", "web 127.0.0.1")


@pytest.mark.parametrize(("what", "fmt", "content_type", "magic"), [
    ("register", "csv", "text/csv; charset=utf-8", "\ufeff".encode()),
    ("register", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
    ("inventory", "csv", "text/csv; charset=utf-8", "\ufeff".encode()),
    ("inventory", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
])
def test_printouts_download_with_their_content_types_and_are_audited(archive, login_as, registered, what, fmt,
                                                                      content_type, magic):
    response = login_as("secretary").get(f"/register/print/{what}.{fmt}?year=2027")
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type
    assert response.data.startswith(magic) and "attachment" in response.headers["Content-Disposition"]
    with archive.uow() as uow:
        event = uow.audit.entries()[-1]
        assert (event.action, event.object_id, event.details["format"]) == (f"web.{what}_downloaded", "2027", fmt)
        assert event.actor == "Петрова Анна Сергеевна" and event.origin.startswith("web ")


INJECTED = {"handed_over_by": '=HYPERLINK("http://evil.example/","Открыть")', "accepted_by": "+7+7",
            "room": "-2+3", "cabinet": "@SUM(1+1)", "folder": '=cmd|" /C calc"!A0', "case_index": "=1+1"}


def _read_csv(data: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _read_xlsx(data: bytes) -> list:
    import io

    from openpyxl import load_workbook

    return [cell for row in load_workbook(io.BytesIO(data)).active.iter_rows() for cell in row]


@pytest.mark.parametrize("what", ["register", "inventory"])
def test_typed_text_starting_like_a_formula_stays_text_in_csv_and_xlsx(archive, login_as, rendered, what):
    register.set_rule(archive.uow(), "class_journal", case_index=INJECTED["case_index"], actor=CLERK, now=NOW)
    register.register_document(
        archive.uow(), rendered[0], handed_over_by=INJECTED["handed_over_by"], accepted_by=INJECTED["accepted_by"],
        placement=register.Placement(INJECTED["room"], INJECTED["cabinet"], INJECTED["folder"]),
        on=dt.date(2027, 1, 15), paper_only=True, actor=CLERK, now=NOW)
    client = login_as("secretary")
    shown = {k: v for k, v in INJECTED.items()
             if what == "register" or k == "case_index"}  # the inventory has no people or places

    csv_cells = [cell for row in _read_csv(client.get(f"/register/print/{what}.csv").data) for cell in row]
    assert not [c for c in csv_cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert all(f"'{typed}" in csv_cells for typed in shown.values())

    xlsx_cells = _read_xlsx(client.get(f"/register/print/{what}.xlsx").data)
    assert [c.coordinate for c in xlsx_cells if c.data_type == "f"] == []
    as_text = {c.value for c in xlsx_cells if c.data_type == "s"}
    assert set(shown.values()) <= as_text  # as typed, but a text cell


def test_the_director_reads_the_register_but_gets_no_forms(login_as, registered):
    page = text_of(login_as("director").get("/register"))
    assert register_numbers(page) == ["1/2027", "2/2027", "3/2027"]
    assert "Внести документ" not in page and "Выдать" not in page
    assert login_as("director").get("/register/print/register.csv").status_code == 200


def test_the_retention_dashboard_shows_a_due_file_and_a_hold(archive, login_as, registered):
    client = login_as("secretary")
    assert "На 31.12.2032 нет дел с истёкшим сроком" in text_of(client.get("/retention?on=2032-12-31"))
    post(client, "/retention/holds", {"number": "2/2027", "reason": "проверка Рособрнадзора", "on": "2033-01-01"},
         "/retention")
    page = text_of(client.get("/retention?on=2033-01-01"))
    assert "На дело № 2/2027 установлен запрет уничтожения" in page
    assert register_numbers(page)[:3] == ["1/2027", "2/2027", "3/2027"]  # the due list
    assert "проверка Рособрнадзора" in page and "Снять запрет" in page
    assert [r.hold for r in register.retention_due(archive.uow(), DUE)] == [None, "проверка Рособрнадзора", None]
    post(client, "/retention/holds/2027/2/release", {"on": "2033-01-01"}, "/retention")
    assert "Запрет уничтожения дела № 2/2027 снят" in text_of(client.get("/retention"))
    assert all(r.hold is None for r in register.retention_due(archive.uow(), DUE))
    post(client, "/retention/holds", {"number": "12-2027", "reason": "спор"}, "/retention")
    assert "номер/год, например 12/2027" in text_of(client.get("/retention"))


def test_the_schedule_is_edited_on_the_retention_page(archive, login_as):
    client = login_as("secretary")
    assert "Сводная ведомость итоговых отметок" in text_of(client.get("/retention"))
    post(client, "/retention/rules/class_journal", {"years": "6", "case_index": "02-15", "basis": "ст. 123"},
         "/retention")
    rule = register.rules(archive.uow())["class_journal"]
    assert (rule.years, rule.case_index, rule.basis) == (6, "02-15", "ст. 123")
    post(client, "/retention/rules/class_journal", {"years": "0", "basis": "ст. 123"}, "/retention")
    assert "не меньше года" in text_of(client.get("/retention"))
    assert register.rules(archive.uow())["class_journal"].years == 6


def test_an_act_is_composed_approved_and_executed_through_the_page(archive, login_as, registered, monkeypatch):
    client = login_as("secretary")
    dry = text_of(client.get("/disposal?on=2033-01-01"))
    assert "Можно уничтожить: <b>3</b>" in dry and register_numbers(dry) == ["1/2027", "2/2027", "3/2027"]
    post(client, "/disposal/acts", {}, "/disposal")  # today is 2027: nothing is due yet
    assert "Акт не составлен" in text_of(client.get("/disposal"))
    monkeypatch.setattr(archive, "now", lambda: dt.datetime(2033, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    post(client, "/disposal/acts", {}, "/disposal")
    page = text_of(client.get("/disposal"))
    assert "Составлен акт № 1/2033, дел в нём: 3" in page and "ждёт утверждения директором" in page
    refused = post(client, "/disposal/acts/2033/1/execute", {}, "/disposal")
    assert refused.status_code == 302 and "ещё не утверждён" in text_of(client.get("/disposal"))
    disposal.approve_act(archive.uow(), archive.store, archive.settings.templates_dir, "1/2033", clock=archive.clock,
                         actor=Actor("Смирнов В. В.", "director"))
    register.place_hold(archive.uow(), 2027, 3, reason="спор о годовой отметке", on=DUE, actor=CLERK, now=NOW)
    post(client, "/disposal/acts/2033/1/execute", {}, "/disposal")
    page = text_of(client.get("/disposal"))
    assert "исполнен не полностью: уничтожено дел 2 из 3" in page
    assert "Дело № 3/2027 не уничтожено: запрет уничтожения: спор о годовой отметке" in page
    register.release_hold(archive.uow(), 2027, 3, on=DUE, actor=CLERK, now=NOW)
    post(client, "/disposal/acts/2033/1/execute", {}, "/disposal")
    page = text_of(client.get("/disposal"))
    assert "Акт № 1/2033 исполнен: уничтожено дел 3 из 3" in page
    assert [r.status for r in register.list_register(archive.uow())] == ["destroyed"] * 3
    pdf = client.get("/disposal/acts/2033/1.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert actions(archive)[-1] == "web.disposal_act_downloaded"
    assert {"web.disposal_act_composed", "web.disposal_act_executed"} <= set(actions(archive))


def test_the_disposal_pages_compose_and_execute_only_as_of_the_real_today(archive, login_as, registered,
                                                                        monkeypatch):
    client = login_as("secretary")
    monkeypatch.setattr(archive, "now", lambda: NOW)
    # a date in the form is no date for destruction: on 2027-01-10 nothing is due
    post(client, "/disposal/acts", {"on": "2033-01-01", "today": "2033-01-01"}, "/disposal")
    assert "Акт не составлен: на 10.01.2027 нет документов" in text_of(client.get("/disposal"))
    assert disposal.list_acts(archive.uow()) == []
    monkeypatch.setattr(archive, "now", lambda: dt.datetime(2033, 1, 10, 9, 0, tzinfo=dt.timezone.utc))
    post(client, "/disposal/acts", {}, "/disposal")
    disposal.approve_act(archive.uow(), archive.store, archive.settings.templates_dir, "1/2033", clock=archive.clock,
                         actor=Actor("Смирнов В. В.", "director"))
    # the machine's clock stands before the retention end: the form's date does not carry the execution
    monkeypatch.setattr(archive, "now", lambda: dt.datetime(2032, 12, 30, 9, 0, tzinfo=dt.timezone.utc))
    post(client, "/disposal/acts/2033/1/execute", {"on": "2033-01-10", "today": "2033-01-10"}, "/disposal")
    page = text_of(client.get("/disposal"))
    assert "Дело № 1/2027 не уничтожено: срок хранения не истёк: хранится до 01.01.2033" in page
    assert [r.status for r in register.list_register(archive.uow())] == ["in_archive"] * 3
    assert all(archive.store.exists(d["sha256"]) for d in documents.list_documents(archive.uow()))


def year_snapshot() -> dict:
    """5А's year snapshot: year marks for each subject, the summary sheet a certificate quotes."""
    data = snapshot(period={"kind": "year", "number": 1, "start": "2026-09-01", "end": "2027-05-26"})
    for subject in data["subjects"]:
        subject["period_marks"] = [{**m, "period": "year"} for m in subject["period_marks"]]
    return data


def test_a_certificate_is_issued_through_the_page_and_downloaded(archive, login_as, monkeypatch):
    render(archive, year_snapshot(), "summary_sheet")
    monkeypatch.setattr(archive, "now", lambda: dt.datetime(2030, 9, 15, 9, 0, tzinfo=dt.timezone.utc))
    client = login_as("secretary")
    missing = text_of(client.get("/certificates?name=Алексеев+Иван+Петрович&born=2015-03-15"))
    assert "в сводных ведомостях архива никто не найден" in missing
    found = text_of(client.get("/certificates?name=алексеев+иван+петрович&born=14.03.2015"))
    assert "<b>Алексеев Иван Петрович</b>" in found and "14.03.2015" in found and "5А — 2026/2027" in found
    issued = post(client, "/certificates", {"person": "2015-03-14 Алексеев Иван Петрович",
                                            "requested_by": "Алексеев И. П.", "purpose": "по месту требования"},
                  "/certificates")
    page = text_of(client.get(issued.headers["Location"]))
    assert "Выдана архивная справка № 1/2030: Алексеев Иван Петрович" in page
    (row,) = certificates.list_certificates(archive.uow())
    assert (row.reference, row.issued_by, row.issued_on) == ("1/2030", "Петрова Анна Сергеевна",
                                                                       "2030-09-15")
    pdf = client.get("/certificates/2030/1.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data == certificates.certificate_file(archive.uow(), archive.store, 2030, 1)[1]
    assert actions(archive)[-3:] == ["certificate.issued", "web.certificate_issued", "web.certificate_downloaded"]


@pytest.mark.parametrize("role", ["deputy", "director", "inspector", "admin"])
def test_other_roles_may_not_act_in_the_archive(archive, login_as, role):
    client = login_as(role)
    token = csrf_token(client, "/account")
    for path in ("/register", "/register/2027/1/move", "/retention/rules/class_journal", "/retention/holds",
                 "/retention/holds/2027/1/release", "/disposal/acts", "/disposal/acts/2033/1/execute",
                 "/certificates"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    for path in ("/retention", "/disposal", "/certificates", "/certificates/2030/1.pdf", "/disposal/acts/2033/1.pdf"):
        assert client.get(path).status_code == 403, path
    assert client.get("/register").status_code == (200 if role == "director" else 403)
    areas = ("register.", "retention.", "disposal.", "certificate", "web.")
    assert not [a for a in actions(archive) if a.startswith(areas)]
