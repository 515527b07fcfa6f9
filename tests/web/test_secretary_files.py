"""A paper file's issues and returns: the return-by date, the file's page with its whole history,
overdue files listed for the secretary and noted in the printed register (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from archive_service.services import register
from conftest import NOW
from web_support import csrf_token

from test_secretary import CLERK, PLACE, of_class, render, text_of  # the same school and files

ISSUE = {"action": "issued", "person": "Орлов Олег Олегович, инспектор", "purpose": "проверка",
         "on": "2027-01-04", "return_by": "2027-01-08"}


@pytest.fixture
def filed(archive):
    """5А's class journal copy in the register as 1/2027."""
    doc = render(archive, of_class("А"))
    register.register_document(archive.uow(), doc, handed_over_by="Иванова Т. П.", accepted_by="Петрова А. С.",
                               placement=PLACE, on=dt.date(2027, 1, 4), paper_only=True, actor=CLERK, now=NOW)
    return doc


def post(client, path: str, data: dict):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/register")})


def movements(archive) -> list[tuple]:
    with archive.uow() as uow:
        entry = uow.register.get(2027, 1)
        return [(m.action, m.on, m.return_by) for m in uow.register.movements_of(entry)]


def audit_actions(archive) -> list[str]:
    with archive.uow() as uow:
        return [e.action for e in uow.audit.entries()]


def cells(page: str) -> list[str]:
    """The history table's cells, tags dropped, spaces folded."""
    body = page.split('<table class="sec-history">', 1)[1].split("</table>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]


def test_the_issue_form_proposes_a_return_by_date_ten_working_days_on(archive, login_as, filed):
    page = text_of(login_as("secretary").get("/register/2027/1"))
    # the app's today is 10.01.2027, a Sunday: ten working days on is Friday 22.01.2027
    assert 'name="return_by" required value="2027-01-22"' in page
    assert "Дело не выдавалось из архива." in page


def test_the_file_page_shows_every_issue_and_return_in_order_with_who_recorded_each(archive, login_as, filed):
    client = login_as("secretary")
    done = client.get(post(client, "/register/2027/1/move", {**ISSUE, "back": "file"}).headers["Location"])
    assert "Дело № 1/2027 выдано до 08.01.2027. Кому: Орлов Олег Олегович, инспектор; цель: проверка." \
        in text_of(done)
    post(client, "/register/2027/1/move", {"action": "returned", "person": "Орлова Ольга Олеговна",
                                           "on": "2027-01-05"})
    post(client, "/register/2027/1/move", {**ISSUE, "person": "Смирнов Пётр Петрович", "purpose": "справка",
                                           "on": "2027-01-06", "return_by": "2027-01-20"})
    assert movements(archive) == [("issued", dt.date(2027, 1, 4), dt.date(2027, 1, 8)),
                                  ("returned", dt.date(2027, 1, 5), None),
                                  ("issued", dt.date(2027, 1, 6), dt.date(2027, 1, 20))]
    page = text_of(client.get("/register/2027/1"))
    assert cells(page) == [
        "1", "Орлов Олег Олегович, инспектор", "проверка", "04.01.2027 записала Петрова Анна Сергеевна", "08.01.2027",
        "05.01.2027 вернула Орлова Ольга Олеговна; записала Петрова Анна Сергеевна",
        "2", "Смирнов Пётр Петрович", "справка", "06.01.2027 записала Петрова Анна Сергеевна", "20.01.2027",
        "ещё не возвращено"]
    assert "Принять дело обратно" in page and 'value="Смирнов Пётр Петрович"' in page  # who has it, proposed
    assert "просрочен возврат" not in page  # due 20.01, today 10.01
    assert audit_actions(archive).count("register.issued") == 2
    register_page = text_of(client.get("/register"))
    assert 'href="/register/2027/1"' in register_page and "вернуть до 20.01.2027" in register_page


def test_an_overdue_file_is_marked_and_listed_for_the_secretary(archive, login_as, filed):
    client = login_as("secretary")
    post(client, "/register/2027/1/move", ISSUE)  # due 08.01.2027, the app's today is 10.01.2027
    page = text_of(client.get("/register"))
    overdue = page.split('<div class="card sec-overdue">', 1)[1].split("</div>", 1)[0]
    assert "Просрочен возврат: 1" in overdue and "№ 1/2027" in overdue and "5А класс" in overdue
    assert "Орлов Олег Олегович, инспектор (проверка)" in overdue and "вернуть до 08.01.2027" in overdue
    assert "на 2 дн." in overdue
    assert page.count("просрочен возврат") == 2  # the list and the file's row
    assert cells(text_of(client.get("/register/2027/1")))[4] == "08.01.2027 просрочен возврат на 2 дн."
    printed = client.get("/register/print/register.csv").data.decode("utf-8-sig")
    assert "выдано;Орлов Олег Олегович, инспектор (проверка), с 04.01.2027, вернуть до 08.01.2027 — просрочен возврат" \
        in printed  # the state, then the note
    post(client, "/register/2027/1/move", {"action": "returned", "person": "Орлов Олег Олегович", "on": "2027-01-10"})
    page = text_of(client.get("/register"))
    assert "sec-overdue" not in page and "просрочен возврат" not in page


@pytest.mark.parametrize(("change", "said"), [
    ({"return_by": "2027-01-03"},
     "срок возврата 03.01.2027 раньше даты выдачи 04.01.2027: дело возвращают в день выдачи или позже"),
    ({"return_by": ""}, "укажите, до какого числа дело должно вернуться в архив"),
    ({"return_by": "2028-01-10"}, "срок возврата 10.01.2028 дальше чем через год после выдачи 04.01.2027"),
])
def test_a_wrong_return_by_date_is_refused_in_russian_and_nothing_is_written(archive, login_as, filed, change, said):
    client = login_as("secretary")
    before = audit_actions(archive)
    response = post(client, "/register/2027/1/move", {**ISSUE, **change, "back": "file"})
    page = text_of(client.get(response.headers["Location"]))
    assert f"Дело № 1/2027: {said}. Ничего не записано." in page
    assert movements(archive) == [] and register.list_register(archive.uow())[0].status == "in_archive"
    assert audit_actions(archive) == before


def test_a_return_dated_before_its_issue_is_refused(archive, login_as, filed):
    client = login_as("secretary")
    post(client, "/register/2027/1/move", ISSUE)
    response = post(client, "/register/2027/1/move", {"action": "returned", "person": "Орлов О. О.",
                                                      "on": "2027-01-03"})
    assert "дата возврата 03.01.2027 раньше даты выдачи 04.01.2027" in text_of(client.get(response.headers["Location"]))
    assert [m[0] for m in movements(archive)] == ["issued"]


def test_the_director_reads_a_files_history_without_forms_and_an_unknown_file_is_said(login_as, filed):
    client = login_as("director")
    page = text_of(client.get("/register/2027/1"))
    assert "Дело № 1/2027" in page and "Выдать дело" not in page and "Принять дело обратно" not in page
    missing = client.get("/register/2027/9")
    assert missing.status_code == 404 and "В реестре нет дела № 9/2027." in text_of(missing)
    assert login_as("inspector").get("/register/2027/1").status_code in (302, 403)
