"""The journal systems page: the administrator adds and removes sources (the password never shown
back), both the administrator and the deputy check a connection, the deputy pulls a period and
sees each class's result and the next scheduled run."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from archive_service.services import jobs as job_rows
from archive_service.services import sources
from fake_journal import LOGIN, PASSWORD, FileJournalServer
from sources_support import make_school, use_fake_journal
from web_support import csrf_token


@pytest.fixture
def journal(tmp_path, archive):
    use_fake_journal(archive)
    today = archive.local_now().date()  # the system's calendar: Q2 ends in ten days
    with FileJournalServer(make_school(tmp_path / "journal", q2_end=today + dt.timedelta(days=10))) as server:
        yield server


def _wait(archive, job_id: str) -> dict:
    for _ in range(200):
        job = job_rows.get(archive.uow(), job_id, now=archive.now())
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("the job did not end")


def _add(admin, url: str, secret: str = PASSWORD):
    return admin.post("/sources", data={"csrf_token": csrf_token(admin, "/sources"), "name": "sgo",
                                        "system": "netschool", "url": url, "login": LOGIN, "secret": secret})


def test_the_administrator_adds_a_source_whose_password_is_never_shown_back(login_as, journal):
    admin = login_as("admin")
    added = _add(admin, journal.url)
    assert added.status_code == 302
    page = admin.get("/sources", follow_redirects=True).get_data(as_text=True)
    assert "sgo" in page and journal.url in page and "Пароль хранится зашифрованным" in page
    assert PASSWORD not in page and "Новый источник" in page
    deputy_page = login_as("deputy").get("/sources").get_data(as_text=True)
    assert "Новый источник" not in deputy_page and "Удалить источник" not in deputy_page
    assert "Выгрузить сейчас" in deputy_page and "Проверить подключение" in deputy_page


def test_the_administrator_names_the_schools_register_file_and_the_source_keeps_its_path(login_as, archive,
                                                                                         journal):
    admin = login_as("admin")
    added = admin.post("/sources", data={"csrf_token": csrf_token(admin, "/sources"), "name": "sgo",
                                         "system": "netschool", "url": journal.url, "login": LOGIN,
                                         "secret": PASSWORD, "register": " /srv/archive/реестр-21.json "})
    assert added.status_code == 302
    listed = sources.list_sources(archive.uow(), now=archive.now(), hour=2, before=7, after=5)
    assert [s["extra"] for s in listed] == [{"register": "/srv/archive/реестр-21.json"}]


def test_checking_the_connection_runs_in_the_background_and_its_result_shows_on_the_page(
        login_as, archive, journal):
    admin = login_as("admin")
    _add(admin, journal.url, secret="неверный")
    started = admin.post("/sources/sgo/test", data={"csrf_token": csrf_token(admin, "/sources")})
    job_id = started.headers["Location"].split("job=")[1]
    failed = _wait(archive, job_id)
    assert failed["status"] == "failed"
    assert "Вход не выполнен: неверное имя пользователя или пароль" in failed["message"]
    page = admin.get(f"/sources?job={job_id}").get_data(as_text=True)
    assert "Вход не выполнен" in page and "ошибка" in page


def test_the_deputy_pulls_a_period_and_sees_each_class_and_the_next_run(login_as, archive, journal):
    admin = login_as("admin")
    _add(admin, journal.url)
    deputy = login_as("deputy")
    token = csrf_token(deputy, "/sources")
    job_id = deputy.post("/sources/sgo/pull", data={"csrf_token": token, "academic_year": "2026/2027",
                                                     "period": "Q2"}).headers["Location"].split("job=")[1]
    assert _wait(archive, job_id)["result"] == {"ok": True, "classes": {"5А": "new", "6Б": "new"}}
    page = deputy.get("/sources").get_data(as_text=True)
    assert "Последняя выгрузка" in page and "Иванова Татьяна Петровна" in page
    assert page.count("новый снимок") == 2 and "все классы сохранены или без изменений" in page
    first_night = archive.local_now().date() + dt.timedelta(days=3)  # a week before Q2's last day
    assert f"Следующая выгрузка по расписанию: {first_night:%d.%m.%Y} 02:00" in page
    removed = admin.post("/sources/sgo/remove", data={"csrf_token": csrf_token(admin, "/sources")},
                         follow_redirects=True).get_data(as_text=True)
    assert "Источник «sgo» удалён" in removed
