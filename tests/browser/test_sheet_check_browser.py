"""The public sheet check in a real browser, as an outside inspector scanning a sheet with a phone
sees it (no login), and as the school's staff signed in: the facts, the verdict, the link to the
sheet's image only for staff; a code the archive never printed; the administrator's warning about
the QR codes' address."""

from __future__ import annotations


import pytest
from playwright.sync_api import expect, sync_playwright

from browser_support import LiveServer, Screens, image_loaded, launch, sign_in, sign_out
from web_support import PASSWORD, signed_registered_journal

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_scanned_sheet_is_checked_without_login_and_staff_get_its_image(browser_app, request):
    screens = Screens(request.node.name)
    document_id = signed_registered_journal(browser_app.extensions["archive"]).document_id
    with LiveServer(browser_app) as server, sync_playwright() as p:
        browser = launch(p)
        phone = browser.new_page(locale="ru-RU", viewport=PHONE)
        phone.goto(f"{server.url}/check/{document_id}/2")
        expect(phone.locator(".insp-verdict.ok")).to_contain_text("Лист совпадает с архивом")
        facts = phone.locator(".insp-facts")
        for fact in ("МБОУ «Средняя общеобразовательная школа № 21»", "Копия классного журнала", "5А",
                     "II четверть, 2026/2027 учебный год", "лист 2 из", "№ 1/2027", "подписан"):
            expect(facts).to_contain_text(fact)
        expect(phone.locator("#staff-view")).to_have_count(0)
        expect(phone.locator("img")).to_have_count(0)
        screens.shot(phone, "public-check-phone")
        (screens.folder / "public-check.html").write_text(phone.content(), encoding="utf-8")  # to read, as served
        phone.goto(f"{server.url}/check/{document_id}/999")
        expect(phone.locator(".insp-verdict.bad")).to_contain_text("Лист не найден в архиве")
        screens.shot(phone, "public-check-not-found")

        page = browser.new_page(locale="ru-RU")
        sign_in(page, server.url, "inspector", PASSWORD)
        page.goto(f"{server.url}/check/{document_id}/2")
        screens.shot(page, "staff-public-check")
        page.click("#staff-view")
        image_loaded(page, ".insp-sides figure:nth-of-type(1) img")
        image_loaded(page, ".insp-sides figure:nth-of-type(2) img")
        screens.shot(page, "staff-full-view")
        sign_out(page)
        sign_in(page, server.url, "admin", PASSWORD)
        page.goto(f"{server.url}/admin/media")
        expect(page.locator("#public-address-warning")).to_contain_text("это адрес самого сервера")
        screens.shot(page, "admin-media-address-warning")
        browser.close()
