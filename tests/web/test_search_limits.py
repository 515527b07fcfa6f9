"""Limits on what a page's address carries: each search box takes at most 100 characters (a Russian
message, nothing searched), any value of an address at most 1000; the public sheet check answers
a limited number of requests a minute from one address (429 in Russian), and no other page is
counted."""

from __future__ import annotations

import dataclasses
import re
import secrets

import pytest

from archive_service.domain.fields import ADDRESS_VALUE_MOST, QUERY_MOST
from conftest import NOW, create_app_on_clock, ticking_from

TOO_LONG = "Киселева " * 1200  # 10,800 characters


def text(response) -> str:
    return response.get_data(as_text=True)


def audited(archive, action: str) -> int:
    with archive.uow() as uow:
        return sum(1 for e in uow.audit.entries() if e.action == action)


@pytest.mark.parametrize(("role", "path", "field", "label"), [
    ("secretary", "/register", "q", "Поиск"),
    ("inspector", "/inspect", "student", "Фамилия и имя ученика"),
    ("secretary", "/certificates", "name", "Фамилия, имя, отчество"),
])
def test_a_search_box_says_its_limit_in_russian_and_searches_nothing(login_as, archive, role, path, field, label):
    client = login_as(role)
    page = text(client.get(path))
    assert re.search(rf'<input[^>]*name="{field}"[^>]*maxlength="{QUERY_MOST}"', page), "the box says its limit"
    refused = client.get(path, query_string={field: "К" * (QUERY_MOST + 1)})
    assert refused.status_code in (200, 400)
    assert f"поле «{label}» — не длиннее 100 символов (введено 101)" in text(refused)
    assert "Traceback" not in text(refused) and "Internal Server Error" not in text(refused)
    assert audited(archive, "documents.searched") == 0, "nothing was searched"
    taken = client.get(path, query_string={field: "К" * QUERY_MOST})
    assert taken.status_code == 200 and "не длиннее" not in text(taken)


def test_the_register_and_the_inspector_refuse_with_400(login_as):
    register = login_as("secretary").get("/register", query_string={"q": TOO_LONG[:400]})
    assert register.status_code == 400 and "Поиск не выполнен: поле «Поиск» — не длиннее 100 символов" in text(register)
    inspect = login_as("inspector").get("/inspect", query_string={"student": TOO_LONG[:400], "year": "2026/2027"})
    assert inspect.status_code == 400
    assert "Поиск не выполнен: поле «Фамилия и имя ученика» — не длиннее 100 символов (введено 400)" in text(inspect)


def test_any_value_of_an_address_over_the_limit_is_refused_before_the_view(login_as, client):
    page = login_as("inspector").get("/inspect", query_string={"back": "x" * (ADDRESS_VALUE_MOST + 1)})
    assert page.status_code == 400
    assert "Слишком длинный запрос: в адресе страницы значение из 1001 символов" in text(page)
    public = client.get("/login", query_string={"next": TOO_LONG})
    assert public.status_code == 400 and "Слишком длинный запрос" in text(public)
    api = client.get("/api/v1/documents", query_string={"class": TOO_LONG})
    assert api.status_code == 400 and api.is_json
    assert api.get_json()["error"]["message"].startswith("Слишком длинный запрос")


@pytest.fixture
def strict_app(settings):
    """The app with 3 public checks a minute per address."""
    app = create_app_on_clock(dataclasses.replace(settings, check_per_minute=3), moment=ticking_from(NOW))
    app.config.update(TESTING=True)
    yield app
    app.extensions["archive"].engine.dispose()


def test_the_fourth_public_check_in_a_minute_from_one_address_gets_429_in_russian(strict_app):
    visitor = strict_app.test_client()
    for sheet in (1, 2, 3):
        assert visitor.get(f"/check/unknown/{sheet}").status_code == 404  # «Лист не найден в архиве», counted
    refused = visitor.get("/check/unknown/4")
    assert refused.status_code == 429
    assert "Слишком много проверок" in text(refused) and "Подождите минуту" in text(refused)
    assert "Too Many Requests" not in text(refused) and "per minute" not in text(refused)
    assert int(refused.headers["Retry-After"]) > 0
    other = strict_app.test_client().get("/check/unknown/1", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 404, "another address has its own count"
    for _ in range(5):
        assert visitor.get("/login").status_code == 200, "pages other than the check are not counted"


def test_the_storage_of_the_counts_follows_the_settings(settings):
    assert settings.ratelimit_storage == "memory://"
    assert dataclasses.replace(settings, broker_url="redis://127.0.0.1:6379/0",
                               ratelimit_storage="").ratelimit_storage == "redis://127.0.0.1:6379/0"
    assert dataclasses.replace(settings, broker_url="amqp://x", ratelimit_storage="").ratelimit_storage == "memory://"


def test_the_counts_may_be_kept_in_redis(settings):
    app = create_app_on_clock(dataclasses.replace(settings, check_per_minute=2,
                                                  ratelimit_storage="redis://127.0.0.1:6379/15"),
                              moment=ticking_from(NOW))
    visitor = app.test_client()
    address = {"REMOTE_ADDR": f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"}
    statuses = [visitor.get("/check/unknown/1", environ_base=address).status_code for _ in range(3)]
    app.extensions["archive"].engine.dispose()
    assert statuses == [404, 404, 429]
