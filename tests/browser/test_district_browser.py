"""A district installation in a real browser: the district's sign-in page lists its schools; a
school's staff sign in at their school's page and every page they reach stays at its address;
the district's inspector sees the schools granted, searches them at once and opens a document at
its school's address. Every page shot is read for technical words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from archive_service.domain.actor import Actor
from archive_service.services import accounts, district_access
from browser_support import LiveServer, Screens, image_loaded, launch
from conftest import NOW
from web_support import PASSWORD
from district_support import SCHOOLS, School, district_app_in

pytestmark = pytest.mark.browser


@pytest.fixture
def district_app(tmp_path):
    yield from district_app_in(tmp_path)


def _sign_in(page, url: str, login: str) -> None:
    page.goto(url)
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


def test_a_district_its_schools_and_its_inspector(district_app, request):
    found = district_app.extensions["district"]
    schools = {code: School(found, code) for code in SCHOOLS}
    admin = Actor("Районов Роман Романович", "admin", "test", "radmin")
    accounts.create_user(found.own.uow(), "rinsp", "Инспекторова Ирина Ивановна", "inspector", PASSWORD,
                         actor=admin, now=NOW, temporary=False)
    district_access.grant(found.own.uow(), "rinsp", "sch-a", list(SCHOOLS), actor=admin, now=NOW)
    screens = Screens(request.node.name)
    with LiveServer(district_app) as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="ru-RU")
        page.goto(f"{server.url}/login")
        for name in SCHOOLS.values():
            expect(page.locator("main")).to_contain_text(name)
        screens.shot(page, "district-sign-in")
        page.click(f"text={SCHOOLS['sch-b']}")
        expect(page.locator("main")).to_contain_text(SCHOOLS["sch-b"])
        screens.shot(page, "school-sign-in")
        _sign_in(page, f"{server.url}/s/sch-b/login", "secretary")
        assert page.url.startswith(f"{server.url}/s/sch-b/")
        for link in page.locator("header nav a").all():
            assert link.get_attribute("href").startswith("/s/sch-b/"), link.get_attribute("href")
        screens.shot(page, "school-secretary-register")
        page.goto(f"{server.url}/s/sch-a/register")
        assert "/s/sch-a/login" in page.url  # the other school's page: its sign-in
        page.context.clear_cookies()
        _sign_in(page, f"{server.url}/login", "rinsp")
        assert page.url == f"{server.url}/district"
        expect(page.locator("main")).to_contain_text(SCHOOLS["sch-a"])
        expect(page.locator("main")).not_to_contain_text(SCHOOLS["sch-b"])
        screens.shot(page, "district-inspector-home")
        page.fill("input[name=student]", "Алексеев")
        page.click("text=Найти во всех школах")
        expect(page.locator("main")).to_contain_text("Алексеев Иван Петрович")
        screens.shot(page, "district-inspector-search")
        page.click("td.actions >> text=Открыть")
        expect(page.locator("main")).to_contain_text("5А")
        assert page.url.startswith(f"{server.url}/s/sch-a/inspect/documents/{schools['sch-a'].document.document_id}")
        image_loaded(page, "img")  # the page images too: the opening was journaled in that school
        screens.shot(page, "district-inspector-document")
        page.context.clear_cookies()
        accounts.create_user(found.own.uow(), "radmin", "Районов Роман Романович", "admin", PASSWORD, actor=admin,
                             now=NOW, temporary=False)
        _sign_in(page, f"{server.url}/login", "radmin")
        page.goto(f"{server.url}/district/access")
        expect(page.locator("main")).to_contain_text("Инспекторова Ирина Ивановна")
        screens.shot(page, "district-admin-access")
        browser.close()
    assert screens.problems == {}
