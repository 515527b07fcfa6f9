"""The director signs in Chromium with a GOST key on a token through CryptoPro's browser plug-in
(its stand-in: tests/standins/cadesplugin.js over the token server), sees each document signed,
and the stored documents carry a GOST signature OpenSSL verifies; without the plug-in the page
says what to install; a cancelled PIN dialogue signs nothing and says so.

Screenshots: /tmp/gost-browser-*.png (and test-artifacts/screens/<test>/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from signing import verify_pdf
from playwright.sync_api import sync_playwright

from browser_support import CHROMIUM, LiveServer, Screens, sign_in
from conftest import NOW
from gost_browser_support import (
    ORGANISATION,
    PERIOD,
    YEAR,
    director_certificate,
    director_token,
    gost_archive,
    make_app,
    openssl_verifies,
    render_awaiting,
)
from archive_service.services import documents
from standins.cadesplugin_token import TokenServer
from web_support import NAMES, PASSWORD, make_staff

pytestmark = pytest.mark.browser
STANDIN = Path(__file__).parent.parent / "standins" / "cadesplugin.js"
SIGN_BUTTON = "button:has-text('Подписать отмеченные периоды')"


@pytest.fixture
def stand(tmp_path):
    """The app (embedded SQLite) with two Q2 copies awaiting the signature, and the director's token."""
    settings, pki = gost_archive(tmp_path / "home", f"sqlite:///{tmp_path / 'browser.sqlite3'}")
    app = make_app(settings)
    archive = app.extensions["archive"]
    make_staff(archive, NOW)
    render_awaiting(archive, "А", "Б")
    with TokenServer(director_token(pki, tmp_path / "token")) as token_server:
        yield app, token_server
    archive.engine.dispose()


class Shots:
    """Screenshots into /tmp/gost-browser-<test>-NN-<name>.png, and the usual artifacts folder."""

    def __init__(self, name: str):
        self.name, self.screens = name, Screens(name)

    def shot(self, page, what: str) -> None:
        path = self.screens.shot(page, what)
        shutil.copy(path, f"/tmp/gost-browser-{self.name}-{path.name}")


def _browser_page(p, server, token_server=None, delay_ms: int = 0):
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    if token_server is not None:
        context.expose_function("cadespluginToken", token_server.call)
        context.add_init_script(f"window.cadesStandinDelay = {delay_ms};")
        context.add_init_script(path=str(STANDIN))
    page = context.new_page()
    sign_in(page, server.url, "director", PASSWORD)
    page.goto(f"{server.url}/director/sign")
    return browser, page


def _signed(app) -> list[dict]:
    return [r for r in documents.list_documents(app.extensions["archive"].uow(), YEAR, [PERIOD]) if r["signature"]]


def test_the_director_signs_a_period_with_the_plug_in_and_sees_each_document_signed(stand):
    app, token_server = stand
    shots = Shots("signs")
    with LiveServer(app) as server, sync_playwright() as p:
        browser, page = _browser_page(p, server, token_server, delay_ms=1200)
        page.wait_for_selector(".plugin-status.ok")
        assert page.is_checked("#plugin-route input[name=method]")
        options = page.locator("#plugin-route select option").all_inner_texts()
        assert len(options) == 1, options  # not the expired one, not the colleague's without a key
        assert options[0].startswith(f"{NAMES['director']} — {ORGANISATION}, действителен до ")
        # the plug-in route comes first in the page
        assert page.locator(".dir-key-choice fieldset").first.get_attribute("id") == "plugin-route"
        shots.shot(page, "before")
        page.check(f"input[name=period][value='{YEAR}|{PERIOD}']")
        page.click(SIGN_BUTTON)
        page.wait_for_selector("#plugin-progress li.busy")
        shots.shot(page, "during")
        page.wait_for_selector("#plugin-progress .summary.ok", timeout=60_000)
        rows = page.locator("#plugin-progress li").all_inner_texts()
        assert rows == ["5А, II четверть — подписан", "5Б, II четверть — подписан"]
        assert page.inner_text("#plugin-progress .summary") == "Готово. Подписано документов: 2 из 2."
        shots.shot(page, "after")
        page.click("text=Обновить список документов")
        page.wait_for_load_state("networkidle")
        assert "Документов, ожидающих подписи, нет" in page.inner_text("main")
        shots.shot(page, "reloaded")
        browser.close()
    signed = _signed(app)
    assert len(signed) == 2
    cert = director_certificate(token_server.token).cert
    archive = app.extensions["archive"]
    for row in signed:
        assert row["signature"]["signed_by"] == NAMES["director"]
        data = archive.store.read(row["signature"]["sha256"])
        assert openssl_verifies(data, cert)
        report = verify_pdf(data, archive.trust())
        assert report.valid and report.qualified is True, report.as_text()


def test_without_the_plug_in_the_page_says_what_to_install_and_offers_the_other_routes(stand):
    app, _ = stand
    shots = Shots("missing")
    with LiveServer(app) as server, sync_playwright() as p:
        browser, page = _browser_page(p, server)
        page.wait_for_selector(".plugin-status.error")
        route = page.inner_text("#plugin-route")
        assert "Не найден КриптоПро ЭЦП Browser plug-in." in route
        assert "КриптоПро CSP" in route and "cryptopro.ru" in route and "обновите эту страницу" in route
        assert page.is_checked("input[name=method][value=file]")
        assert page.locator(".dir-key-choice fieldset").last.get_attribute("id") == "plugin-route"
        shots.shot(page, "missing")
        browser.close()


def test_a_cancelled_pin_dialogue_signs_nothing_says_so_and_lets_the_director_try_again(stand):
    app, token_server = stand
    token_server.token.cancel_next = True
    shots = Shots("cancelled")
    with LiveServer(app) as server, sync_playwright() as p:
        browser, page = _browser_page(p, server, token_server)
        page.wait_for_selector(".plugin-status.ok")
        page.check(f"input[name=period][value='{YEAR}|{PERIOD}']")
        page.click(SIGN_BUTTON)
        page.wait_for_selector("#plugin-progress .summary.error", timeout=60_000)
        summary = page.inner_text("#plugin-progress .summary")
        assert summary.startswith("Подписание отменено: окно ввода PIN-кода закрыто. Подписано документов: 0 из 2.")
        assert page.locator("#plugin-progress li").all_inner_texts() == [
            "5А, II четверть — не подписан", "5Б, II четверть — не подписан"]
        shots.shot(page, "cancelled")
        assert token_server.token.signed == [] and _signed(app) == []
        page.click(SIGN_BUTTON)  # the director tries again, this time entering the PIN
        page.wait_for_selector("#plugin-progress .summary.ok", timeout=60_000)
        assert page.locator("#plugin-progress li").all_inner_texts() == [
            "5А, II четверть — подписан", "5Б, II четверть — подписан"]
        shots.shot(page, "signed-on-second-try")
        browser.close()
    assert len(_signed(app)) == 2
