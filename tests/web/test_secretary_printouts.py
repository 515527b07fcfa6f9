"""The register's and the inventory's PDF made as a job: stages told, the file offered, its download audited."""

from __future__ import annotations


import pytest

from archive_service.services import jobs as job_rows
from test_secretary import registered, rendered  # noqa: F401 - the fixtures: three copies in the register
from web_support import csrf_token, wait_for_job


@pytest.fixture
def steps(monkeypatch):
    """Every progress update a job writes, in order: (status, done, total, message)."""
    heard: list[tuple] = []
    write = job_rows.progress

    def spy(uow, job_id, **changes):
        heard.append((changes.get("status"), changes.get("done"), changes.get("total"), changes.get("message")))
        write(uow, job_id, **changes)

    monkeypatch.setattr(job_rows, "progress", spy)
    return heard


def _start(client, what: str, year: str = "2027") -> str:
    response = client.post(f"/register/print/{what}.pdf",
                           data={"year": year, "csrf_token": csrf_token(client, "/register")})
    assert response.status_code == 302 and "/register/printouts/" in response.headers["Location"]
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize(("what", "first", "name"), [("register", "Собираем записи реестра", "реестр-2027.pdf"),
                                                     ("inventory", "Собираем записи описи", "опись-2027.pdf")])
def test_the_pdf_is_a_job_with_its_stages_and_the_file_is_given_out_with_the_persons_name(
        archive, login_as, registered, steps, what, first, name):  # noqa: F811
    client = login_as("secretary")
    job_id = _start(client, what)
    assert job_rows.get(archive.uow(), job_id, now=archive.now())["status"] in ("queued", "running", "done")
    state = wait_for_job(client, job_id)
    assert state["status"] == "done" and state["percent"] == 100 and state["created_by"] == "Петрова Анна Сергеевна"
    messages = [m for *_, m in steps if m]
    assert messages[:2] == ["начато", first]
    assert messages[2] == "Вёрстка: записей 3" + (", присваиваем описи номер" if what == "inventory" else "")
    assert messages[3].startswith("Записываем PDF: страниц ") and messages[-1] == "готово"
    assert [d for s, d, *_ in steps if d is not None] == [0, 1, 2, 3]  # the stages, in order, nothing skipped
    page = client.get(f"/register/printouts/{job_id}").get_data(as_text=True)
    assert f"Скачать {name}" in page and f"страниц {state['result']['pages']}" in page
    response = client.get(f"/register/printouts/{job_id}/file.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    with archive.uow() as uow:
        event = uow.audit.entries()[-1]
        assert (event.action, event.object_id, event.details["format"]) == (f"web.{what}_downloaded", "2027", "pdf")
        assert event.actor == "Петрова Анна Сергеевна" and event.details["printed_by"] == "Петрова Анна Сергеевна"


def test_the_inventory_printed_again_keeps_its_number(login_as, registered):  # noqa: F811
    client = login_as("secretary")
    numbers = [wait_for_job(client, _start(client, "inventory"))["result"]["number"] for _ in range(2)]
    assert numbers[0] == numbers[1] and numbers[0].endswith("/2027")


def test_the_director_takes_the_register_pdf_and_the_page_does_not_start_it_on_a_get(login_as, registered):  # noqa: F811
    client = login_as("director")
    assert client.get("/register/print/register.pdf").status_code == 302  # a GET starts nothing
    job_id = _start(client, "register")
    assert wait_for_job(client, job_id)["status"] == "done"
    assert client.get(f"/register/printouts/{job_id}/file.pdf").data.startswith(b"%PDF")


def test_another_kind_of_job_is_not_a_printout(app, login_as):
    from archive_service.domain.actor import Actor
    from archive_service.web import jobs

    other = jobs.start(app, "period_copies", "Копии журнала", {}, lambda report: {"sha256": "0" * 64},
                       actor=Actor("Иванова Т. П.", "deputy"))
    client = login_as("secretary")
    assert client.get(f"/register/printouts/{other}").status_code == 404
    assert client.get(f"/register/printouts/{other}/file.pdf").status_code == 404


def test_a_printout_whose_process_died_reads_interrupted_and_offers_no_file(archive, login_as):
    import datetime as dt

    from archive_service.domain.actor import Actor

    heard = archive.now() - dt.timedelta(minutes=10)
    job_id = job_rows.create(archive.uow(), "register_print", "Реестр (PDF)", {"what": "register", "year": None},
                             total=3, actor=Actor("Петрова Анна Сергеевна", "secretary"), now=heard)
    job_rows.progress(archive.uow(), job_id, done=1, status="running", message="Вёрстка: записей 3", now=heard)
    client = login_as("secretary")
    page = client.get(f"/register/printouts/{job_id}").get_data(as_text=True)
    assert "Работа прервалась" in page and "нажмите «PDF» ещё раз" in page and "Скачать" not in page
    assert client.get(f"/register/printouts/{job_id}/file.pdf").status_code == 302  # back to the page, no file
