"""The monthly control on a stored snapshot that breaks each rule once: the service, the command
line (text, JSON and the PDF справка), and the deputy head's page."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from archive_service.services import journal_control
from browser_support import technical_text
from builders import as_bytes, snapshot
from control_support import BROKEN, broken_once
from pdf_reading import pdf_text
from web_support import csrf_token, wait_for_job

ALL_CLEAR = {code: 0 for code in BROKEN}


def stored(runner, tmp_path, *datasets: dict) -> None:
    for i, data in enumerate(datasets):
        path = tmp_path / f"s{i}.json"
        path.write_bytes(as_bytes(data))
        assert runner.invoke(args=["--as", "deputy", "snapshot", "import", str(path)]).exit_code == 0


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style).*?</\1>", " ", html, flags=re.S)).split())


def other_class() -> dict:
    data = snapshot()
    data["class"] = {**data["class"], "id": "c-6b", "name": "6Б", "grade": 6}
    return data


def test_the_service_counts_each_rule_once_by_the_production_calendar(archive, runner, tmp_path):
    stored(runner, tmp_path, broken_once(), other_class())
    report = journal_control.control_report(archive.uow(), "2026-12", "5А", thresholds=archive.thresholds)
    assert report.counts == BROKEN and {c.class_name for c in report.checked} == {"5А"}
    both = journal_control.control_report(archive.uow(), "2026-12", thresholds=archive.thresholds)
    assert [name for name, _ in both.by("class_name")] == ["5А", "6Б"]


def test_the_command_line_prints_json_text_and_the_certificate(runner, tmp_path):
    stored(runner, tmp_path, broken_once())
    out = runner.invoke(args=["control", "report", "--month", "2026-12", "--class", "5А", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["counts"] == BROKEN and data["by_class"] == [{"class": "5А", "counts": BROKEN}]
    assert data["month"] == "2026-12" and data["backdated_days"] == 14
    assert {f["code"] for f in data["findings"]} == set(BROKEN)
    pdf = tmp_path / "справка.pdf"
    text = runner.invoke(args=["control", "report", "--month", "2026-12", "--out", str(pdf)])
    assert text.exit_code == 0 and "Итого: нет ни одной отметки — 1" in text.output
    words = pdf_text(pdf.read_bytes())
    assert "СПРАВКА о проверке ведения электронного журнала за декабрь 2026 г." in words
    assert "Проверены журналы классов: 5А. Замечаний всего: 8." in words
    for line in ("Алексеев Иван Петрович: нет ни одной отметки за месяц при норме 3",
                 "через 9 дн. после урока (срок проверки письменной работы — 7 дн.)",
                 "через 18 дн. после урока (задним числом: больше 14 дн.)", "не записана тема урока",
                 "Заместитель директора по УВР", "Со справкой ознакомлены"):
        assert line in words, line
    assert technical_text(words) == []


def test_the_command_line_refuses_a_bad_or_empty_month_in_russian(runner):
    bad = runner.invoke(args=["control", "report", "--month", "декабрь"])
    assert bad.exit_code == 1 and "например 2026-12" in bad.output
    empty = runner.invoke(args=["control", "report", "--month", "2027-03"])
    assert empty.exit_code == 1 and "нет сохранённых снимков журнала за март 2027 г." in empty.output


def test_the_page_shows_the_report_in_russian_and_gives_the_certificate(runner, tmp_path, login_as):
    stored(runner, tmp_path, broken_once())
    deputy = login_as("deputy")
    page = deputy.get("/control?month=2026-12")
    assert page.status_code == 200
    text = visible(page.get_data(as_text=True))
    assert "Контроль ведения электронного журнала" in text and "Проверены классы: 5А" in text
    for title in ("нет ни одной отметки", "урок без темы", "отметка выставлена задним числом",
                  "не указана причина пропуска", "Николаева Елена Павловна"):
        assert title in text, title
    assert "Васильев Олег Ильич: отметок меньше нормы за месяц (2 при норме 5)" in text
    assert technical_text(text) == [], technical_text(text)
    assert login_as("director").get("/control?month=2026-12").status_code == 200


def _start(client, month: str, class_name: str | None = None):
    data = {"month": month, "csrf_token": csrf_token(client, "/control"),
            **({"class": class_name} if class_name else {})}
    return client.post("/control/report.pdf", data=data)


def test_the_certificate_is_a_job_whose_file_is_given_out_with_the_persons_name(archive, runner, tmp_path, login_as):
    stored(runner, tmp_path, broken_once())
    deputy = login_as("deputy")
    assert 'action="/control/report.pdf"' in deputy.get("/control?month=2026-12&class=5А").get_data(as_text=True)
    started = _start(deputy, "2026-12", "5А")
    assert started.status_code == 302 and "/control/printouts/" in started.headers["Location"]
    job_id = started.headers["Location"].rsplit("/", 1)[1]
    state = wait_for_job(deputy, job_id)
    assert state["status"] == "done" and state["percent"] == 100
    assert state["result"]["findings"] == sum(BROKEN.values()) and state["result"]["classes"] == 1
    page = visible(deputy.get(f"/control/printouts/{job_id}").get_data(as_text=True))
    assert "Справка о проверке журнала за декабрь 2026 г., класс 5А" in page and "Скачать справку" in page
    assert f"страниц {state['result']['pages']}" in page and technical_text(page) == []
    pdf = deputy.get(f"/control/printouts/{job_id}/file.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert quote("Справка_о_проверке_ЭЖ_2026-12_5А.pdf") in pdf.headers["Content-Disposition"]
    assert "Иванова Т. П." in pdf_text(pdf.data) or "Т. П. Иванова" in pdf_text(pdf.data)
    with archive.uow() as uow:
        event = uow.audit.entries()[-1]
        assert (event.action, event.object_type, event.object_id) == ("web.control_certificate_downloaded",
                                                                      "control", "2026-12 5А")
        assert event.actor == state["created_by"] and event.details["printed_by"] == state["created_by"]
        assert event.details["findings"] == sum(BROKEN.values())


def test_a_certificate_of_a_month_with_nothing_stored_fails_in_russian_and_a_bad_month_is_refused(login_as):
    deputy = login_as("deputy")
    job_id = _start(deputy, "2027-03").headers["Location"].rsplit("/", 1)[1]
    assert wait_for_job(deputy, job_id)["status"] == "failed"
    page = visible(deputy.get(f"/control/printouts/{job_id}").get_data(as_text=True))
    assert "Справка не подготовлена: нет сохранённых снимков журнала за март 2027 г." in page
    assert deputy.get(f"/control/printouts/{job_id}/file.pdf").status_code == 302  # no file: back to the job's page
    refused = _start(deputy, "март")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/control")
    assert deputy.get("/control/report.pdf").status_code == 405  # a GET starts nothing


def test_the_page_of_a_month_with_nothing_stored_says_so(login_as):
    deputy = login_as("deputy")
    text = visible(deputy.get("/control?month=2027-03").get_data(as_text=True))
    assert "Нет сохранённых снимков журнала за март 2027 г." in text and technical_text(text) == []
    assert "например 2026-12" in visible(deputy.get("/control?month=abc").get_data(as_text=True))
