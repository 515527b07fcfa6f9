"""The secretary finds a former pupil from a surname typed with «е» and a birth year, sees the
candidates with their classes, and issues the certificate for the one chosen — in a real browser;
a nobody-found answer and a search too long for the box are said in Russian. Screenshots are kept."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect, sync_playwright

from archive_service.domain.actor import Actor
from archive_service.services import certificates, documents
from archive_service.services.ingest import ingest_snapshot
from browser_support import LiveServer, Screens, launch, sign_in
from builders import as_bytes
from certificate_support import KRISTINA, year_snapshot
from conftest import NOW, create_app_on_clock, ticking_from
from web_support import PASSWORD

pytestmark = pytest.mark.browser


def test_the_secretary_finds_a_pupil_by_surname_and_year_and_issues_the_certificate(browser_app, request):
    screens = Screens(request.node.name)
    archive = browser_app.extensions["archive"]
    for class_name, grade, year in (("5А", 5, "2026/2027"), ("6А", 6, "2027/2028")):
        stored = ingest_snapshot(archive.uow(), as_bytes(year_snapshot(class_name, grade, year)),
                                 actor=Actor("test", "deputy"), now=NOW)
        documents.render_document(archive.uow(), archive.store, archive.renderer, stored.snapshot_id,
                                  "summary_sheet", archive.render_options, actor=Actor("deputy", "deputy"), now=NOW)
    with LiveServer(browser_app) as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(locale="ru-RU", viewport={"width": 1280, "height": 900})
        sign_in(page, server.url, "secretary", PASSWORD)
        page.goto(f"{server.url}/certificates")
        page.fill("input[name=name]", "киселева")
        page.fill("input[name=born]", "2011")
        page.click("form.card.row button.primary")
        rows = page.locator("table.candidates tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text(KRISTINA)
        expect(rows.nth(0)).to_contain_text("5А — 2026/2027; 6А — 2027/2028")
        expect(rows.nth(1)).to_contain_text("Киселев Олег Ильич")
        expect(rows.nth(1)).to_contain_text("похожее написание")
        screens.shot(page, "candidates")
        page.fill("input[name=requested_by]", "Киселёва К. В.")
        rows.nth(0).locator("button").click()
        expect(page.locator(".flash.ok")).to_contain_text(f"Выдана архивная справка № 1/2027: {KRISTINA}")
        screens.shot(page, "issued")
        page.goto(f"{server.url}/certificates?name=Петрова&born=2011")
        expect(page.locator(".card").last).to_contain_text("никто не найден")
        screens.shot(page, "nobody")
        page.goto(f"{server.url}/register?q=" + "шкаф" * 40)
        expect(page.locator(".flash.error")).to_contain_text("не длиннее 100 символов (введено 160)")
        screens.shot(page, "register-query-too-long")
        browser.close()
    (row,) = certificates.list_certificates(archive.uow())
    assert row.student_name == KRISTINA
    assert screens.problems == {}, screens.problems


def test_too_many_public_checks_are_refused_in_russian(tmp_path, request):
    screens = Screens(request.node.name)
    from archive_service import Settings

    app = create_app_on_clock(dataclasses.replace(Settings(home=tmp_path / "home", secret_key="browser-test-secret",
                                                           database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}"),
                                                  check_per_minute=1), moment=ticking_from(NOW))
    with LiveServer(app) as server, sync_playwright() as p:
        browser = launch(p)
        phone = browser.new_page(locale="ru-RU", viewport={"width": 390, "height": 844})
        phone.goto(f"{server.url}/check/unknown/1")
        phone.goto(f"{server.url}/check/unknown/2")
        expect(phone.locator("h1")).to_have_text("Слишком много проверок")
        screens.shot(phone, "too-many-checks")
        browser.close()
    app.extensions["archive"].engine.dispose()
    assert screens.problems == {}, screens.problems
